using Orders.Domain.Events;
using Orders.Domain.OrderAggregate;
using Orders.Domain.Services;
using Orders.Domain.ValueObjects;

namespace Orders.Application.Views;

/// <summary>An order as its reader sees it: the contract, where it is, what happened to it and when.</summary>
public sealed record OrderView(
    OrderId OrderId,
    long Version,
    OrderStatus Status,
    OrderType Type,
    BuyerId BuyerId,
    IReadOnlyList<SellerId> Sellers,
    IReadOnlyList<OrderItem> Items,
    OrderPricing Pricing,
    ShippingAddress ShippingAddress,
    DateTimeOffset CreatedAt,
    DateTimeOffset PaymentDueBy,
    DateTimeOffset? ReturnWindowEndsAt,
    OrderPayment? Payment,
    OrderShipment? Shipment,
    IReadOnlyList<OrderRefund> Refunds,
    Money AmountRefunded,
    OrderId? SplitFrom,
    IReadOnlyList<SplitChild> SplitInto,
    IReadOnlyList<HistoryView> History,
    bool HistoryIntact,
    IReadOnlyList<OrderShipment> LostShipments)
{
    /// <summary>
    /// The view of an order; without its history (and the cost of verifying it) when only the state is wanted. A snapshot:
    /// it shares no list the order goes on changing, so a view kept after a save stays the state that was saved.
    /// </summary>
    public static OrderView From(Order order, bool withHistory = true)
    {
        ArgumentNullException.ThrowIfNull(order);
        return new OrderView(order.Id, order.Version, order.Status, order.Type, order.BuyerId, [.. order.Sellers], order.Items,
            order.Pricing, order.ShippingAddress, order.CreatedAt, order.PaymentDueBy,
            order.DeliveredAt is null ? null : order.ReturnWindowEndsAt, order.Payment, order.Shipment, [.. order.Refunds],
            order.AmountRefunded, order.SplitFrom, [.. order.SplitInto], withHistory ? [.. order.History.Select(HistoryView.Of)] : [],
            withHistory && order.VerifyHistory().IsIntact, [.. order.LostShipments]);
    }
}

/// <summary>One history entry for readers: the fact's type and the facts about the fact.</summary>
public sealed record HistoryView(long Sequence, string Type, OrderStatus? From, OrderStatus To, DateTimeOffset At, string Reason, Actor Actor, string CausationId, string Hash)
{
    public static HistoryView Of(HistoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new(entry.Sequence, entry.Event.Type, entry.From, entry.To, entry.At, entry.Reason, entry.Actor, entry.CausationId, entry.Hash);
    }
}

/// <summary>Where an order is, with its sagas' progress.</summary>
public sealed record OrderStatusView(OrderId OrderId, OrderStatus Status, long Version, DateTimeOffset LastChangedAt, IReadOnlyList<Ports.Outbound.SagaProgress> Sagas);

/// <summary>A history's digest: its last sequence and the hash there. Kept by a buyer or auditor, it pins everything before it.</summary>
public sealed record HistoryDigest(long Sequence, string Hash);

/// <summary>Where a history stops verifying and why.</summary>
public sealed record HistoryBreak(long Sequence, string Problem);

/// <summary>One history entry exactly as stored: the chain rule of decision 0010 recomputes <see cref="Hash"/> from the other three.</summary>
public sealed record StoredEntryView(long Sequence, string PreviousHash, string Hash, string Content);

/// <summary>
/// An order's stored history (<see cref="Since"/> null), or the consistency proof from a kept digest: the entries after
/// <see cref="Since"/>, chaining from its hash to <see cref="Digest"/>.
/// </summary>
public sealed record OrderHistoryView(
    OrderId OrderId,
    string Chain,
    HistoryDigest Digest,
    bool Intact,
    HistoryBreak? BrokenAt,
    HistoryDigest? Since,
    IReadOnlyList<StoredEntryView> Entries);
