using Orders.Application.Idempotency;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;

namespace Orders.Application.Ports.Outbound;

/// <summary>
/// Gives the order store a time bound, so a slow or hung store becomes a clear answer — <see cref="StoreUnavailableException"/>
/// with <see cref="StoreFault.Slow"/>, which the HTTP adapter answers 503 with Retry-After — never a request that hangs.
/// The call is cancelled at the bound (a store that honours cancellation rolls back); the caller stops waiting at the
/// bound even if the store does not. A write that did not answer in time may still land, so the fault says the outcome
/// is unknown: commands are idempotent (Idempotency-Key, If-Match), so a repeat is applied at most once.
/// Both hosts put it in front of the store they use (<c>Orders:StoreTimeout</c>, 10 s by default).
/// </summary>
public sealed class TimeBoundOrderStore(IOrderStore inner, TimeSpan bound, TimeProvider time) : IOrderStore
{
    public static readonly TimeSpan DefaultBound = TimeSpan.FromSeconds(10);

    public IOrderStore Inner => inner;

    public TimeSpan Bound => bound;

    public Task<Order?> LoadAsync(OrderId orderId, CancellationToken cancellationToken = default) =>
        BoundedAsync(c => inner.LoadAsync(orderId, c), $"reading order {orderId}", write: false, cancellationToken);

    public Task<StoredOrderState?> ReadStateAsync(OrderId orderId, CancellationToken cancellationToken = default) =>
        BoundedAsync(c => inner.ReadStateAsync(orderId, c), $"reading order {orderId}", write: false, cancellationToken);

    public Task<SaveOutcome> SaveAsync(Order order, IdempotencyRecord? idempotency = null, CancellationToken cancellationToken = default) =>
        BoundedAsync(c => inner.SaveAsync(order, idempotency, c), $"saving order {order?.Id}", write: true, cancellationToken);

    public Task<IdempotencyRecord?> FindIdempotencyRecordAsync(OrderId orderId, string recordId, CancellationToken cancellationToken = default) =>
        BoundedAsync(c => inner.FindIdempotencyRecordAsync(orderId, recordId, c), $"reading order {orderId}", write: false, cancellationToken);

    public Task<int> PurgeExpiredIdempotencyRecordsAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default) =>
        BoundedAsync(c => inner.PurgeExpiredIdempotencyRecordsAsync(now, max, c), "purging idempotency records", write: true, cancellationToken);

    public Task<IReadOnlyList<OrderSummary>> FindByStatusAsync(IReadOnlyCollection<OrderStatus> statuses, int max, CancellationToken cancellationToken = default) =>
        BoundedAsync(c => inner.FindByStatusAsync(statuses, max, c), "finding orders by status", write: false, cancellationToken);

    // The two members with default bodies in IOrderStore must be forwarded too: the defaults would re-derive the history
    // from the decoded order (not the stored bytes) and refuse to list orders (reconcile's rotation failed with it).
    public Task<IReadOnlyList<StoredHistoryEntry>> ReadStoredHistoryAsync(OrderId orderId, CancellationToken cancellationToken = default) =>
        BoundedAsync(c => inner.ReadStoredHistoryAsync(orderId, c), $"reading the history of order {orderId}", write: false, cancellationToken);

    public Task<IReadOnlyList<OrderId>> ListOrderIdsAsync(OrderId? after, int max, CancellationToken cancellationToken = default) =>
        BoundedAsync(c => inner.ListOrderIdsAsync(after, max, c), "listing orders", write: false, cancellationToken);

    private async Task<T> BoundedAsync<T>(Func<CancellationToken, Task<T>> call, string what, bool write, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(bound, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        Task<T> pending;
        try
        {
            pending = call(linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw Slow(what, write);
        }
        try
        {
            // The store may ignore the token: the caller stops waiting at the bound regardless.
            return await pending.WaitAsync(bound, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Observe(pending);
            throw Slow(what, write);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw Slow(what, write);
        }
    }

    // A call abandoned at the bound may still fail later: its exception is observed, never left unobserved.
    private static void Observe(Task pending) =>
        pending.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    private StoreUnavailableException Slow(string what, bool write) =>
        new(StoreFault.Slow, $"The order store did not answer within {bound.TotalSeconds:0.###} s ({what}).") { OutcomeUnknown = write };
}
