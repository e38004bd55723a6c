using Orders.Domain.OrderAggregate;
using Orders.Domain.Services;
using Orders.Domain.ValueObjects;

namespace Orders.Domain.Tests.TestSupport;

/// <summary>
/// The one place tests get orders from: fixed ids, a fixed cart, a fixed clock starting at <see cref="T0"/>, and a
/// driver that walks an order into any <see cref="Stage"/> through legal commands (each asserted to succeed).
/// </summary>
public static class TestOrders
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How far the driver's clock moves before each command.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromHours(1);

    public static readonly TimeSpan ReturnWindow = TimeSpan.FromDays(14);

    public static readonly SellerId SellerA = SellerId.From("seller-a");
    public static readonly SellerId SellerB = SellerId.From("seller-b");
    public static readonly BuyerId Buyer = BuyerId.From("buyer-1");

    public static readonly ShippingAddress Home = new("Ada Lovelace", "12 Analytical Way", null, "London", "N1 9GU", "GB");
    public static readonly ShippingAddress Office = new("Ada Lovelace", "1 Engine House", "Floor 3", "Manchester", "M1 1AA", "GB");

    public const string OrderIdValue = "order-1";
    public const string ReservationId = "res-1";
    public const string AuthorizationId = "auth-1";
    public const string PaymentId = "pay-1";
    public const string CashPaymentId = "cash-1";
    public const string ShipmentId = "ship-1";
    public const string Carrier = "dhl";
    public const string TrackingNumber = "TRK-1";
    public const string RefundId = "refund-1";

    /// <summary>The default cart's total: 2 × 15.00 + 1 × 25.00 + 4.99 shipping.</summary>
    public const long TotalMinor = 5999;

    public static Money Usd(long minor) => Money.Of(minor, Currency.USD);

    public static OrderItem Item(int line, string sku, SellerId seller, long unitMinor, int quantity = 1, Currency? currency = null,
        IReadOnlyDictionary<string, string>? attributes = null) =>
        OrderItem.Snapshot(line, sku, $"prod-{sku}", seller, $"Product {sku}", Money.Of(unitMinor, currency ?? Currency.USD), quantity, attributes);

    /// <summary>Two lines; with <paramref name="multiSeller"/> the second belongs to another seller.</summary>
    public static IReadOnlyList<OrderItem> Cart(bool multiSeller) =>
    [
        Item(1, "sku-1", SellerA, 1500, quantity: 2),
        Item(2, "sku-2", multiSeller ? SellerB : SellerA, 2500),
    ];

    public static NewOrder Draft(OrderType type = OrderType.Prepaid, bool multiSeller = false, string orderId = OrderIdValue) =>
        new(OrderId.From(orderId), Buyer, type, Cart(multiSeller), [], Usd(499), Home, ReturnWindow, NewOrder.DefaultPaymentWindow);

    public static CommandContext Context(DateTimeOffset at, string causationId, Actor? actor = null) =>
        new(actor ?? Actor.System("test-driver"), at, causationId);

    public static TestOrder Create(OrderType type = OrderType.Prepaid, bool multiSeller = false) => Create(Draft(type, multiSeller));

    public static TestOrder Create(NewOrder newOrder)
    {
        ArgumentNullException.ThrowIfNull(newOrder);
        var context = Context(T0, "create-1", Actor.Buyer(newOrder.BuyerId));
        var order = Order.Create(newOrder, context).Unwrap();
        return new TestOrder(order, T0);
    }

    /// <summary>A new order driven into <paramref name="stage"/>.</summary>
    public static TestOrder In(Stage stage, OrderType type = OrderType.Prepaid, bool multiSeller = false) =>
        Create(type, multiSeller || stage == Stage.Split).DriveTo(stage);

    public static Promotion AmountOff(string code, long minor, SellerId? seller = null) => new(code, PromotionKind.AmountOff, minor, seller);

    public static Promotion PercentOff(string code, long basisPoints, SellerId? seller = null) => new(code, PromotionKind.PercentOff, basisPoints, seller);
}
