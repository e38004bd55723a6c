using Orders.Api.Tests.Support;
using Orders.Application.Ports.Outbound;
using Orders.Domain.ValueObjects;

namespace Orders.Api.Tests;

/// <summary>
/// A saga engine that does not answer is a fault of a dependency: 503 with Retry-After, never a 500, and never its own
/// words in the answer. An operator resolution whose change was recorded before the engine failed says so, and the
/// same request with the same key finishes it without recording the change twice.
/// </summary>
public sealed class SagaEngineFaultAnswersTests : IAsyncLifetime
{
    private ApiHost _host = null!;

    public async Task InitializeAsync() => _host = await ApiHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static SagaEngineUnavailableException EngineDown() =>
        new("The saga engine did not answer (RpcException: Status(StatusCode=\"Unavailable\", Detail=\"connect to 10.0.0.7:4001 failed\")).",
            new InvalidOperationException("10.0.0.7:4001"));

    [Fact]
    public async Task TheStatusOfAnOrder_WhileTheEngineDoesNotAnswer_Is503WithRetryAfter_WithoutTheEnginesWords()
    {
        var id = await _host.Api.CreatedAsync();
        _host.Sagas.ProgressFault = EngineDown();

        var reply = await _host.Api.GetAsync($"/api/orders/{id}/status");

        ProblemAssert.Is(503, "server.saga-engine-unavailable", reply);
        Assert.Equal("5", reply.Header("Retry-After"));
        Assert.DoesNotContain("10.0.0.7", reply.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("RpcException", reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheStuckList_WhileTheEngineDoesNotAnswer_Is503()
    {
        var id = await _host.Api.CreatedAsync();
        await ApiHost.StuckOrders.FlagAsync(new Application.Jobs.StuckOrder(OrderId.From(id), OrderStatus.Created, DateTimeOffset.UnixEpoch,
            "service-level-exceeded", "CREATED for too long", DateTimeOffset.UnixEpoch));
        _host.Sagas.ProgressFault = EngineDown();

        var reply = await _host.Api.GetAsync("/api/operations/stuck-orders");

        ProblemAssert.Is(503, "server.saga-engine-unavailable", reply);
    }

    [Fact]
    public async Task ARetriedSaga_WhoseRestartFails_SaysTheRetryWasRecorded_AndTheSameRequestStartsIt()
    {
        var id = await _host.Api.CreatedAsync();
        await _host.Api.ActAsync(id, "confirm", new { reservationId = "res-1", paymentAuthorizationId = "auth-1" });
        await _host.Api.ActAsync(id, "mark-paid", new { paymentId = "pay-1", amount = Bodies.Money(Bodies.Total) });
        await _host.Api.ActAsync(id, "ship", new { shipmentId = "shp-1", carrier = "DHL", trackingNumber = "T-1" });
        var before = (await _host.Store.LoadAsync(OrderId.From(id)))!.Version;
        _host.Sagas.RestartFault = EngineDown();

        var failed = await _host.Api.ActAsync(id, "resolutions/retry-saga", new { saga = "fulfillment", reason = "carrier API back" }, key: "k-retry");

        ProblemAssert.Is(503, "server.saga-engine-unavailable", failed);
        Assert.Equal("5", failed.Header("Retry-After"));
        Assert.Contains("recorded in the order's history", failed.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("10.0.0.7", failed.Body, StringComparison.Ordinal);
        Assert.Equal(before + 1, (await _host.Store.LoadAsync(OrderId.From(id)))!.Version); // the retry is in the history
        Assert.Empty(_host.Sagas.Starts);

        _host.Sagas.RestartFault = null;
        var again = await _host.Api.SendAsync(HttpMethod.Post, $"/api/orders/{id}/resolutions/retry-saga", ApiClient.Operator,
            new { saga = "fulfillment", reason = "carrier API back" }, "k-retry", $"\"{before}\"");

        Assert.Equal(202, again.Status); // accepted: the saga runs on
        Assert.Equal("true", again.Header("Idempotent-Replayed"));
        Assert.Equal(before + 1, (await _host.Store.LoadAsync(OrderId.From(id)))!.Version); // recorded once
        Assert.Equal([$"restart:fulfillment-{id}"], _host.Sagas.Starts);
    }
}
