using Microsoft.Extensions.Time.Testing;
using Orders.Api.Tests.Support;
using Orders.Application.Idempotency;
using Orders.Application.Ports.Outbound;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;
using static Orders.Api.Tests.Support.ApiClient;

namespace Orders.Api.Tests;

/// <summary>
/// A slow store, injected through the port (issue 12): the request is answered 503 with Retry-After once the store's
/// time bound has passed — never a hang, never a 500. The bound runs on an injected clock, advanced by the test once
/// the store has been entered, so nothing here waits for real time.
/// </summary>
public sealed class SlowStoreAnswersTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _clock = new();
    private readonly SlowStore.Switch _slow = new();
    private ApiHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await ApiHost.StartAsync(decorate: store => new TimeBoundOrderStore(new SlowStore(store, _slow), Bound, _clock));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<Reply> CreateAsync(string key = "slow-1") => _host.Api.SendAsync(HttpMethod.Post, "/api/orders", Buyer, Bodies.CreateOrder(), key);

    /// <summary>Sends the request, waits (bounded) until it is inside the store, then lets the clock pass the bound.</summary>
    private async Task<Reply> PastTheBoundAsync(Task<Reply> request)
    {
        await _slow.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(request.IsCompleted, "the request was answered before the bound passed");
        _clock.Advance(Bound - TimeSpan.FromMilliseconds(1));
        Assert.False(request.IsCompleted, "the request was answered before the bound passed");
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        return await request.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Theory]
    [InlineData(true)]   // the store gives up when asked (its operation is cancelled at the bound)
    [InlineData(false)]  // the store ignores cancellation and never answers: the request still gets its answer
    public async Task ASaveThatDoesNotAnswer_Is503WithRetryAfter_AtTheBound(bool honoursCancellation)
    {
        _slow.HangOnSave = true;
        _slow.HonoursCancellation = honoursCancellation;

        var reply = await PastTheBoundAsync(CreateAsync());

        ProblemAssert.Is(503, "server.store-unavailable", reply);
        Assert.Equal("5", reply.Header("Retry-After"));
        var detail = reply.Json.GetProperty("detail").GetString()!;
        Assert.Contains("it did not answer in time", detail, StringComparison.Ordinal);
        Assert.Contains("may still be applied", detail, StringComparison.Ordinal); // a write's outcome is not known: said so
        Assert.Empty(await _host.Store.FindByStatusAsync(Enum.GetValues<OrderStatus>(), 10));
    }

    [Fact]
    public async Task AfterASlowSave_TheSameRequestRetried_IsAppliedOnce()
    {
        _slow.HangOnSave = true;
        ProblemAssert.Is(503, "server.store-unavailable", await PastTheBoundAsync(CreateAsync("slow-2")));
        _slow.HangOnSave = false;

        var first = await CreateAsync("slow-2");
        var again = await CreateAsync("slow-2");

        Assert.Equal(201, first.Status);
        Assert.Equal(first.Body, again.Body);
        Assert.Single(await _host.Store.FindByStatusAsync(Enum.GetValues<OrderStatus>(), 10));
    }

    [Fact]
    public async Task AReadThatDoesNotAnswer_Is503_SayingNothingChanged()
    {
        var orderId = await _host.Api.CreatedAsync("slow-3");
        _slow.HangOnLoad = true;

        var reply = await PastTheBoundAsync(_host.Api.GetAsync($"/api/orders/{orderId}", Buyer));

        ProblemAssert.Is(503, "server.store-unavailable", reply);
        Assert.Equal("5", reply.Header("Retry-After"));
        Assert.Contains("Nothing was changed", reply.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}

/// <summary>A store decorator that hangs (entering, then never answering), with or without honouring cancellation.</summary>
public sealed class SlowStore(IOrderStore inner, SlowStore.Switch slow) : IOrderStore
{
    public sealed class Switch
    {
        public bool HangOnSave { get; set; }

        public bool HangOnLoad { get; set; }

        public bool HonoursCancellation { get; set; } = true;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private async Task HangAsync(CancellationToken cancellationToken)
    {
        slow.Entered.TrySetResult();
        await Task.Delay(Timeout.Infinite, slow.HonoursCancellation ? cancellationToken : CancellationToken.None);
    }

    public async Task<Order?> LoadAsync(OrderId orderId, CancellationToken cancellationToken = default)
    {
        if (slow.HangOnLoad) await HangAsync(cancellationToken);
        return await inner.LoadAsync(orderId, cancellationToken);
    }

    public async Task<StoredOrderState?> ReadStateAsync(OrderId orderId, CancellationToken cancellationToken = default)
    {
        if (slow.HangOnLoad) await HangAsync(cancellationToken);
        return await inner.ReadStateAsync(orderId, cancellationToken);
    }

    public async Task<SaveOutcome> SaveAsync(Order order, IdempotencyRecord? idempotency = null, CancellationToken cancellationToken = default)
    {
        if (slow.HangOnSave) await HangAsync(cancellationToken);
        return await inner.SaveAsync(order, idempotency, cancellationToken);
    }

    public Task<IdempotencyRecord?> FindIdempotencyRecordAsync(OrderId orderId, string recordId, CancellationToken cancellationToken = default) =>
        inner.FindIdempotencyRecordAsync(orderId, recordId, cancellationToken);

    public Task<int> PurgeExpiredIdempotencyRecordsAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default) =>
        inner.PurgeExpiredIdempotencyRecordsAsync(now, max, cancellationToken);

    public Task<IReadOnlyList<OrderSummary>> FindByStatusAsync(IReadOnlyCollection<OrderStatus> statuses, int max, CancellationToken cancellationToken = default) =>
        inner.FindByStatusAsync(statuses, max, cancellationToken);
}
