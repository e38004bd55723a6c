using System.Text.Json;
using Orders.Api.Tests.Support;
using static Orders.Api.Tests.Support.ApiClient;

namespace Orders.Api.Tests;

/// <summary>Every command route's happy path: the answer, the ETag, the state it leaves, the saga it starts.</summary>
public sealed class OrderCommandTests : IAsyncLifetime
{
    private ApiHost _host = null!;

    public async Task InitializeAsync() => _host = await ApiHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static void Receipt(Reply reply, string status, long version, int expectedStatus = 200)
    {
        Assert.True(reply.Status == expectedStatus, reply.ToString());
        Assert.Equal(status, reply.Json.GetProperty("status").GetString());
        Assert.Equal(version, reply.Json.GetProperty("version").GetInt64());
        Assert.Equal($"\"{version}\"", reply.ETag);
    }

    private async Task<string> PaidAsync()
    {
        var orderId = await _host.Api.CreatedAsync();
        Receipt(await _host.Api.ActAsync(orderId, "confirm", new { reservationId = "res-1", paymentAuthorizationId = "auth-1" }), "CONFIRMED", 2);
        Receipt(await _host.Api.ActAsync(orderId, "mark-paid", new { paymentId = "pay-1", amount = Bodies.Money(Bodies.Total) }), "PAID", 3);
        return orderId;
    }

    [Fact]
    public async Task ABuyerCancelsTheirOrder()
    {
        var orderId = await _host.Api.CreatedAsync();

        var reply = await _host.Api.SendAsync(HttpMethod.Post, $"/api/orders/{orderId}/cancel", Buyer, new { reason = "changed my mind" }, ifMatch: "\"1\"");

        Receipt(reply, "CANCELLED", 2);
        Assert.Equal(orderId, reply.Json.GetProperty("orderId").GetString());
    }

