using Orders.Application.Ports.Outbound;
using Orders.Domain.ValueObjects;

namespace Orders.Application.Integration;

/// <summary>
/// When an order is cancelled (by its buyer, an operator or the auto-cancel job) whatever other domains hold for it
/// is given back at once: the stock reservation is released, a payment authorisation voided and the promotion codes
/// released. The reaction table (<see cref="Reactions.OrderReactions"/>) calls it for each <c>order.cancelled</c> in
/// the change log (so nothing is missed, even across a crash); it uses the same idempotency keys as the checkout
/// saga's own compensation, so a saga compensating too never releases or voids twice.
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
        var saga = SagaNames.CheckoutId(order.Id);
        await inventory.ReleaseAsync(new ReleaseStock(order.Id, order.ReservationId, $"order cancelled: {reason}", $"{saga}:release"),
            cancellationToken).ConfigureAwait(false);
        if (order.Type == OrderType.Prepaid)
            await payments.VoidAsync(new VoidPayment(order.Id, order.PaymentAuthorizationId, $"order cancelled: {reason}", $"{saga}:void"),
                cancellationToken).ConfigureAwait(false);
        await ReleasePromotionsAsync(order, $"order cancelled: {reason}", cancellationToken).ConfigureAwait(false);
    }

    private async Task ReleasePromotionsAsync(Domain.OrderAggregate.Order order, string reason, CancellationToken cancellationToken)
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
        await promotions.ReleaseAsync(ReleaseOf(holder, reason), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The release of an order's codes, with the key the checkout saga's compensation uses too.</summary>
    public static ReleasePromotions ReleaseOf(Domain.OrderAggregate.Order order, string reason)
    {
        ArgumentNullException.ThrowIfNull(order);
        return new ReleasePromotions(order.Id, null, [.. order.Pricing.Promotions.Select(p => p.Code)], reason,
            $"{SagaNames.CheckoutId(order.Id)}:{ReleasePromotionsStep}");
    }

    /// <summary>The step name of the promotions release in the checkout saga's idempotency keys.</summary>
    public const string ReleasePromotionsStep = "release-promotions";
}
