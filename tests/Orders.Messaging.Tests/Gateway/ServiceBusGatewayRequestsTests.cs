using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Messaging.ServiceBus;
using Moq;
using Orders.Application.Ports.Outbound;
using Orders.Contracts.Integration;
using Orders.Domain.ValueObjects;
using Orders.Infrastructure.ServiceBus.Gateway;

namespace Orders.Messaging.Tests.Gateway;

public sealed class ServiceBusGatewayRequestsTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 30, 0, TimeSpan.Zero);
    private static readonly OrderId Order = OrderId.From("ord-1");
    private static readonly ShippingAddress Home = new("Ada Lovelace", "12 Analytical Way", null, "London", "N1 9GU", "GB");
    private static readonly StockLine[] Lines = [new("sku-1", 2, SellerId.From("seller-a")), new("sku-2", 1, SellerId.From("seller-b"))];

    private readonly Mock<ServiceBusSender> _sender = new(MockBehavior.Strict);
    private readonly List<ServiceBusMessage> _sent = [];

    public ServiceBusGatewayRequestsTests()
    {
        _sender.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .Callback((ServiceBusMessage message, CancellationToken _) => _sent.Add(message))
            .Returns(Task.CompletedTask);
    }

    private ServiceBusGatewayRequests Gateway(GatewayRequestOptions? options = null) => new(_sender.Object, options, new FixedTime(Now));

    /// <summary>Every port method, the type it must send, its idempotency key and the exact data it must carry.</summary>
    public static TheoryData<string, string, string, string> Requests => new()
    {
        { "reserve", GatewayRequestTypes.ReserveStock, "checkout:ord-1:reserve",
            """{"orderId":"ord-1","lines":[{"sku":"sku-1","quantity":2,"sellerId":"seller-a"},{"sku":"sku-2","quantity":1,"sellerId":"seller-b"}],"idempotencyKey":"checkout:ord-1:reserve"}""" },
        { "release", GatewayRequestTypes.ReleaseStock, "checkout:ord-1:release",
            """{"orderId":"ord-1","reservationId":"res-1","reason":"payment declined","idempotencyKey":"checkout:ord-1:release"}""" },
        { "release-any", GatewayRequestTypes.ReleaseStock, "compensate:ord-1:release",
            """{"orderId":"ord-1","reservationId":null,"reason":"cancelled","idempotencyKey":"compensate:ord-1:release"}""" },
        { "initiate", GatewayRequestTypes.InitiatePayment, "checkout:ord-1:pay",
            """{"orderId":"ord-1","buyerId":"buyer-1","amount":{"minor":1999,"currency":"USD"},"idempotencyKey":"checkout:ord-1:pay"}""" },
        { "void", GatewayRequestTypes.VoidPayment, "checkout:ord-1:void",
            """{"orderId":"ord-1","authorizationId":"auth-1","reason":"stock unavailable","idempotencyKey":"checkout:ord-1:void"}""" },
        { "reverse", GatewayRequestTypes.ReversePayment, "refund:ord-1:reverse",
            """{"orderId":"ord-1","paymentId":"pay-1","refundId":"ref-1","amount":{"minor":500,"currency":"EUR"},"idempotencyKey":"refund:ord-1:reverse"}""" },
        { "create-shipment", GatewayRequestTypes.CreateShipment, "fulfil:ord-1:ship",
            """{"orderId":"ord-1","address":{"recipient":"Ada Lovelace","line1":"12 Analytical Way","line2":null,"city":"London","postalCode":"N1 9GU","countryCode":"GB"},"lines":[{"sku":"sku-1","quantity":2,"sellerId":"seller-a"},{"sku":"sku-2","quantity":1,"sellerId":"seller-b"}],"cashOnDelivery":true,"collectAmount":{"minor":1500,"currency":"JPY"},"idempotencyKey":"fulfil:ord-1:ship"}""" },
        { "dispatch", GatewayRequestTypes.DispatchShipment, "fulfil:ord-1:dispatch",
            """{"orderId":"ord-1","shipmentId":"shp-1","cashOnDelivery":true,"collectAmount":{"minor":1500,"currency":"USD"},"idempotencyKey":"fulfil:ord-1:dispatch"}""" },
        { "cancel-shipment", GatewayRequestTypes.CancelShipment, "refund:ord-1:cancel-shipment",
            """{"orderId":"ord-1","shipmentId":"shp-1","reason":"refunded","idempotencyKey":"refund:ord-1:cancel-shipment"}""" },
        { "redeem-promotions", GatewayRequestTypes.RedeemPromotions, "checkout:ord-1:redeem-promotions",
            """{"orderId":"ord-1","buyerId":"buyer-1","promotions":[{"code":"SPRING10","amount":{"minor":250,"currency":"USD"}}],"idempotencyKey":"checkout:ord-1:redeem-promotions"}""" },
        { "release-promotions", GatewayRequestTypes.ReleasePromotions, "checkout:ord-1:release-promotions",
            """{"orderId":"ord-1","redemptionId":"red-1","codes":["SPRING10"],"reason":"payment declined","idempotencyKey":"checkout:ord-1:release-promotions"}""" },
    };

    private Task Call(ServiceBusGatewayRequests gateway, string request, string key) => request switch
    {
        "reserve" => gateway.ReserveAsync(new ReserveStock(Order, Lines, key)),
        "release" => gateway.ReleaseAsync(new ReleaseStock(Order, "res-1", "payment declined", key)),
        "release-any" => gateway.ReleaseAsync(new ReleaseStock(Order, null, "cancelled", key)),
        "initiate" => gateway.InitiateAsync(new InitiatePayment(Order, BuyerId.From("buyer-1"), Money.Of(1999, Currency.USD), key)),
        "void" => gateway.VoidAsync(new VoidPayment(Order, "auth-1", "stock unavailable", key)),
        "redeem-promotions" => gateway.RedeemAsync(new RedeemPromotions(Order, BuyerId.From("buyer-1"), [new PromotionUse("SPRING10", Money.Of(250, Currency.USD))], key)),
        "release-promotions" => gateway.ReleaseAsync(new ReleasePromotions(Order, "red-1", ["SPRING10"], "payment declined", key)),
        "reverse" => gateway.ReverseAsync(new ReversePayment(Order, "pay-1", "ref-1", Money.Of(500, Currency.EUR), key)),
        "create-shipment" => gateway.CreateShipmentAsync(new CreateShipment(Order, Home, Lines, true, Money.Of(1500, Currency.JPY), key)),
        "dispatch" => gateway.DispatchAsync(new DispatchShipment(Order, "shp-1", true, Money.Of(1500, Currency.USD), key)),
        "cancel-shipment" => gateway.CancelShipmentAsync(new CancelShipment(Order, "shp-1", "refunded", key)),
        _ => throw new ArgumentOutOfRangeException(nameof(request)),
    };

    [Theory, MemberData(nameof(Requests))]
    public async Task EachRequest_SendsExactlyOneMessage_WithItsTypeIdSessionAndHeaders(string request, string type, string key, string data)
    {
        _ = data;

        await Call(Gateway(), request, key);

        var message = Assert.Single(_sent);
        _sender.Verify(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal(key, message.MessageId);
        Assert.Equal("ord-1", message.SessionId);
        Assert.Equal(type, message.Subject);
        Assert.Equal("application/cloudevents+json; charset=utf-8", message.ContentType);
        Assert.Equal(type, message.ApplicationProperties["cloudEvents:type"]);
        Assert.Equal(key, message.ApplicationProperties["cloudEvents:id"]);
        Assert.Equal("/orders", message.ApplicationProperties["cloudEvents:source"]);
    }

    [Theory, MemberData(nameof(Requests))]
    public async Task TheBody_IsAStructuredCloudEvent_WhoseDataIsTheRequestInTheDomainsJson(string request, string type, string key, string data)
    {
        await Call(Gateway(), request, key);

        var body = JsonNode.Parse(Assert.Single(_sent).Body.ToString())!.AsObject();
        using var envelope = JsonDocument.Parse(body.ToJsonString());
        Assert.Empty(EventSchemas.ValidateEnvelope(envelope.RootElement));
        Assert.Equal(("1.0", key, "/orders", type, "ord-1", "application/json"),
            ((string?)body["specversion"], (string?)body["id"], (string?)body["source"], (string?)body["type"], (string?)body["subject"], (string?)body["datacontenttype"]));
        Assert.Equal(Now, DateTimeOffset.Parse((string)body["time"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(data, body["data"]!.ToJsonString());
    }

    [Fact]
    public async Task ANotification_IsSentWithAKeyDerivedFromItsContent_WhateverOrderItsDataWasBuiltIn()
    {
        var gateway = Gateway();
        var first = new Notification(Order, "buyer-1", "order-confirmed", new Dictionary<string, string> { ["status"] = "CONFIRMED", ["detail"] = "" });
        var same = new Notification(Order, "buyer-1", "order-confirmed", new Dictionary<string, string> { ["detail"] = "", ["status"] = "CONFIRMED" });
        var other = new Notification(Order, "buyer-1", "order-confirmed", new Dictionary<string, string> { ["status"] = "PAID", ["detail"] = "" });

        await gateway.NotifyAsync(first);
        await gateway.NotifyAsync(same);
        await gateway.NotifyAsync(other);

        Assert.Equal(3, _sent.Count);
        Assert.All(_sent, m => Assert.Equal((GatewayRequestTypes.Notify, "ord-1"), (m.Subject, m.SessionId)));
        Assert.StartsWith("notify:", _sent[0].MessageId, StringComparison.Ordinal);
        Assert.Equal(ServiceBusGatewayRequests.NotificationKey(first), _sent[0].MessageId);
        Assert.Equal(_sent[0].MessageId, _sent[1].MessageId);  // a re-send is a duplicate the topic drops
        Assert.NotEqual(_sent[0].MessageId, _sent[2].MessageId);
        Assert.InRange(_sent[0].MessageId.Length, 8, ServiceBusGatewayRequests.MaxMessageIdLength);
        var body = JsonNode.Parse(_sent[0].Body.ToString())!;
        Assert.Equal("""{"orderId":"ord-1","recipient":"buyer-1","template":"order-confirmed","data":{"status":"CONFIRMED","detail":""}}""",
            body["data"]!.ToJsonString());
    }

    [Fact]
    public void TheNotificationKey_SeparatesFieldsUnambiguously()
    {
        var a = new Notification(Order, "ab", "c", new Dictionary<string, string>());
        var b = new Notification(Order, "a", "bc", new Dictionary<string, string>());

        Assert.NotEqual(ServiceBusGatewayRequests.NotificationKey(a), ServiceBusGatewayRequests.NotificationKey(b));
    }

    [Fact]
    public async Task AnIdempotencyKeyLongerThanServiceBusAllows_BecomesItsHash_AndTheDataKeepsTheKey()
    {
        var key = "checkout:" + new string('k', 200);

        await Gateway().ReserveAsync(new ReserveStock(Order, Lines, key));
        await Gateway().ReserveAsync(new ReserveStock(Order, Lines, key));

        Assert.Equal(2, _sent.Count);
        var id = _sent[0].MessageId;
        Assert.StartsWith("sha256:", id, StringComparison.Ordinal);
        Assert.Equal(7 + 64, id.Length);
        Assert.Equal(id, _sent[1].MessageId);
        var body = JsonNode.Parse(_sent[0].Body.ToString())!;
        Assert.Equal(id, (string?)body["id"]);
        Assert.Equal(key, (string?)body["data"]!["idempotencyKey"]);
    }

    [Fact]
    public void AKeyOfExactly128Characters_IsUsedAsItIs() =>
        Assert.Equal(new string('k', 128), ServiceBusGatewayRequests.MessageIdOf(new string('k', 128)));

    [Fact]
    public async Task TheSourceComesFromTheOptions()
    {
        await Gateway(new GatewayRequestOptions { Source = "/marketplace/orders" }).DispatchAsync(new DispatchShipment(Order, "shp-1", false, Money.Zero(Currency.USD), "k-1"));

        var message = Assert.Single(_sent);
        Assert.Equal("/marketplace/orders", message.ApplicationProperties["cloudEvents:source"]);
        Assert.Equal("/marketplace/orders", (string?)JsonNode.Parse(message.Body.ToString())!["source"]);
    }

    [Fact]
    public async Task AFailedSend_Throws_SoTheActivityFailsAndIsRetried()
    {
        var sender = new Mock<ServiceBusSender>(MockBehavior.Strict);
        sender.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ServiceBusException("The namespace is busy.", ServiceBusFailureReason.ServiceBusy));
        var gateway = new ServiceBusGatewayRequests(sender.Object, time: new FixedTime(Now));

        await Assert.ThrowsAsync<ServiceBusException>(() => gateway.InitiateAsync(new InitiatePayment(Order, BuyerId.From("b"), Money.Of(1, Currency.USD), "k")));
    }

    [Fact]
    public async Task TheCancellationToken_ReachesTheSend()
    {
        using var cancellation = new CancellationTokenSource();

        await Gateway().VoidAsync(new VoidPayment(Order, null, "cancelled", "k-1"), cancellation.Token);

        _sender.Verify(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), cancellation.Token), Times.Once);
    }

    [Fact]
    public void TheSender_IsForTheRequestsTopic()
    {
        var client = new Mock<ServiceBusClient>(MockBehavior.Strict);
        var sender = new Mock<ServiceBusSender>().Object;
        client.Setup(c => c.CreateSender("order-requests")).Returns(sender);
        client.Setup(c => c.CreateSender("custom-requests")).Returns(sender);

        Assert.Same(sender, ServiceBusGatewayRequests.CreateSender(client.Object, new GatewayRequestOptions()));
        Assert.Same(sender, ServiceBusGatewayRequests.CreateSender(client.Object, new GatewayRequestOptions { RequestsTopic = "custom-requests" }));
        Assert.Throws<ArgumentException>(() => ServiceBusGatewayRequests.CreateSender(client.Object, new GatewayRequestOptions { RequestsTopic = " " }));
    }

    [Fact]
    public void EveryRequestType_IsNamedAsTheEnvelopeRequires_AndBelongsToOneDomain()
    {
        var types = GatewayRequestTypes.ByDomain.SelectMany(d => d.Value).ToArray();

        Assert.Equal(11, types.Length);
        Assert.Equal(types.Length, types.Distinct(StringComparer.Ordinal).Count());
        Assert.All(types, t => Assert.Matches(@"^orders\.[a-z][a-z0-9-]*\.v1$", t));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
