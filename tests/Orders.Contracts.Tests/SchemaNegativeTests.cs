using System.Text.Json;
using System.Text.Json.Nodes;
using Orders.Application.Integration.PublicEvents;
using Orders.Contracts.Integration;
using Orders.Contracts.PublicEvents;
using Orders.Contracts.Tests.TestSupport;
using Orders.Testing.Scenarios;

namespace Orders.Contracts.Tests;

/// <summary>The schemas can fail: each edit of a valid event that breaks the contract is reported, with where.</summary>
public class SchemaNegativeTests
{
    private static readonly CloudEvent Created =
        PublicEventMapper.ToCloudEvent(OrderScenarios.Stored(OrderScenarios.PrepaidWithRefunds())[0], "/orders");

    private static readonly CloudEvent Paid =
        PublicEventMapper.ToCloudEvent(OrderScenarios.Stored(OrderScenarios.PrepaidWithRefunds())[3], "/orders");

    [Fact]
    public void The_unedited_events_are_valid()
    {
        Assert.Equal(PublicEventTypes.OrderCreated, Created.Type);
        Assert.Equal(PublicEventTypes.OrderPaid, Paid.Type);
        Assert.Empty(Wire.Validate(Created));
        Assert.Empty(Wire.Validate(Paid));
    }

    public static TheoryData<string, string> RequiredFields() => new()
    {
        { PublicEventTypes.OrderCreated, "orderId" },
        { PublicEventTypes.OrderCreated, "sequence" },
        { PublicEventTypes.OrderCreated, "fromStatus" },
        { PublicEventTypes.OrderCreated, "actor" },
        { PublicEventTypes.OrderCreated, "causationId" },
        { PublicEventTypes.OrderCreated, "items" },
        { PublicEventTypes.OrderCreated, "pricing" },
        { PublicEventTypes.OrderCreated, "returnWindowSeconds" },
        { PublicEventTypes.OrderCreated, "splitFrom" },
        { PublicEventTypes.OrderPaid, "amount" },
        { PublicEventTypes.OrderPaid, "paymentId" },
        { PublicEventTypes.OrderPaid, "occurredAt" },
    };

