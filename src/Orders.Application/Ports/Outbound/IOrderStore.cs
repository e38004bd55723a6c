using Orders.Application.Idempotency;
using Orders.Application.Views;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;

namespace Orders.Application.Ports.Outbound;

/// <summary>
/// The order repository port. Every adapter gives the same guarantees (one conformance suite checks them):
/// <list type="bullet">
/// <item><b>Atomic</b>: the order's state, its new history entries (the outbox, numbered per order) and the command's
/// idempotency record are written together or not at all.</item>
/// <item><b>Optimistic concurrency</b>: a save whose expected version (<see cref="Order.PersistedVersion"/>) is not the
/// stored one writes nothing and returns <see cref="SaveOutcome.Conflict"/>. Creating an order that exists is a conflict.</item>
/// <item><b>Append-only history</b>: entries are never updated or deleted.</item>
/// </list>
/// </summary>
public interface IOrderStore
{
    /// <summary>The order rebuilt from its history, or null.</summary>
    Task<Order?> LoadAsync(OrderId orderId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The order's current state exactly as its last save stored it beside the history (in the same transaction), by a
    /// point read: one document in Cosmos DB (one request unit), one row in SQLite. Never a read model, so a read right
    /// after a write sees the write. Null when there is no such order. The default rebuilds the state from the history
    /// (the same answer, dearer); the stores answer with the point read.
    /// </summary>
    async Task<StoredOrderState?> ReadStateAsync(OrderId orderId, CancellationToken cancellationToken = default)
    {
        var order = await LoadAsync(orderId, cancellationToken).ConfigureAwait(false);
        return order is null ? null : new StoredOrderState(OrderView.From(order, withHistory: false), order.History[^1].At);
    }

    /// <summary>
    /// Writes the order's uncommitted entries, its current-state document and, optionally, an idempotency record
    /// (replacing an expired record with the same id). On success the order is marked persisted.
    /// </summary>
    Task<SaveOutcome> SaveAsync(Order order, IdempotencyRecord? idempotency = null, CancellationToken cancellationToken = default);

    /// <summary>An idempotency record, expired or not (the caller decides), or null.</summary>
    Task<IdempotencyRecord?> FindIdempotencyRecordAsync(OrderId orderId, string recordId, CancellationToken cancellationToken = default);

    /// <summary>Deletes idempotency records that expired before <paramref name="now"/>; returns how many.</summary>
    Task<int> PurgeExpiredIdempotencyRecordsAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default);

    /// <summary>
    /// Orders in the given statuses, oldest first (by creation time, then order id, ordinal: the jobs' walks resume
    /// after the last order they took by this order): what the enforcement jobs scan. At most <paramref name="max"/>.
    /// </summary>
    Task<IReadOnlyList<OrderSummary>> FindByStatusAsync(IReadOnlyCollection<OrderStatus> statuses, int max, CancellationToken cancellationToken = default);

    /// <summary>
    /// The order's history entries exactly as stored (chain format <c>orders.history.v2</c>, decision 0010), in
    /// sequence order, without decoding their content: what <c>GET /orders/{id}/history</c> answers and what any
    /// verifier recomputes. An entry whose stored envelope cannot be read is returned with
    /// <see cref="StoredHistoryEntry.Unreadable"/> saying why. Empty when there is no such order. The default reads the
    /// decoded history (the same bytes: an entry keeps its stored content); the stores read the envelopes themselves,
    /// so a history the domain cannot rebuild is still shown as it is.
    /// </summary>
    async Task<IReadOnlyList<StoredHistoryEntry>> ReadStoredHistoryAsync(OrderId orderId, CancellationToken cancellationToken = default)
    {
        var order = await LoadAsync(orderId, cancellationToken).ConfigureAwait(false);
        return order is null ? [] : [.. order.History.Select(e => new StoredHistoryEntry(e.Sequence, e.PreviousHash, e.Hash, e.Content))];
    }

    /// <summary>
    /// Every order, whatever its status, in order-id order after <paramref name="after"/> (null: from the first), at
    /// most <paramref name="max"/>: a keyset walk, so a job can visit all orders (closed and cancelled ones too) in
    /// rotation. Only the stores implement it.
    /// </summary>
    Task<IReadOnlyList<OrderId>> ListOrderIdsAsync(OrderId? after, int max, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} cannot list every order.");
}

/// <summary>One stored history entry: its sequence, hashes and content as stored, or why its envelope could not be read.</summary>
public sealed record StoredHistoryEntry(long Sequence, string PreviousHash, string Hash, string Content, string? Unreadable = null);

public enum SaveOutcome
{
    Saved,
    Conflict,
}

/// <summary>An order's stored state (its view without history) and when it last changed.</summary>
public sealed record StoredOrderState(OrderView View, DateTimeOffset UpdatedAt)
{
    public long Version => View.Version;
}

/// <summary>What the store indexes about an order's current state, for jobs and operations.</summary>
public sealed record OrderSummary(OrderId OrderId, OrderStatus Status, long Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset PaymentDueBy);
