using Orders.Domain.Common;
using Orders.Domain.ValueObjects;
using static Orders.Domain.OrderAggregate.OrderRejections;

namespace Orders.Domain.Policies;

/// <summary>
/// What may be refunded, and when. Never more than was paid minus what is refunded or already requested.
/// PAID: any amount (all of it refunds the order before shipment). SHIPPED: part only, the goods are on the way.
/// DELIVERED: any amount inside the return window agreed at creation; all of it refunds the order.
/// </summary>
public static class RefundEligibilityPolicy
{
    public static Rejection? Check(OrderAggregate.Order order, Money amount, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (order.Status is not (OrderStatus.Paid or OrderStatus.Shipped or OrderStatus.Delivered))
            return InStatus(Codes.NotRefundable, "refunded", order.Status);
        if (order.Payment is null)
            return Of(Codes.NotRefundable, "Nothing has been paid for this order yet.");
        if (amount.Currency != order.Currency)
            return Of(Codes.CurrencyMismatch, $"Refunds for this order are in {order.Currency.Code}, not {amount.Currency.Code}.");
        if (amount.IsZero)
            return Of(Codes.NotRefundable, "A refund must be for more than nothing.");
        var refundable = order.RefundableAmount;
        if (amount > refundable)
            return Of(Codes.RefundExceedsPaid, $"At most {refundable} can still be refunded.");
        if (order.Status == OrderStatus.Delivered && now > order.ReturnWindowEndsAt)
            return Of(Codes.ReturnWindowClosed, $"The return window closed at {order.ReturnWindowEndsAt:O}.");
        if (order.Status == OrderStatus.Shipped && amount == refundable)
            return Of(Codes.RefundInTransit, "The goods are on their way: a full refund waits for delivery or return.");
        return null;
    }
}
