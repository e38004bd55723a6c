using Orders.Api.Tests.Support;
using Orders.Domain.ValueObjects;
using static Orders.Api.Tests.Support.ApiClient;

namespace Orders.Api.Tests;

public sealed class QueryTests : IAsyncLifetime
{
    private ApiHost _host = null!;

    public async Task InitializeAsync() => _host = await ApiHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task AnOrderNotYetProjected_IsReadFromTheStore()
    {
        var orderId = await _host.Api.CreatedAsync();

        var reply = await _host.Api.GetAsync($"/api/orders/{orderId}", Buyer);

        Assert.Equal(200, reply.Status);
        Assert.Equal("\"1\"", reply.ETag);
        Assert.Equal(orderId, reply.Json.GetProperty("orderId").GetString());
        var history = reply.Json.GetProperty("history");
        Assert.Equal("order.created", Assert.Single(history.EnumerateArray()).GetProperty("type").GetString());
        Assert.True(reply.Json.GetProperty("historyIntact").GetBoolean());
    }

    [Fact]
    public async Task AnOrderIsReadFromTheStore_NotFromALaggingReadModel()
    {
        var orderId = await _host.Api.CreatedAsync();
        await _host.ReadModel.ProjectAsync(orderId);
        await _host.Api.ActAsync(orderId, "cancel", new { reason = "r" }, Buyer); // the projection has not seen this yet

        var reply = await _host.Api.GetAsync($"/api/orders/{orderId}", Buyer);

        Assert.Equal(200, reply.Status);
        Assert.Equal("\"2\"", reply.ETag);
        Assert.Equal("CANCELLED", reply.Json.GetProperty("status").GetString());
        Assert.True(reply.Json.GetProperty("historyIntact").GetBoolean());
    }

    [Fact]
    public async Task TheDetailHasTheWholeHistory()
    {
        var orderId = await _host.Api.CreatedAsync();
        await _host.Api.ActAsync(orderId, "cancel", new { reason = "changed my mind" }, Buyer);

        var reply = await _host.Api.GetAsync($"/api/orders/{orderId}", Buyer);

        Assert.Equal(["order.created", "order.cancelled"], reply.Json.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("type").GetString()));
        Assert.Equal("\"2\"", reply.ETag);
    }

    [Fact]
    public async Task TheStatus_HasTheVersionAsETag()
    {
        var orderId = await _host.Api.CreatedAsync();

        var reply = await _host.Api.GetAsync($"/api/orders/{orderId}/status", Buyer);

        Assert.Equal(200, reply.Status);
        Assert.Equal("\"1\"", reply.ETag);
        Assert.Equal("CREATED", reply.Json.GetProperty("status").GetString());
        Assert.Equal(1, reply.Json.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task ABuyerListsTheirOrders_WithFilterAndPaging()
    {
        var first = await _host.Api.CreatedAsync(key: "key-1");
        var second = await _host.Api.CreatedAsync(key: "key-2");
        await _host.ReadModel.ProjectAsync(first);
        await _host.ReadModel.ProjectAsync(second);

        var page1 = await _host.Api.GetAsync("/api/buyers/buyer-1/orders?status=CREATED&pageSize=1", Buyer);
        var token = page1.Json.GetProperty("continuationToken").GetString();
        var page2 = await _host.Api.GetAsync($"/api/buyers/buyer-1/orders?status=CREATED&pageSize=1&continuationToken={token}", Buyer);

        Assert.Equal(200, page1.Status);
        Assert.Single(page1.Json.GetProperty("items").EnumerateArray());
        Assert.NotNull(token);
        Assert.Equal(("buyer:buyer-1", OrderStatus.Created, 1, token), _host.ReadModel.LastListQuery);
        var ids = page1.Json.GetProperty("items").EnumerateArray().Concat(page2.Json.GetProperty("items").EnumerateArray())
            .Select(i => i.GetProperty("orderId").GetString()).Order();
        Assert.Equal(new[] { first, second }.Order(), ids);
    }

    [Fact]
    public async Task AListWithoutParameters_UsesTheDefaultPageSize()
    {
        await _host.Api.GetAsync("/api/buyers/buyer-1/orders", Buyer);

        Assert.Equal(("buyer:buyer-1", (OrderStatus?)null, 20, (string?)null), _host.ReadModel.LastListQuery);
    }

    [Fact]
    public async Task ASellerListsTheirOrders()
    {
        var orderId = await _host.Api.CreatedAsync();
        await _host.ReadModel.ProjectAsync(orderId);

        var reply = await _host.Api.GetAsync("/api/sellers/seller-a/orders", SellerA);

        Assert.Equal(200, reply.Status);
        Assert.Equal(orderId, Assert.Single(reply.Json.GetProperty("items").EnumerateArray()).GetProperty("orderId").GetString());
        Assert.Equal(3000, reply.Json.GetProperty("items")[0].GetProperty("total").GetProperty("minor").GetInt64());
    }

    [Fact]
    public async Task ASellerReadsTheirDashboard()
    {
        var orderId = await _host.Api.CreatedAsync();
        await _host.ReadModel.ProjectAsync(orderId);

        var reply = await _host.Api.GetAsync("/api/sellers/seller-a/dashboard", SellerA);

        Assert.Equal(200, reply.Status);
        Assert.Equal("seller-a", reply.Json.GetProperty("sellerId").GetString());
        Assert.Equal(FixedClock.T0, reply.Json.GetProperty("asOf").GetDateTimeOffset());
        Assert.Equal(1, reply.Json.GetProperty("byStatus")[0].GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task TheDashboardsAsOf_IsHowFarTheReadModelsHaveFollowed_NotTheRequestTime()
    {
        var orderId = await _host.Api.CreatedAsync();
        await _host.ReadModel.ProjectAsync(orderId);
        // A change recorded 8 s before the request that the projection has not applied yet.
        _host.ReadModelBacklog.OldestPendingAt = FixedClock.T0.AddSeconds(-8);

        var reply = await _host.Api.GetAsync("/api/sellers/seller-a/dashboard", SellerA);

        Assert.Equal(200, reply.Status);
        Assert.Equal(FixedClock.T0.AddSeconds(-8), reply.Json.GetProperty("asOf").GetDateTimeOffset());
    }

    [Theory]
    [InlineData("pageSize=0")]
    [InlineData("pageSize=101")]
    [InlineData("pageSize=ten")]
    [InlineData("pageSize=-1")]
    [InlineData("pageSize=1&pageSize=2")]
    [InlineData("status=Lost")]
    [InlineData("status=1")]
    [InlineData("status=paid")]
    [InlineData("status=Paid%20")]
    [InlineData("status=Paid")] // the legacy spelling: statuses are spelled CREATED, PAID, …
    [InlineData("continuationToken=")]
    [InlineData("continuationToken=anything-not-issued")]
    [InlineData("continuationToken=djF8eHxvMQ")]
    public async Task AnInvalidListQuery_Is400(string query) =>
        ProblemAssert.Is(400, "request.invalid-query", await _host.Api.GetAsync($"/api/buyers/buyer-1/orders?{query}", Buyer));
}
