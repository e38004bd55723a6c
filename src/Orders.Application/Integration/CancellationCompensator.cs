using Orders.Application.Ports.Outbound;
using Orders.Domain.Events;
using Orders.Domain.ValueObjects;

namespace Orders.Application.Integration;

/// <summary>
/// When an order is cancelled (by its buyer, an operator or the auto-cancel job) whatever other domains hold for it
/// is given back at once: the stock reservation is released, a payment authorisation voided and the promotion codes
/// released. The reaction table (<see cref="Reactions.OrderReactions"/>) calls it for each <c>order.cancelled</c> in
/// the change log (so nothing is missed, even across a crash).
/// <para>
/// Its idempotency keys (<see cref="KeysFor"/>): for a cancellation the order's checkout saga made, the saga's own
/// (it gave back what it held just before, so the domains act once). For any other (its buyer, an operator, the
/// auto-cancel job, a parent's checkout cancelling its children) keys of its own: the checkout may still be running,
/// and what it is granted after this (a reservation made late, an authorisation asked before the cancellation) it
/// gives back with its keys, which must not be spent here on a release that found nothing held yet. A domain may
/// then receive a release for what was already released; it answers that as done.
/// </para>
/// <para>
/// Promotion codes belong to the order that was priced with them. A multi-seller order's codes were redeemed by its
/// checkout before it split; its children carry only their share of the discount. So the codes go back when the last
/// of the children is cancelled (then nothing of the cart was bought); while any child lives, they stay redeemed.
/// </para>
/// </summary>
public sealed class CancellationCompensator(IOrderStore store, IInventoryPort inventory, IPaymentsPort payments, IPromotionsPort promotions)
{
    /// <summary>Gives back what the cancelled <paramref name="order"/> held; safe to repeat (idempotency keys).</summary>
    public async Task CompensateAsync(Domain.OrderAggregate.Order order, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(order);
        var keys = KeysFor(order);
        await inventory.ReleaseAsync(new ReleaseStock(order.Id, order.ReservationId, $"order cancelled: {reason}", $"{keys}:release"),
            cancellationToken).ConfigureAwait(false);
        if (order.Type == OrderType.Prepaid)
            await payments.VoidAsync(new VoidPayment(order.Id, order.PaymentAuthorizationId, $"order cancelled: {reason}", $"{keys}:void"),
                cancellationToken).ConfigureAwait(false);
        await ReleasePromotionsAsync(order, keys, $"order cancelled: {reason}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The prefix of the keys the release, void and release of codes of the cancelled <paramref name="order"/> are sent
    /// with: its checkout saga's instance id when that saga cancelled it (the keys of the saga's own compensation), else
    /// <c>cancellation-{orderId}</c> (an order is cancelled once).
    /// </summary>
    public static string KeysFor(Domain.OrderAggregate.Order order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var saga = SagaNames.CheckoutId(order.Id);
        var cancellation = order.History.LastOrDefault(h => h.Event is OrderCancelled);
        return cancellation is not null && cancellation.CausationId.StartsWith(saga + ":", StringComparison.Ordinal) ? saga : $"cancellation-{order.Id.Value}";
    }

    private async Task ReleasePromotionsAsync(Domain.OrderAggregate.Order order, string keys, string reason, CancellationToken cancellationToken)
    {
        var holder = order;
        if (order.SplitFrom is { } parentId)
        {
            holder = await store.LoadAsync(parentId, cancellationToken).ConfigureAwait(false);
            if (holder is null) return;
            foreach (var child in holder.SplitInto)
            {
                var sibling = child.OrderId == order.Id ? order : await store.LoadAsync(child.OrderId, cancellationToken).ConfigureAwait(false);
                if (sibling is not null && sibling.Status != OrderStatus.Cancelled) return; // part of the cart is still bought
            }
        }
        if (holder.Pricing.Promotions.Count == 0) return;
        // A split parent's codes go back with its checkout's key: whichever child's cancellation finds the cart all
        // cancelled, and the parent's own compensation if it ran, release them once.
        await promotions.ReleaseAsync(ReleaseOf(holder, reason, holder == order ? keys : SagaNames.CheckoutId(holder.Id)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The release of an order's codes, with the key prefix <paramref name="keys"/>.</summary>
    private static ReleasePromotions ReleaseOf(Domain.OrderAggregate.Order order, string reason, string keys) =>
        new(order.Id, null, [.. order.Pricing.Promotions.Select(p => p.Code)], reason, $"{keys}:{ReleasePromotionsStep}");

    /// <summary>The step name of the promotions release in the checkout saga's idempotency keys.</summary>
    public const string ReleasePromotionsStep = "release-promotions";
}
