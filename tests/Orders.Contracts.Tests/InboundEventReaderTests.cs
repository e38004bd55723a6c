using System.Text;
using System.Text.Json.Nodes;
using Orders.Contracts.Integration;

namespace Orders.Contracts.Tests;

public class InboundEventReaderTests
{
    /// <summary>A valid payload for every inbound type, and the record it must become.</summary>
    private static readonly IReadOnlyDictionary<string, (string Data, object Expected)> Samples = new Dictionary<string, (string, object)>
    {
        [InboundEventTypes.StockReserved] = ("""{"orderId":"ord-1","reservationId":"res-9"}""", new StockReserved("ord-1", "res-9")),
        [InboundEventTypes.StockReservationFailed] = ("""{"orderId":"ord-1","reason":"out of stock"}""", new StockReservationFailed("ord-1", "out of stock")),
        [InboundEventTypes.StockReleased] = ("""{"orderId":"ord-1","reservationId":"res-9"}""", new StockReleased("ord-1", "res-9")),
        [InboundEventTypes.PaymentAuthorized] = ("""{"orderId":"ord-1","authorizationId":"auth-3","amount":{"minor":1999,"currency":"USD"}}""",
            new PaymentAuthorized("ord-1", "auth-3", new MoneyAmount(1999, "USD"))),
        [InboundEventTypes.PaymentDeclined] = ("""{"orderId":"ord-1","reason":"insufficient funds"}""", new PaymentDeclined("ord-1", "insufficient funds")),
        [InboundEventTypes.PaymentCaptured] = ("""{"orderId":"ord-1","paymentId":"pay-5","amount":{"minor":1999,"currency":"USD"}}""",
            new PaymentCaptured("ord-1", "pay-5", new MoneyAmount(1999, "USD"))),
        [InboundEventTypes.PaymentVoided] = ("""{"orderId":"ord-1","authorizationId":"auth-3"}""", new PaymentVoided("ord-1", "auth-3")),
        [InboundEventTypes.PaymentReversed] = ("""{"orderId":"ord-1","refundId":"ref-2","paymentId":"pay-5","amount":{"minor":500,"currency":"USD"}}""",
            new PaymentReversed("ord-1", "ref-2", "pay-5", new MoneyAmount(500, "USD"))),
        [InboundEventTypes.RefundFailed] = ("""{"orderId":"ord-1","refundId":"ref-2","reason":"card expired"}""", new RefundFailed("ord-1", "ref-2", "card expired")),
        [InboundEventTypes.ShipmentCreated] = ("""{"orderId":"ord-1","shipmentId":"shp-4","carrier":"DHL","trackingNumber":"JD01"}""",
            new ShipmentCreated("ord-1", "shp-4", "DHL", "JD01")),
        [InboundEventTypes.ShipmentDispatched] = ("""{"orderId":"ord-1","shipmentId":"shp-4"}""", new ShipmentDispatched("ord-1", "shp-4")),
        [InboundEventTypes.ShipmentDelivered] = ("""{"orderId":"ord-1","shipmentId":"shp-4"}""", new ShipmentDelivered("ord-1", "shp-4")),
        [InboundEventTypes.ShipmentLost] = ("""{"orderId":"ord-1","shipmentId":"shp-4","reason":"truck fire"}""", new ShipmentLost("ord-1", "shp-4", "truck fire")),
        [InboundEventTypes.CashCollected] = ("""{"orderId":"ord-1","shipmentId":"shp-4","paymentId":"cod-7","amount":{"minor":13500,"currency":"BHD"}}""",
            new CashCollected("ord-1", "shp-4", "cod-7", new MoneyAmount(13500, "BHD"))),
        [InboundEventTypes.PromotionsRedeemed] = ("""{"orderId":"ord-1","redemptionId":"red-8","codes":["SPRING10","WELCOME"]}""",
            new PromotionsRedeemed("ord-1", "red-8", ["SPRING10", "WELCOME"])),
        [InboundEventTypes.PromotionRedemptionRefused] = ("""{"orderId":"ord-1","reason":"code expired","codes":["SPRING10"]}""",
            new PromotionRedemptionRefused("ord-1", "code expired", ["SPRING10"])),
        [InboundEventTypes.PromotionsReleased] = ("""{"orderId":"ord-1","redemptionId":"red-8"}""", new PromotionsReleased("ord-1", "red-8")),
    };

    public static TheoryData<string> InboundTypes() => [.. InboundEventTypes.All];

