using Orders.Domain.Common;
using Orders.Domain.ValueObjects;
using static Orders.Domain.OrderAggregate.OrderRejections;

namespace Orders.Domain.Policies;

/// <summary>The parts of an order someone might ask to change.</summary>
public enum OrderField
{
    ShippingAddress,
    Items,
    Prices,
    Promotions,
    ShippingFee,
    Buyer,
    OrderType,
}

/// <summary>
/// What may change after creation: only the shipping address, and only before the parcel leaves. Items, prices,
/// promotions, the fee, the buyer and the way of paying are the contract and never change; to change them, cancel
/// (or refund) and order again.
/// </summary>
public static class ModificationPolicy
{
    public static Rejection? Check(OrderAggregate.Order order, OrderField field)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (field != OrderField.ShippingAddress)
            return Of(Codes.FieldImmutable, $"{field} is part of the contract and never changes after creation.");
        return order.Status is OrderStatus.Created or OrderStatus.Confirmed or OrderStatus.Paid
            ? null
            : InStatus(Codes.NotModifiable, "given a new shipping address", order.Status);
    }
}