    [Fact]
    public async Task ABuyerSplitsAMultiSellerOrder_AndTheReceiptNamesTheChildren()
    {
        var orderId = await _host.Api.CreatedAsync(twoSellers: true);

        var reply = await _host.Api.SendAsync(HttpMethod.Post, $"/api/orders/{orderId}/split", Buyer, ifMatch: "\"1\"");

        Receipt(reply, "SPLIT", 2);
        Assert.Equal([$"{orderId}-s1", $"{orderId}-s2"], reply.Json.GetProperty("childOrderIds").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task ASplitAcceptsAnEmptyObject()
    {
        var orderId = await _host.Api.CreatedAsync(twoSellers: true);

        Receipt(await _host.Api.SendAsync(HttpMethod.Post, $"/api/orders/{orderId}/split", Buyer, "{}", ifMatch: "\"1\""), "SPLIT", 2);
    }

    [Fact]
    public async Task ASplitRefusesABody()
    {
        var orderId = await _host.Api.CreatedAsync(twoSellers: true);

        ProblemAssert.Is(400, "request.invalid-body", await _host.Api.SendAsync(HttpMethod.Post, $"/api/orders/{orderId}/split", Buyer, new { now = true }, ifMatch: "\"1\""));
    }

    [Fact]
    public async Task ASplitOfASingleSellerOrder_Is409()
    {
        var orderId = await _host.Api.CreatedAsync();

        ProblemAssert.Is(409, "order.single-seller", await _host.Api.ActAsync(orderId, "split", null, Buyer));
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("POST")]
    public async Task ABuyerChangesTheShippingAddress(string method)
    {
        var orderId = await _host.Api.CreatedAsync();

        var reply = await _host.Api.SendAsync(new HttpMethod(method), $"/api/orders/{orderId}/shipping-address", Buyer, Bodies.Address("Charles Babbage"), ifMatch: "\"1\"");

        Receipt(reply, "CREATED", 2);
        var order = await _host.Store.LoadAsync(Domain.ValueObjects.OrderId.From(orderId));
        Assert.Equal("Charles Babbage", order!.ShippingAddress.Recipient);
    }

    [Fact]
    public async Task AnOperatorConfirmsMarksPaidShipsAndDelivers()
    {
        var orderId = await PaidAsync();

        Receipt(await _host.Api.ActAsync(orderId, "ship", new { shipmentId = "shp-1", carrier = "DHL", trackingNumber = "T-1" }), "SHIPPED", 4);
        Receipt(await _host.Api.ActAsync(orderId, "deliver", new { shipmentId = "shp-1" }), "DELIVERED", 5);
    }

    [Fact]
    public async Task TheOrdersSellerMayRecordTheShipment()
    {
        var orderId = await PaidAsync();

        Receipt(await _host.Api.ActAsync(orderId, "ship", new { shipmentId = "shp-1", carrier = "DHL", trackingNumber = "T-1" }, SellerA), "SHIPPED", 4);
    }

    [Fact]
    public async Task APaymentOfTheWrongAmount_Is422()
    {
        var orderId = await _host.Api.CreatedAsync();
        await _host.Api.ActAsync(orderId, "confirm", new { reservationId = "res-1", paymentAuthorizationId = "auth-1" });

        ProblemAssert.Is(422, "order.payment-mismatch", await _host.Api.ActAsync(orderId, "mark-paid", new { paymentId = "pay-1", amount = Bodies.Money(1) }));
    }

    [Fact]
    public async Task ABuyerRequestsARefund_ItIsRecorded_AndAnOperatorCompletesIt_ThenCloses()
    {
        var orderId = await PaidAsync();

        var refund = await _host.Api.ActAsync(orderId, "refunds", new { amount = Bodies.Money(Bodies.Total), reason = "damaged", refundId = "rf-1" }, Buyer);
        var complete = await _host.Api.ActAsync(orderId, "refunds/rf-1/complete", null);
        var close = await _host.Api.ActAsync(orderId, "close", null);

        Receipt(refund, "PAID", 4, expectedStatus: 202);
        Assert.Equal("rf-1", refund.Header("Refund-Id"));
        Assert.Equal($"/api/orders/{orderId}", refund.Location);
        // The refund saga is the reaction to the recorded request (OrderReactions), not the adapter's.
        Assert.Empty(_host.Sagas.Starts);
        Receipt(complete, "REFUNDED", 5);
        Receipt(close, "CLOSED", 6);
    }

    [Fact]
    public async Task ARefundWithoutAnId_TakesOneDerivedFromTheIdempotencyKey()
    {
        var orderId = await PaidAsync();

        var first = await _host.Api.ActAsync(orderId, "refunds", new { amount = Bodies.Money(100), reason = "scratch" }, Buyer, key: "refund-key-1");
        var retry = await _host.Api.SendAsync(HttpMethod.Post, $"/api/orders/{orderId}/refunds", Buyer,
            new { amount = Bodies.Money(100), reason = "scratch" }, "refund-key-1", "\"3\"");

        Assert.Equal(202, first.Status);
        var refundId = first.Header("Refund-Id");
        Assert.StartsWith("rf-", refundId, StringComparison.Ordinal);
        Assert.Equal(refundId, retry.Header("Refund-Id"));
        Assert.Equal(first.Body, retry.Body);
        var order = await _host.Store.LoadAsync(Domain.ValueObjects.OrderId.From(orderId));
        Assert.Equal(refundId, Assert.Single(order!.Refunds).RefundId);
        Assert.Empty(_host.Sagas.Starts);
    }

    [Fact]
    public async Task ARefundWithNeitherIdNorKey_Is400()
    {
        var orderId = await PaidAsync();

        ProblemAssert.Is(400, "idempotency.key-missing", await _host.Api.ActAsync(orderId, "refunds", new { amount = Bodies.Money(100), reason = "scratch" }, Buyer));
    }

    [Fact]
    public async Task CompletingAnUnknownRefund_Is404()
    {
        var orderId = await PaidAsync();

        ProblemAssert.Is(404, "order.refund-unknown", await _host.Api.ActAsync(orderId, "refunds/rf-nope/complete", null));
    }

    [Fact]
    public async Task ACashOnDeliveryOrder_ShipsUnpaid_CollectsCash_AndClosesAfterTheReturnWindow()
    {
        var orderId = await _host.Api.CreatedAsync(type: "CashOnDelivery");

        Receipt(await _host.Api.ActAsync(orderId, "confirm", new { reservationId = "res-1" }), "CONFIRMED", 2);
        Receipt(await _host.Api.ActAsync(orderId, "ship", new { shipmentId = "shp-1", carrier = "DHL", trackingNumber = "T-1" }), "SHIPPED", 3);
        Receipt(await _host.Api.ActAsync(orderId, "deliver", new { shipmentId = "shp-1" }), "DELIVERED", 4);
        Receipt(await _host.Api.ActAsync(orderId, "cash-collected", new { paymentId = "cash-1", amount = Bodies.Money(Bodies.Total) }), "DELIVERED", 5);
        ProblemAssert.Is(409, "order.return-window-open", await _host.Api.ActAsync(orderId, "close", null));
        _host.Clock.Advance(TimeSpan.FromDays(15));
        Receipt(await _host.Api.ActAsync(orderId, "close", null), "CLOSED", 6);
    }

    [Fact]
    public async Task CancellingAShippedOrder_Is409()
    {
        var orderId = await PaidAsync();
        await _host.Api.ActAsync(orderId, "ship", new { shipmentId = "shp-1", carrier = "DHL", trackingNumber = "T-1" });

        ProblemAssert.Is(409, "order.not-cancellable", await _host.Api.ActAsync(orderId, "cancel", new { reason = "late" }, Buyer));
    }

    [Fact]
    public async Task TheReceiptIsTheApplicationsJson()
    {
        var orderId = await _host.Api.CreatedAsync();

        var reply = await _host.Api.ActAsync(orderId, "cancel", new { reason = "r" }, Buyer);

        using var parsed = JsonDocument.Parse(reply.Body);
        Assert.Equal(["orderId", "status", "version", "childOrderIds"], parsed.RootElement.EnumerateObject().Select(p => p.Name));
    }
}
