using Orders.Domain.Services;
using Orders.Domain.ValueObjects;

namespace Orders.Domain.OrderAggregate;

/// <summary>
/// What a new order is made of. The terms of the contract are fixed here, once: the items as sold, the promotions
/// granted, the shipping fee, the return window and how long the buyer has to pay.
/// </summary>
public sealed record NewOrder(
    OrderId OrderId,
    BuyerId BuyerId,
    OrderType Type,
    IReadOnlyList<OrderItem> Items,
    IReadOnlyList<Promotion> Promotions,
    Money ShippingFee,
    ShippingAddress ShippingAddress,
    TimeSpan ReturnWindow,
    TimeSpan PaymentWindow)
{
    public static readonly TimeSpan DefaultReturnWindow = TimeSpan.FromDays(14);
    public static readonly TimeSpan DefaultPaymentWindow = TimeSpan.FromMinutes(30);
}
