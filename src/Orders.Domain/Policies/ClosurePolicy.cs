using Orders.Domain.Common;
using Orders.Domain.ValueObjects;
using static Orders.Domain.OrderAggregate.OrderRejections;

namespace Orders.Domain.Policies;

/// <summary>
/// When the contract is done: a DELIVERED order once its return window has passed (a cash-on-delivery order only
/// once the cash is recorded), a REFUNDED order at once. Never with a refund still pending.
/// </summary>
public static class ClosurePolicy
{
    public static Rejection? Check(OrderAggregate.Order order, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (order.Status is not (OrderStatus.Delivered or OrderStatus.Refunded))
            return InStatus(Codes.NotClosable, "closed", order.Status);
        if (order.PendingRefunds.Any())
            return Of(Codes.RefundPending, "A refund is pending; the order closes after it completes.");
        if (order.Status == OrderStatus.Delivered)
        {
            if (order.Type == OrderType.CashOnDelivery && order.Payment is null)
                return Of(Codes.CashNotCollected, "The cash collected on delivery has not been recorded yet.");
            if (now < order.ReturnWindowEndsAt)
                return Of(Codes.ReturnWindowOpen, $"The return window is open until {order.ReturnWindowEndsAt:O}.");
        }
        return null;
    }
}
