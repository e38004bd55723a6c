using Orders.Application.Ports.Outbound;
using Orders.Domain.Events;

namespace Orders.Application.Integration;

/// <summary>
/// Applies parked answers when the fact they waited for is recorded: it reads the change log (so nothing is missed,
/// even across a crash) and, for each confirmation, shipment or cancellation, asks the handler to replay what was
/// parked for that order. A cancellation is read too, so that a capture that can no longer apply is flagged for a
/// person at once instead of waiting unseen. Its checkpoint moves only after the batch is replayed.
/// </summary>
public sealed class ParkedAnswerReplayer(IOrderChangeLog changeLog, IntegrationEventHandler handler)
{
    public const string Consumer = "parked-answers";

    public async Task<int> RunOnceAsync(int maxEvents, CancellationToken cancellationToken = default)
    {
        var batch = await changeLog.ReadAsync(Consumer, maxEvents, cancellationToken).ConfigureAwait(false);
        var orders = batch.Events
            .Where(e => e.Entry.Event is OrderConfirmed or OrderShipped or OrderDelivered or OrderCancelled)
            .Select(e => e.OrderId.Value)
            .Distinct(StringComparer.Ordinal);
        foreach (var orderId in orders) await handler.ReplayParkedAsync(orderId, cancellationToken).ConfigureAwait(false);
        if (batch.Events.Count > 0) await changeLog.CommitAsync(Consumer, batch.Checkpoint, cancellationToken).ConfigureAwait(false);
        return batch.Events.Count;
    }
}
