using Orders.Domain.Common;
using Orders.Domain.ValueObjects;
using static Orders.Domain.OrderAggregate.OrderRejections;

namespace Orders.Domain.Policies;

/// <summary>
/// An order may be cancelled until money has moved: while CREATED or CONFIRMED. After payment the way back is a
/// refund, never a cancellation (the history must show money was taken and returned).
/// </summary>
public static class CancellationPolicy
{
    public static Rejection? Check(OrderAggregate.Order order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return order.Status is OrderStatus.Created or OrderStatus.Confirmed
            ? null
            : order.Status is OrderStatus.Paid or OrderStatus.Shipped or OrderStatus.Delivered
                ? Of(Codes.NotCancellable, $"An order that is {OrderStatusNames.Of(order.Status)} has been paid for; request a refund instead.")
                : InStatus(Codes.NotCancellable, "cancelled", order.Status);
    }
}