    [Fact]
    public void There_is_a_sample_for_every_inbound_type() =>
        Assert.Equal(InboundEventTypes.All.Order(StringComparer.Ordinal), Samples.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(InboundTypes))]
    public void A_valid_event_of_each_type_becomes_its_record(string type)
    {
        var (data, expected) = Samples[type];
        var result = InboundEventReader.Read(Envelope(type, data));

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(InboundReadFailure.None, result.Failure);
        Assert.Empty(result.Errors);
        Assert.Equal(expected.GetType(), result.Event!.GetType());
        Assert.Equal(expected, result.Event);
        Assert.Equal(type, result.Envelope!.Type);
        Assert.Equal("evt-123", result.Envelope.Id);
        Assert.Equal("ord-1", result.Envelope.Subject);
        Assert.Equal("//payments.example/api", result.Envelope.Source);
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.Zero), result.Envelope.Time);
        Assert.Equal("1.0", result.Envelope.SpecVersion);
    }

    [Fact]
    public void The_string_and_byte_overloads_agree_and_trace_context_is_accepted()
    {
        var json = Envelope(InboundEventTypes.PaymentCaptured, Samples[InboundEventTypes.PaymentCaptured].Data,
            e => e["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        var fromString = InboundEventReader.Read(json);
        var fromBytes = InboundEventReader.Read(Encoding.UTF8.GetBytes(json));
        Assert.True(fromString.IsValid, string.Join("\n", fromString.Errors));
        Assert.Equal(fromString.Event, fromBytes.Event);
        Assert.IsType<PaymentCaptured>(fromBytes.Event);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("not json")]
    [InlineData("{\"id\":\"x\",}")]
    [InlineData("\u0000\u0001")]
    public void Malformed_json_is_reported_not_thrown(string text)
    {
        var result = InboundEventReader.Read(text);
        Assert.False(result.IsValid);
        Assert.Equal(InboundReadFailure.MalformedJson, result.Failure);
        Assert.StartsWith("malformed JSON", Assert.Single(result.Errors), StringComparison.Ordinal);
        Assert.Null(result.Event);
    }

    [Fact]
    public void Null_and_binary_garbage_are_reported_not_thrown()
    {
        Assert.Equal(InboundReadFailure.MalformedJson, InboundEventReader.Read((string?)null).Failure);
        Assert.Equal(InboundReadFailure.MalformedJson, InboundEventReader.Read(new byte[] { 0xff, 0xfe, 0x00, 0x7b }).Failure);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("\"text\"")]
    [InlineData("{}")]
    [InlineData("null")]
    public void Json_that_is_not_a_cloud_event_is_an_invalid_envelope(string text)
    {
        var result = InboundEventReader.Read(text);
        Assert.Equal(InboundReadFailure.InvalidEnvelope, result.Failure);
        Assert.NotEmpty(result.Errors);
    }

    [Fact]
    public void An_envelope_missing_its_id_or_with_an_extra_attribute_is_invalid()
    {
        var data = Samples[InboundEventTypes.StockReserved].Data;
        var noId = InboundEventReader.Read(Envelope(InboundEventTypes.StockReserved, data, e => e.Remove("id")));
        Assert.Equal(InboundReadFailure.InvalidEnvelope, noId.Failure);
        Assert.Contains(noId.Errors, e => e.Contains("id", StringComparison.Ordinal));
        Assert.Equal(InboundEventTypes.StockReserved, noId.Type);

        var extra = InboundEventReader.Read(Envelope(InboundEventTypes.StockReserved, data, e => e["priority"] = "high"));
        Assert.Equal(InboundReadFailure.InvalidEnvelope, extra.Failure);
        Assert.Contains(extra.Errors, e => e.Contains("/priority", StringComparison.Ordinal));
        Assert.Equal("evt-123", extra.Id);
    }

    [Theory]
    [InlineData("payments.payment-teleported.v1")]
    [InlineData("orders.order-paid.v1")]
    [InlineData("payments.payment-captured.v2")]
    public void An_unknown_type_is_reported(string type)
    {
        var result = InboundEventReader.Read(Envelope(type, Samples[InboundEventTypes.PaymentCaptured].Data));
        Assert.Equal(InboundReadFailure.UnknownType, result.Failure);
        Assert.Equal($"unknown event type '{type}'", Assert.Single(result.Errors));
        Assert.Equal(type, result.Type);
    }

    [Theory]
    [MemberData(nameof(InboundTypes))]
    public void Data_without_its_order_id_is_reported(string type)
    {
        var result = InboundEventReader.Read(Envelope(type, Samples[type].Data, e => e["data"]!.AsObject().Remove("orderId")));
        Assert.Equal(InboundReadFailure.InvalidData, result.Failure);
        Assert.Contains(result.Errors, e => e.Contains("required", StringComparison.Ordinal) && e.Contains("orderId", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(InboundTypes))]
    public void Data_with_an_extra_property_is_reported(string type)
    {
        var result = InboundEventReader.Read(Envelope(type, Samples[type].Data, e => e["data"]!["note"] = "hello"));
        Assert.Equal(InboundReadFailure.InvalidData, result.Failure);
        Assert.Contains(result.Errors, e => e.StartsWith("data /note", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"orderId":"ord-1","paymentId":"pay-5","amount":{"minor":19.99,"currency":"USD"}}""", "/amount/minor")]
    [InlineData("""{"orderId":"ord-1","paymentId":"pay-5","amount":{"minor":1999,"currency":"usd"}}""", "/amount/currency")]
    [InlineData("""{"orderId":"ord-1","paymentId":"","amount":{"minor":1999,"currency":"USD"}}""", "/paymentId")]
    [InlineData("""{"orderId":"","paymentId":"pay-5","amount":{"minor":1999,"currency":"USD"}}""", "/orderId")]
    [InlineData("""{"orderId":"ord-1","paymentId":"pay-5","amount":"19.99 USD"}""", "/amount")]
    [InlineData("""{"orderId":"ord-1","paymentId":null,"amount":{"minor":1999,"currency":"USD"}}""", "/paymentId")]
    public void Data_breaking_its_schema_is_reported_with_where(string data, string location)
    {
        var result = InboundEventReader.Read(Envelope(InboundEventTypes.PaymentCaptured, data));
        Assert.Equal(InboundReadFailure.InvalidData, result.Failure);
        Assert.Contains(result.Errors, e => e.StartsWith("data " + location, StringComparison.Ordinal));
        Assert.Null(result.Event);
    }

    [Fact]
    public void Data_about_another_order_than_the_subject_is_reported()
    {
        var result = InboundEventReader.Read(Envelope(InboundEventTypes.StockReserved, Samples[InboundEventTypes.StockReserved].Data,
            e => e["subject"] = "ord-2"));
        Assert.Equal(InboundReadFailure.InvalidData, result.Failure);
        Assert.Contains("not the envelope's subject", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Data_that_is_not_an_object_is_an_invalid_envelope()
    {
        var result = InboundEventReader.Read(Envelope(InboundEventTypes.StockReserved, Samples[InboundEventTypes.StockReserved].Data,
            e => e["data"] = "{\"orderId\":\"ord-1\"}"));
        Assert.Equal(InboundReadFailure.InvalidEnvelope, result.Failure);
    }

    [Fact]
    public void Hostile_inputs_never_throw()
    {
        var deep = new string('[', 10_000) + new string(']', 10_000);
        var inputs = new[]
        {
            deep,
            "{\"specversion\":\"1.0\",\"data\":" + deep + "}",
            Envelope(InboundEventTypes.StockReserved, "{\"orderId\":\"ord-1\",\"reservationId\":\"res-1\"}", e => e["time"] = "9999-99-99T99:99:99Z"),
            Envelope(InboundEventTypes.PaymentCaptured, """{"orderId":"ord-1","paymentId":"p","amount":{"minor":99999999999999999999999,"currency":"USD"}}"""),
            Envelope(InboundEventTypes.PaymentCaptured, """{"orderId":"ord-1","paymentId":"p","amount":{"minor":1e3,"currency":"USD"}}"""),
        };
        foreach (var input in inputs)
        {
            var result = InboundEventReader.Read(input);
            Assert.False(result.IsValid);
            Assert.NotEmpty(result.Errors);
        }
    }

    private static string Envelope(string type, string data, Action<JsonObject>? edit = null)
    {
        var envelope = new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = "evt-123",
            ["source"] = "//payments.example/api",
            ["type"] = type,
            ["subject"] = "ord-1",
            ["time"] = "2025-03-01T10:00:00Z",
            ["datacontenttype"] = "application/json",
            ["data"] = JsonNode.Parse(data),
        };
        edit?.Invoke(envelope);
        return envelope.ToJsonString();
    }
}
