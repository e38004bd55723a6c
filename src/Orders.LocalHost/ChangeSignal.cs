using Orders.Application.Idempotency;
using Orders.Application.Ports.Outbound;
using Orders.Application.Reactions;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;

namespace Orders.LocalHost;

/// <summary>
/// "Something was committed": pulsed after every save that wrote, awaited by the change-feed loop, so read models and
/// the relay follow a change at once instead of at the next fixed tick. Pulses while the loop is busy coalesce into one
/// wake-up (the pump reads everything committed so far in one pass).
/// </summary>
public sealed class ChangeSignal
{
    // No maximum: a pulse that races a timed-out wait may leave one extra permit, which only costs one extra pass.
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private int _pending;

    public void Pulse()
    {
        if (Interlocked.Exchange(ref _pending, 1) == 0) _wake.Release();
    }

    /// <summary>Waits for a pulse, at most <paramref name="max"/>; true when woken by one.</summary>
    public async Task<bool> WaitAsync(TimeSpan max, CancellationToken cancellationToken)
    {
        var woken = await _wake.WaitAsync(max, cancellationToken).ConfigureAwait(false);
        // Reset before the pump runs: a commit after this pulses again (another pass); one before it is read by this pass.
        Interlocked.Exchange(ref _pending, 0);
        return woken;
    }
}

/// <summary>
/// The order store, pulsing <see cref="ChangeSignal"/> after each save that wrote, and <paramref name="sagaStarts"/>
/// when the save recorded a fact whose reaction may start a saga (<see cref="OrderReactions.To"/>, judged on the order
/// as saved): the saga-start loop wakes for new orders, payments and refund requests, not for every shipment note.
/// </summary>
public sealed class SignallingOrderStore(IOrderStore inner, ChangeSignal signal, ChangeSignal? sagaStarts = null) : IOrderStore
{
    public Task<Order?> LoadAsync(OrderId orderId, CancellationToken cancellationToken = default) => inner.LoadAsync(orderId, cancellationToken);

    public Task<StoredOrderState?> ReadStateAsync(OrderId orderId, CancellationToken cancellationToken = default) => inner.ReadStateAsync(orderId, cancellationToken);

    public async Task<SaveOutcome> SaveAsync(Order order, IdempotencyRecord? idempotency = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(order);
        var startsSaga = sagaStarts is not null && order.UncommittedEntries.Any(entry => OrderReactions.To(entry.Event)
            .Any(reaction => reaction.Lane == ReactionLane.SagaStarts && OrderReactions.Applies(reaction, entry.Event, order, DateTimeOffset.MinValue)));
        var outcome = await inner.SaveAsync(order, idempotency, cancellationToken).ConfigureAwait(false);
        signal.Pulse();
        if (startsSaga) sagaStarts!.Pulse();
        return outcome;
    }

    public Task<IdempotencyRecord?> FindIdempotencyRecordAsync(OrderId orderId, string recordId, CancellationToken cancellationToken = default) =>
        inner.FindIdempotencyRecordAsync(orderId, recordId, cancellationToken);

    public Task<int> PurgeExpiredIdempotencyRecordsAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default) =>
        inner.PurgeExpiredIdempotencyRecordsAsync(now, max, cancellationToken);

    public Task<IReadOnlyList<OrderSummary>> FindByStatusAsync(IReadOnlyCollection<OrderStatus> statuses, int max, CancellationToken cancellationToken = default) =>
        inner.FindByStatusAsync(statuses, max, cancellationToken);

    // Forwarded, not left to IOrderStore's default bodies (which re-derive the history and refuse to list orders: the
    // local host stopped at start-up, reconcile's rotation throwing NotSupportedException).
    public Task<IReadOnlyList<StoredHistoryEntry>> ReadStoredHistoryAsync(OrderId orderId, CancellationToken cancellationToken = default) =>
        inner.ReadStoredHistoryAsync(orderId, cancellationToken);

    public Task<IReadOnlyList<OrderId>> ListOrderIdsAsync(OrderId? after, int max, CancellationToken cancellationToken = default) =>
        inner.ListOrderIdsAsync(after, max, cancellationToken);
}
