using Orders.Application.Access;
using Orders.Application.UseCases.Commands;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;

namespace Orders.Application.Tests;

/// <summary>Orders and requests for tests: fixed ids, a fixed clock, nothing random.</summary>
public static class TestData
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static readonly Caller Buyer = Caller.Buyer("buyer-1");
    public static readonly Caller OtherBuyer = Caller.Buyer("buyer-2");
    public static readonly Caller SellerA = Caller.Seller("seller-a");
    public static readonly Caller SellerB = Caller.Seller("seller-b");
    public static readonly Caller StrangerSeller = Caller.Seller("seller-z");
    public static readonly Caller Operator = Caller.Operator("ops-1");
    public static readonly Caller Saga = Caller.System("checkout-saga");

    public static ShippingAddress Address { get; } = new("Ada Lovelace", "1 Analytical Way", null, "London", "N1 1AA", "GB");

    public static OrderItem Item(int line, string sku, long unitMinor, int quantity = 1, string seller = "seller-a", Currency? currency = null) =>
        OrderItem.Snapshot(line, sku, "prod-" + sku, SellerId.From(seller), "Item " + sku, Money.Of(unitMinor, currency ?? Currency.USD), quantity);

    /// <summary>Two lines of one seller, 25.00 USD in all plus 5.00 shipping: total 30.00 USD.</summary>
    public static CreateOrderCommand CreateCommand(OrderType type = OrderType.Prepaid, string buyer = "buyer-1", bool twoSellers = false) =>
        new(BuyerId.From(buyer), type,
            [Item(1, "sku-1", 1000, 2), Item(2, "sku-2", 500, 1, twoSellers ? "seller-b" : "seller-a")],
            [], Money.Of(500, Currency.USD), Address);

    public static RequestContext Request(Caller caller, string? key = null, DateTimeOffset? at = null, string causation = "cmd-1") =>
        new(caller, at ?? T0, causation, key);

    public static CommandContext Context(DateTimeOffset? at = null, string causation = "cmd-1") =>
        new(Actor.System("test"), at ?? T0, causation);

    /// <summary>A new, unsaved order in CREATED.</summary>
    public static Order NewOrder(string id = "ord-1", OrderType type = OrderType.Prepaid, bool twoSellers = false)
    {
        var command = CreateCommand(type, twoSellers: twoSellers);
        return Order.Create(new Domain.OrderAggregate.NewOrder(OrderId.From(id), command.BuyerId, type, command.Items, command.Promotions, command.ShippingFee,
            command.ShippingAddress, TimeSpan.FromDays(14), TimeSpan.FromMinutes(30)), Context()).Unwrap();
    }
}
