using Orders.Api.Tests.Support;
using Orders.Application.Access;
using Orders.Application.Idempotency;
using static Orders.Api.Tests.Support.ApiClient;

namespace Orders.Api.Tests;

public sealed class CreateOrderTests : IAsyncLifetime
{
    private ApiHost _host = null!;

    public async Task InitializeAsync() => _host = await ApiHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task CreatingAnOrder_Answers201WithLocationETagAndTheReceipt()
    {
        var reply = await _host.Api.PostAsync("/api/orders", Bodies.CreateOrder(), Buyer, key: "key-1");

        Assert.Equal(201, reply.Status);
        var orderId = IdempotencyScope.OrderIdFor(Caller.Buyer("buyer-1"), "key-1").Value;
        Assert.Equal($"/api/orders/{orderId}", reply.Location);
        Assert.Equal("\"1\"", reply.ETag);
        Assert.Equal("application/json", reply.MediaType);
        Assert.Equal($$"""{"orderId":"{{orderId}}","status":"CREATED","version":1,"childOrderIds":[]}""", reply.Body);
        Assert.Null(reply.Header("Idempotent-Replayed"));
    }

    [Fact]
    public async Task CreatingAnOrder_RecordsIt_AndStartsNoSaga()
    {
        var orderId = await _host.Api.CreatedAsync();

        // The checkout saga is the reaction to order.created, read from the change log (OrderReactions), not the adapter's.
        Assert.Empty(_host.Sagas.Starts);
        var stored = await _host.Store.LoadAsync(Domain.ValueObjects.OrderId.From(orderId));
        Assert.Equal(Domain.Events.OrderCreated.TypeName, Assert.Single(stored!.History).Event.Type);
    }

    [Fact]
    public async Task TheCreatedOrder_IsStoredWithTheRequestedContract()
    {
        var orderId = await _host.Api.CreatedAsync(type: "CashOnDelivery");

        var order = await _host.Store.LoadAsync(Domain.ValueObjects.OrderId.From(orderId));
        Assert.NotNull(order);
        Assert.Equal(Domain.ValueObjects.OrderType.CashOnDelivery, order.Type);
        Assert.Equal(Bodies.Total, order.Total.Minor);
        Assert.Equal("buyer-1", order.BuyerId.Value);
    }

    [Fact]
    public async Task AnOperator_MayCreateAnOrderForABuyer()
    {
        var reply = await _host.Api.PostAsync("/api/orders", Bodies.CreateOrder(), Operator, key: "key-1");

        Assert.Equal(201, reply.Status);
    }

    [Fact]
    public async Task ABuyerCreatingForAnotherBuyer_IsForbidden()
    {
        var reply = await _host.Api.PostAsync("/api/orders", Bodies.CreateOrder(buyer: "buyer-2"), Buyer, key: "key-1");

        ProblemAssert.Is(403, "order.forbidden", reply);
        Assert.Empty(_host.Sagas.Starts);
    }

    [Fact]
    public async Task ASellerCreatingAnOrder_IsForbidden()
    {
        var reply = await _host.Api.PostAsync("/api/orders", Bodies.CreateOrder(), SellerA, key: "key-1");

        ProblemAssert.Is(403, "order.forbidden", reply);
    }

    [Fact]
    public async Task AnInvalidOrder_Is422WithItsErrors()
    {
        var body = Bodies.CreateOrder();
        body["shippingFee"]!["currency"] = "EUR";

        var reply = await _host.Api.PostAsync("/api/orders", body, Buyer, key: "key-1");

        ProblemAssert.Is(422, "order.invalid", reply);
        Assert.Contains(reply.Json.GetProperty("errors").EnumerateArray(), e => e.GetString()!.StartsWith("shippingFee", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("returnWindowDays", 2147483647)]
    [InlineData("returnWindowDays", -1)]
    [InlineData("returnWindowDays", 366)]
    [InlineData("paymentWindowMinutes", 2147483647)]
    [InlineData("paymentWindowMinutes", 0)]
    [InlineData("paymentWindowMinutes", 10081)]
    public async Task AWindowOutsideTheContractsRange_Is400_CheckedBeforeAnyArithmetic(string member, int value)
    {
        var body = Bodies.CreateOrder();
        body[member] = value;

        var reply = await _host.Api.PostAsync("/api/orders", body, Buyer, key: "key-1");

        ProblemAssert.Is(400, "request.invalid-body", reply);
        Assert.Contains(reply.Json.GetProperty("errors").EnumerateArray(), e => e.GetString()!.StartsWith("$." + member, StringComparison.Ordinal));
        Assert.Empty(await _host.Store.FindByStatusAsync(Enum.GetValues<Orders.Domain.ValueObjects.OrderStatus>(), 10));
    }
}
