using Orders.Application.Views;
using Orders.Domain.OrderAggregate;
using Orders.Domain.Policies;
using Orders.Domain.ValueObjects;

namespace Orders.Application.ReadModels;

/// <summary>
/// What each view holds for an order in a given state. Pure: the same history gives the same records, which is what
/// makes replays converge.
/// </summary>
public static class OrderProjection
{
    public static OrderDetailRecord Detail(Order order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return new OrderDetailRecord(OrderView.From(order), [.. order.History]);
    }

    /// <summary>The list item. <see cref="OrderListItem.ItemCount"/> counts units (2 × A + 1 × B is 3), as buyers read it.</summary>
    public static OrderListItem ListItem(Order order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return new OrderListItem(order.Id, order.BuyerId, [.. order.Sellers], order.Status, order.Type, order.Total,
            order.Items.Sum(i => i.Quantity), order.CreatedAt, order.History[^1].At, order.Version);
    }

    /// <summary>One record per seller with items in the order (a split parent keeps its items, so it stays listed as SPLIT).</summary>
    public static IReadOnlyList<SellerOrderRecord> SellerRecords(Order order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var item = ListItem(order);
        var readySince = ReadySince(order);
        return [.. order.Sellers.Select(seller => new SellerOrderRecord(seller, item, SellerShare(order, seller), readySince))];
    }

    /// <summary>
    /// The seller's part of what the buyer pays: its lines net of their allocated discount plus their allocated
    /// shipping. The sellers' shares sum to the order's total.
    /// </summary>
    public static Money SellerShare(Order order, SellerId seller)
    {
        ArgumentNullException.ThrowIfNull(order);
        var lines = order.Items.Where(i => i.SellerId == seller).Select(i => i.Line).ToHashSet();
        return Money.Sum(order.Pricing.Lines.Where(l => lines.Contains(l.Line)).Select(l => l.Net), order.Currency);
    }

    /// <summary>
    /// Since when the order has waited for its seller to ship it: the moment it became PAID (prepaid) or CONFIRMED
    /// (cash on delivery). Null while it cannot ship (by the domain's own <see cref="FulfillmentPolicy"/>: not yet
    /// paid, a refund pending) and once it has shipped or ended.
    /// </summary>
    public static DateTimeOffset? ReadySince(Order order)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (FulfillmentPolicy.CheckShip(order) is not null) return null;
        return order.History.Last(e => e.To == order.Status && e.From != e.To).At;
    }
}
