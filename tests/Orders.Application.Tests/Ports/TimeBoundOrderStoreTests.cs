using Microsoft.Extensions.Time.Testing;
using Orders.Application.Ports.Outbound;
using Orders.Domain.ValueObjects;
using Orders.Infrastructure.InMemory;

namespace Orders.Application.Tests.Ports;

/// <summary>The order store's time bound: a slow store becomes StoreFault.Slow at the bound, nothing else changes.</summary>
public sealed class TimeBoundOrderStoreTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task AStoreThatAnswers_IsPassedThrough()
    {
        var store = new TimeBoundOrderStore(new InMemoryOrderStore(), Bound, _clock);

        Assert.Null(await store.LoadAsync(OrderId.From("ord-none")));
        Assert.Empty(await store.FindByStatusAsync([OrderStatus.Created], 10));
    }

    [Fact]
    public async Task AStoreThatNeverAnswers_FailsAsSlow_AtTheBound_EvenIfItIgnoresCancellation()
    {
        var never = new TaskCompletionSource<IReadOnlyList<OrderSummary>>();
        var store = new TimeBoundOrderStore(new StubStore(never.Task), Bound, _clock);

        var pending = store.FindByStatusAsync([OrderStatus.Created], 10);
        _clock.Advance(Bound - TimeSpan.FromTicks(1));
        Assert.False(pending.IsCompleted);
        _clock.Advance(TimeSpan.FromTicks(1));

        var fault = await Assert.ThrowsAsync<StoreUnavailableException>(() => pending);
        Assert.Equal(StoreFault.Slow, fault.Fault);
        Assert.Equal(TimeSpan.FromSeconds(5), fault.RetryAfter);
        Assert.False(fault.OutcomeUnknown); // a read: nothing can have changed
    }

    [Fact]
    public async Task TheCallersOwnCancellation_IsNotReportedAsASlowStore()
    {
        var never = new TaskCompletionSource<IReadOnlyList<OrderSummary>>();
        var store = new TimeBoundOrderStore(new StubStore(never.Task), Bound, _clock);
        using var caller = new CancellationTokenSource();

        var pending = store.FindByStatusAsync([OrderStatus.Created], 10, caller.Token);
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
    }

    private sealed class StubStore(Task<IReadOnlyList<OrderSummary>> answer) : IOrderStore
    {
        public Task<Domain.OrderAggregate.Order?> LoadAsync(OrderId orderId, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<SaveOutcome> SaveAsync(Domain.OrderAggregate.Order order, Idempotency.IdempotencyRecord? idempotency = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<Idempotency.IdempotencyRecord?> FindIdempotencyRecordAsync(OrderId orderId, string recordId, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<int> PurgeExpiredIdempotencyRecordsAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<OrderSummary>> FindByStatusAsync(IReadOnlyCollection<OrderStatus> statuses, int max, CancellationToken cancellationToken = default) => answer;
    }
}
