using Orders.Api.Tests.Support;
using static Orders.Api.Tests.Support.ApiClient;

namespace Orders.Api.Tests;

public sealed class IdempotencyTests : IAsyncLifetime
{
    private ApiHost _host = null!;
    private GatedOrderStore _store = null!;

    public async Task InitializeAsync() => _host = await ApiHost.StartAsync(decorate: store => _store = new GatedOrderStore(store));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ARepeatedCreate_ReplaysTheSameStatusHeadersAndBytes()
    {
        var first = await _host.Api.PostAsync("/api/orders", Bodies.CreateOrder(), Buyer, key: "key-1");
        _host.Clock.Advance(TimeSpan.FromMinutes(5));

        var replay = await _host.Api.PostAsync("/api/orders", Bodies.CreateOrder(), Buyer, key: "key-1");

        Assert.Equal(201, first.Status);
        Assert.Equal(first.Status, replay.Status);
        Assert.Equal(first.Body, replay.Body);
        Assert.Equal(first.Location, replay.Location);
        Assert.Equal(first.ETag, replay.ETag);
        Assert.Equal("true", replay.Header("Idempotent-Replayed"));
        Assert.Single(await _host.Store.FindByStatusAsync([Domain.ValueObjects.OrderStatus.Created], 10));
    }

    [Fact]
    public async Task TheSameKeyFromAnotherBuyer_IsAnotherOrder()
    {
        var mine = await _host.Api.CreatedAsync(key: "key-1");
        var theirs = await _host.Api.CreatedAsync(key: "key-1", caller: OtherBuyer, buyer: "buyer-2");

        Assert.NotEqual(mine, theirs);
    }

    [Fact]
    public async Task TheSameKeyWithADifferentBody_Is422()
    {
        await _host.Api.CreatedAsync(key: "key-1");

        var reply = await _host.Api.PostAsync("/api/orders", Bodies.CreateOrder(type: "CashOnDelivery"), Buyer, key: "key-1");

        ProblemAssert.Is(422, "idempotency.key-reused", reply);
    }

    [Fact]
    public async Task ADuplicateWhileTheFirstIsInFlight_Is409_AndAfterwardsReplays()
    {
        _store.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = _host.Api.PostAsync("/api/orders", Bodies.CreateOrder(), Buyer, key: "key-1");
        await _store.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var duplicate = await _host.Api.PostAsync("/api/orders", Bodies.CreateOrder(), Buyer, key: "key-1");
        _store.Gate.SetResult();
        var answered = await first;
        _store.Gate = null;
        var replay = await _host.Api.PostAsync("/api/orders", Bodies.CreateOrder(), Buyer, key: "key-1");

        ProblemAssert.Is(409, "idempotency.in-flight", duplicate);
        Assert.Equal(201, answered.Status);
        Assert.Equal(201, replay.Status);
        Assert.Equal(answered.Body, replay.Body);
    }

    [Fact]
    public async Task AnotherKeyWhileOneIsInFlight_IsNotHeldUp()
    {
        _store.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = _host.Api.PostAsync("/api/orders", Bodies.CreateOrder(), Buyer, key: "key-1");
        await _store.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        _store.Gate.SetResult(); // the second passes the gate at once
        var second = await _host.Api.PostAsync("/api/orders", Bodies.CreateOrder(), Buyer, key: "key-2");

        Assert.Equal(201, (await first).Status);
        Assert.Equal(201, second.Status);
    }

    [Fact]
    public async Task TheInFlightGuard_IsReleasedAfterAFailure()
    {
        var bad = Bodies.CreateOrder();
        bad["shippingFee"]!["currency"] = "EUR";
        ProblemAssert.Is(422, "order.invalid", await _host.Api.PostAsync("/api/orders", bad, Buyer, key: "key-1"));

        Assert.Equal(201, (await _host.Api.PostAsync("/api/orders", Bodies.CreateOrder(), Buyer, key: "key-1")).Status);
        Assert.Equal(0, _host.Services.GetRequiredServiceOf<Http.InFlightRequests>().Count);
    }

    [Fact]
    public async Task ARepeatedCommandWithAKey_ReplaysTheSameBytes()
    {
        var orderId = await _host.Api.CreatedAsync();

        var first = await _host.Api.SendAsync(HttpMethod.Post, $"/api/orders/{orderId}/cancel", Buyer, new { reason = "changed my mind" }, "cancel-1", "\"1\"");
        var replay = await _host.Api.SendAsync(HttpMethod.Post, $"/api/orders/{orderId}/cancel", Buyer, new { reason = "changed my mind" }, "cancel-1", "\"1\"");

        Assert.Equal(200, first.Status);
        Assert.Equal(200, replay.Status);
        Assert.Equal(first.Body, replay.Body);
        Assert.Equal("\"2\"", replay.ETag);
        Assert.Equal("true", replay.Header("Idempotent-Replayed"));
    }

    [Fact]
    public async Task ACommandKeyReusedWithAnotherBody_Is422()
    {
        var orderId = await _host.Api.CreatedAsync();
        await _host.Api.SendAsync(HttpMethod.Post, $"/api/orders/{orderId}/cancel", Buyer, new { reason = "changed my mind" }, "cancel-1", "\"1\"");

        var reply = await _host.Api.SendAsync(HttpMethod.Post, $"/api/orders/{orderId}/cancel", Buyer, new { reason = "too slow" }, "cancel-1", "\"2\"");

        ProblemAssert.Is(422, "idempotency.key-reused", reply);
    }
}

internal static class ServiceProviderExtensions
{
    public static T GetRequiredServiceOf<T>(this IServiceProvider services) where T : notnull =>
        (T)(services.GetService(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not registered."));
}