    [Theory]
    [MemberData(nameof(RequiredFields))]
    public void A_missing_required_field_is_reported(string type, string field)
    {
        var errors = EventSchemas.Validate(type, Wire.Edit(DataOf(type), d => Assert.True(d.Remove(field))));
        Assert.Contains(errors, e => e.Contains("required", StringComparison.Ordinal) && e.Contains(field, StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_nested_required_field_is_reported()
    {
        var errors = EventSchemas.Validate(Created.Type, Wire.Edit(Created.Data, d => d["items"]![0]!.AsObject().Remove("snapshotHash")));
        Assert.Contains(errors, e => e.StartsWith("/items/0", StringComparison.Ordinal) && e.Contains("snapshotHash", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_field_is_reported_at_the_top_and_inside()
    {
        var top = EventSchemas.Validate(Paid.Type, Wire.Edit(Paid.Data, d => d["discountCode"] = "X"));
        Assert.Contains(top, e => e.StartsWith("/discountCode", StringComparison.Ordinal));

        var inside = EventSchemas.Validate(Paid.Type, Wire.Edit(Paid.Data, d => d["amount"]!["major"] = 12));
        Assert.Contains(inside, e => e.StartsWith("/amount/major", StringComparison.Ordinal));

        var address = EventSchemas.Validate(Created.Type, Wire.Edit(Created.Data, d => d["shippingAddress"]!["phone"] = "+1 555"));
        Assert.Contains(address, e => e.StartsWith("/shippingAddress/phone", StringComparison.Ordinal));
    }

    [Fact]
    public void A_float_amount_is_reported()
    {
        var errors = EventSchemas.Validate(Paid.Type, Wire.Edit(Paid.Data, d => d["amount"]!["minor"] = 19.99));
        Assert.Contains(errors, e => e.StartsWith("/amount/minor", StringComparison.Ordinal) && e.Contains("integer", StringComparison.Ordinal));

        var nested = EventSchemas.Validate(Created.Type, Wire.Edit(Created.Data, d => d["pricing"]!["lines"]![0]!["net"]!["minor"] = 0.5));
        Assert.Contains(nested, e => e.StartsWith("/pricing/lines/0/net/minor", StringComparison.Ordinal));
    }

    [Fact]
    public void An_amount_as_a_string_or_below_zero_is_reported()
    {
        Assert.NotEmpty(EventSchemas.Validate(Paid.Type, Wire.Edit(Paid.Data, d => d["amount"]!["minor"] = "1999")));
        Assert.NotEmpty(EventSchemas.Validate(Paid.Type, Wire.Edit(Paid.Data, d => d["amount"]!["minor"] = -1)));
    }

    [Theory]
    [InlineData("usd")]
    [InlineData("US")]
    [InlineData("USDT")]
    [InlineData("")]
    public void A_currency_that_is_not_three_upper_case_letters_is_reported(string currency)
    {
        var errors = EventSchemas.Validate(Paid.Type, Wire.Edit(Paid.Data, d => d["amount"]!["currency"] = currency));
        Assert.Contains(errors, e => e.StartsWith("/amount/currency", StringComparison.Ordinal));

        var top = EventSchemas.Validate(Created.Type, Wire.Edit(Created.Data, d => d["currency"] = currency));
        Assert.Contains(top, e => e.StartsWith("/currency", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("orderId", "")]
    [InlineData("orderId", "has space")]
    [InlineData("paymentId", "")]
    [InlineData("paymentId", "   ")]
    [InlineData("causationId", "")]
    public void An_empty_or_blank_id_is_reported(string field, string value)
    {
        var errors = EventSchemas.Validate(Paid.Type, Wire.Edit(Paid.Data, d => d[field] = value));
        Assert.Contains(errors, e => e.StartsWith("/" + field, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("toStatus", "paid")]
    [InlineData("toStatus", "SHIPPED")]
    [InlineData("fromStatus", "CREATED")]
    [InlineData("occurredAt", "yesterday")]
    [InlineData("sequence", 0)]
    public void A_wrong_status_time_or_sequence_is_reported(string field, object value)
    {
        var errors = EventSchemas.Validate(Paid.Type, Wire.Edit(Paid.Data, d => d[field] = JsonValue.Create(value)));
        Assert.Contains(errors, e => e.StartsWith("/" + field, StringComparison.Ordinal));
    }

    [Fact]
    public void A_created_event_with_a_from_status_or_a_bad_snapshot_hash_is_reported()
    {
        Assert.Contains(EventSchemas.Validate(Created.Type, Wire.Edit(Created.Data, d => d["fromStatus"] = "CREATED")),
            e => e.StartsWith("/fromStatus", StringComparison.Ordinal));
        Assert.Contains(EventSchemas.Validate(Created.Type, Wire.Edit(Created.Data, d => d["items"]![0]!["snapshotHash"] = "sha256:v1:XYZ")),
            e => e.StartsWith("/items/0/snapshotHash", StringComparison.Ordinal));
        Assert.Contains(EventSchemas.Validate(Created.Type, Wire.Edit(Created.Data, d => d["items"] = new JsonArray())),
            e => e.StartsWith("/items", StringComparison.Ordinal));
    }

    [Fact]
    public void The_data_of_one_type_is_not_valid_as_another()
    {
        Assert.NotEmpty(EventSchemas.Validate(PublicEventTypes.OrderCreated, Paid.Data));
        Assert.NotEmpty(EventSchemas.Validate(PublicEventTypes.OrderShipped, Paid.Data));
        Assert.NotEmpty(EventSchemas.Validate(PublicEventTypes.OrderRefunded, Paid.Data));
    }

    [Fact]
    public void An_unknown_type_is_one_error_not_an_exception()
    {
        var errors = EventSchemas.Validate("orders.order-teleported.v1", Paid.Data);
        Assert.Equal("unknown event type 'orders.order-teleported.v1'", Assert.Single(errors));
    }

    [Theory]
    [InlineData("specversion")]
    [InlineData("id")]
    [InlineData("source")]
    [InlineData("type")]
    [InlineData("subject")]
    [InlineData("time")]
    [InlineData("data")]
    public void An_envelope_without_a_required_attribute_is_reported(string attribute)
    {
        var errors = EventSchemas.ValidateEnvelope(Wire.Edit(Wire.ToJson(Paid), e => e.Remove(attribute)));
        Assert.Contains(errors, e => e.Contains("required", StringComparison.Ordinal) && e.Contains(attribute, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("specversion", "0.3")]
    [InlineData("datacontenttype", "application/xml")]
    [InlineData("type", "Orders.Order-Paid")]
    [InlineData("time", "2025-03-01 09:00")]
    [InlineData("subject", "")]
    [InlineData("partitionkey", "x")]
    public void An_envelope_with_a_wrong_or_unknown_attribute_is_reported(string attribute, string value)
    {
        var errors = EventSchemas.ValidateEnvelope(Wire.Edit(Wire.ToJson(Paid), e => e[attribute] = value));
        Assert.Contains(errors, e => e.StartsWith("/" + attribute, StringComparison.Ordinal));
    }

    private static JsonElement DataOf(string type) => type == Created.Type ? Created.Data : Paid.Data;
}
