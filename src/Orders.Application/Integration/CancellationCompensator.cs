using Orders.Application.Ports.Outbound;
using Orders.Domain.Events;
using Orders.Domain.ValueObjects;

namespace Orders.Application.Integration;

/// <summary>
/// When an order is cancelled (by its buyer, an operator or the auto-cancel job) whatever other domains hold for it
/// is given back at once: the stock reservation is released and a payment authorisation voided. It reads the change
/// log (so nothing is missed, even across a crash) and uses the same idempotency keys as the checkout saga's own
/// compensation, so a saga compensating too never releases or voids twice.
/// </summary>
public sealed class CancellationCompensator(IOrderChangeLog changeLog, IOrderStore store, IInventoryPort inventory, IPaymentsPort payments)
{
    public const string Consumer = "cancellation-compensator";

    public async Task<int> RunOnceAsync(int maxEvents, CancellationToken cancellationToken = default)
    {
        var batch = await changeLog.ReadAsync(Consumer, maxEvents, cancellationToken).ConfigureAwait(false);
        foreach (var stored in batch.Events)
        {
            if (stored.Entry.Event is not OrderCancelled cancelled) continue;
            var order = await store.LoadAsync(stored.OrderId, cancellationToken).ConfigureAwait(false);
            if (order is null) continue;
            var saga = SagaNames.CheckoutId(order.Id);
            await inventory.ReleaseAsync(new ReleaseStock(order.Id, order.ReservationId, $"order cancelled: {cancelled.Reason}", $"{saga}:release"),
                cancellationToken).ConfigureAwait(false);
            if (order.Type == OrderType.Prepaid)
                await payments.VoidAsync(new VoidPayment(order.Id, order.PaymentAuthorizationId, $"order cancelled: {cancelled.Reason}", $"{saga}:void"),
                    cancellationToken).ConfigureAwait(false);
        }
        if (batch.Events.Count > 0) await changeLog.CommitAsync(Consumer, batch.Checkpoint, cancellationToken).ConfigureAwait(false);
        return batch.Events.Count;
    }
}
