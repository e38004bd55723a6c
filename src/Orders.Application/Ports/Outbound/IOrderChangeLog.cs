using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;

namespace Orders.Application.Ports.Outbound;

/// <summary>One stored history entry, as the change log delivers it.</summary>
public sealed record StoredEvent(OrderId OrderId, HistoryEntry Entry)
{
    public long Sequence => Entry.Sequence;

    /// <summary>Globally unique and stable: the CloudEvent id, the Service Bus message id.</summary>
    public string EventId => $"{OrderId.Value}:{Entry.Sequence}";
}

/// <summary>A page of the change log and the checkpoint that follows it.</summary>
public sealed record ChangeBatch(IReadOnlyList<StoredEvent> Events, string Checkpoint);

/// <summary>
/// Every history entry, in commit order within each order (and, for the embedded store, globally), read by named
/// consumers (projections, the outbox relay) from a resumable checkpoint. The embedded equivalent of the Cosmos DB
/// change feed. Delivery is at least once: a consumer that fails before <see cref="CommitAsync"/> reads the same
/// events again, so consumers are idempotent by (order id, sequence).
/// </summary>
public interface IOrderChangeLog
{
    Task<ChangeBatch> ReadAsync(string consumer, int maxEvents, CancellationToken cancellationToken = default);

    Task CommitAsync(string consumer, string checkpoint, CancellationToken cancellationToken = default);
}
