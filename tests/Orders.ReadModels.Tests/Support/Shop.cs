using Orders.Application.Ports.Outbound;
using Orders.Domain.Common;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;
using Orders.Infrastructure.InMemory;

namespace Orders.ReadModels.Tests.Support;

/// <summary>
/// Real orders, driven through the domain's commands and saved in an order store (an <see cref="InMemoryOrderStore"/>
/// unless given another), whose change log the projector reads. Fixed ids and clock; every command is asserted to succeed.
/// </summary>
public sealed class Shop(IOrderStore store, IOrderChangeLog log)
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    public static readonly ShippingAddress Home = new("Ada Lovelace", "12 Analytical Way", null, "London", "N1 9GU", "GB");
    public static readonly ShippingAddress Office = new("Ada Lovelace", "1 Engine House", "Floor 3", "Manchester", "M1 1AA", "GB");
    public static readonly BuyerId Buyer = BuyerId.From("buyer-1");
    public static readonly BuyerId OtherBuyer = BuyerId.From("buyer-2");
    public static readonly SellerId SellerA = SellerId.From("seller-a");
    public static readonly SellerId SellerB = SellerId.From("seller-b");
    public static readonly SellerId SellerC = SellerId.From("seller-c");

    private int _commands;

    public Shop() : this(new InMemoryOrderStore()) { }

    private Shop(InMemoryOrderStore store) : this(store, store) { }

    public IOrderStore Store { get; } = store;

    public IOrderChangeLog Log { get; } = log;

    /// <summary>
    /// A new order: one line per seller (line n: n units at n × 10.00), 5.00 shipping. With one seller A and the
    /// default currency its total is 10.00 + 5.00 = 15.00.
    /// </summary>
    public async Task<Order> CreateAsync(string id, DateTimeOffset at, BuyerId? buyer = null, OrderType type = OrderType.Prepaid,
        IReadOnlyList<SellerId>? sellers = null, Currency? currency = null)
    {
        var money = currency ?? Currency.USD;
        var items = (sellers ?? [SellerA]).Select((seller, i) =>
            OrderItem.Snapshot(i + 1, $"sku-{i + 1}", $"prod-{i + 1}", seller, $"Product {i + 1}", Money.Of(1000 * (i + 1), money), i + 1)).ToArray();
        var draft = new NewOrder(OrderId.From(id), buyer ?? Buyer, type, items, [], Money.Of(500, money), Home,
            NewOrder.DefaultReturnWindow, NewOrder.DefaultPaymentWindow);
        var order = Order.Create(draft, Context(at)).Unwrap();
        await SaveAsync(order);
        return order;
    }

    public Task<Order> ConfirmAsync(string id, DateTimeOffset at) =>
        ActAsync(id, at, (o, c) => o.Confirm($"res-{id}", o.Type == OrderType.Prepaid ? $"auth-{id}" : null, c));

    public Task<Order> PayAsync(string id, DateTimeOffset at) => ActAsync(id, at, (o, c) => o.MarkPaid($"pay-{id}", o.Total, c));

    public Task<Order> ShipAsync(string id, DateTimeOffset at) => ActAsync(id, at, (o, c) => o.Ship($"ship-{id}", "dhl", $"TRK-{id}", c));

    public Task<Order> DeliverAsync(string id, DateTimeOffset at) => ActAsync(id, at, (o, c) => o.Deliver($"ship-{id}", c));

    public Task<Order> CancelAsync(string id, DateTimeOffset at) => ActAsync(id, at, (o, c) => o.Cancel("changed my mind", c));

    public Task<Order> RequestRefundAsync(string id, long minor, DateTimeOffset at) =>
        ActAsync(id, at, (o, c) => o.RequestRefund($"refund-{id}", Money.Of(minor, o.Currency), "damaged", c));

    public Task<Order> CompleteRefundAsync(string id, DateTimeOffset at) => ActAsync(id, at, (o, c) => o.RecordRefund($"refund-{id}", c));

    public Task<Order> ChangeAddressAsync(string id, DateTimeOffset at) => ActAsync(id, at, (o, c) => o.ChangeShippingAddress(Office, c));

    /// <summary>Splits a multi-seller order as the use case does: the children are saved first, the parent last.</summary>
    public async Task<SplitOutcome> SplitAsync(string id, DateTimeOffset at)
    {
        var order = await LoadAsync(id);
        var outcome = order.Split(Context(at)).Unwrap();
        foreach (var child in outcome.Children) await SaveAsync(child);
        await SaveAsync(order);
        return outcome;
    }

    /// <summary>A prepaid order walked to PAID: created at <paramref name="at"/>, confirmed a minute and paid two minutes later.</summary>
    public async Task<Order> PaidAsync(string id, DateTimeOffset at, IReadOnlyList<SellerId>? sellers = null, Currency? currency = null)
    {
        await CreateAsync(id, at, sellers: sellers, currency: currency);
        await ConfirmAsync(id, at.AddMinutes(1));
        return await PayAsync(id, at.AddMinutes(2));
    }

    public async Task<Order> LoadAsync(string id) =>
        await Store.LoadAsync(OrderId.From(id)) ?? throw new InvalidOperationException($"No order {id}.");

    public async Task<Order> ActAsync(string id, DateTimeOffset at, Func<Order, CommandContext, Rejection?> command)
    {
        var order = await LoadAsync(id);
        var rejection = command(order, Context(at));
        if (rejection is not null) throw new InvalidOperationException($"Rejected: {rejection}");
        await SaveAsync(order);
        return order;
    }

    private async Task SaveAsync(Order order)
    {
        if (await Store.SaveAsync(order) != SaveOutcome.Saved) throw new InvalidOperationException($"Conflict saving {order.Id}.");
    }

    private CommandContext Context(DateTimeOffset at) => new(Actor.System("test-shop"), at, $"cmd-{++_commands}");
}
