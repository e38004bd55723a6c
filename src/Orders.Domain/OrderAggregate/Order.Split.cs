using Orders.Domain.Common;
using Orders.Domain.Events;
using Orders.Domain.Services;
using Orders.Domain.ValueObjects;
using static Orders.Domain.OrderAggregate.OrderRejections;

namespace Orders.Domain.OrderAggregate;

/// <summary>A split: the parent, now SPLIT, and its new children, one per seller, each CREATED.</summary>
public sealed record SplitOutcome(Order Parent, IReadOnlyList<Order> Children);

public sealed partial class Order
{
    /// <summary>
    /// CREATED → SPLIT: divides a multi-seller order into one child order per seller (sellers in ordinal order, child
    /// ids <c>{id}-s1</c>, <c>{id}-s2</c>, …). Each child keeps its lines' exact prices, discounts and shipping shares,
    /// so the children's totals sum to the parent's to the minor unit. The parent never ships. Splitting a split
    /// order again is a replay: no new facts, no new children.
    /// </summary>
    public Result<SplitOutcome> Split(CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Status == OrderStatus.Split) return Result<SplitOutcome>.Ok(new SplitOutcome(this, []));
        if (Status != OrderStatus.Created) return InStatus(Codes.NotSplittable, "split", Status);
        var sellers = Sellers.ToArray();
        if (sellers.Length < 2) return Of(Codes.SingleSeller, "Only an order with items of several sellers can be split.");

        var children = new List<Order>();
        var summary = new List<SplitChild>();
        for (var i = 0; i < sellers.Length; i++)
        {
            var lines = Items.Where(item => item.SellerId == sellers[i]).ToArray();
            var items = lines.Select((item, k) => item.Renumbered(k + 1)).ToArray();
            var prices = lines.Select((item, k) => Pricing.Lines.Single(p => p.Line == item.Line) with { Line = k + 1 }).ToArray();
            var pricing = OrderPricing.FromLines(prices, Currency, []);
            var childId = Id.Child(i + 1);
            var child = Create(
                new NewOrder(childId, BuyerId, Type, items, [], Money.Zero(Currency), ShippingAddress, ReturnWindow, PaymentWindow: TimeSpan.Zero),
                context, splitFrom: Id, pricing, paymentDueBy: PaymentDueBy).Unwrap(); // the parent's deadline, not a new one
            children.Add(child);
            summary.Add(new SplitChild(childId, sellers[i], pricing.Total));
        }

        Transition(new OrderSplit(Id, summary), OrderStatus.Split, $"split into {summary.Count} orders, one per seller", context);
        return Result<SplitOutcome>.Ok(new SplitOutcome(this, children));
    }
}
