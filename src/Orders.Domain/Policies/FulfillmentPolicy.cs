using Orders.Domain.Common;
using Orders.Domain.ValueObjects;
using static Orders.Domain.OrderAggregate.OrderRejections;

namespace Orders.Domain.Policies;

/// <summary>
/// Who may ship when: a prepaid order once PAID; a cash-on-delivery order once CONFIRMED (it ships unpaid and is
/// paid at the door). Nothing ships while a refund is pending: the buyer may be getting their money back.
/// </summary>
public static class FulfillmentPolicy
{
    public static OrderStatus ShippableFrom(OrderType type) =>
        type == OrderType.CashOnDelivery ? OrderStatus.Confirmed : OrderStatus.Paid;

    public static Rejection? CheckShip(OrderAggregate.Order order)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (order.Status != ShippableFrom(order.Type))
            return Of(Codes.NotShippable, order.Type == OrderType.CashOnDelivery
                ? $"A cash-on-delivery order ships once CONFIRMED; this one is {OrderStatusNames.Of(order.Status)}."
                : $"A prepaid order ships once PAID; this one is {OrderStatusNames.Of(order.Status)}.");
        if (order.PendingRefunds.Any())
            return Of(Codes.RefundPending, "A refund is pending; the order cannot ship until it completes.");
        return null;
    }
}
