using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;

namespace Orders.Domain.Services;

/// <summary>
/// Prices an order once, at creation: line totals, promotions (applied in the given order, each on what the
/// previous ones left, never below zero), one shipping fee. Discounts and shipping are allocated to lines by the
/// largest-remainder method, so every part is an exact number of minor units and the parts sum to the whole.
/// </summary>
public static class OrderPricingService
{
    public static OrderPricing Price(IReadOnlyList<OrderItem> items, IReadOnlyList<Promotion> promotions, Money shippingFee)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(promotions);
        if (items.Count == 0) throw new ArgumentException("An order has at least one item.", nameof(items));

        var currency = items[0].UnitPrice.Currency;
        var gross = items.Select(i => i.LineTotal).ToArray();
        var discount = items.Select(_ => Money.Zero(currency)).ToArray();
        var applied = new List<AppliedPromotion>();

        foreach (var promotion in promotions)
        {
            var eligible = Enumerable.Range(0, items.Count)
                .Where(i => promotion.SellerId is null || items[i].SellerId == promotion.SellerId)
                .ToArray();
            var remaining = eligible.Select(i => (gross[i] - discount[i]).Minor).ToArray();
            var baseAmount = Money.Sum(eligible.Select(i => gross[i] - discount[i]), currency); // checked: overflow is a DomainException
            var amount = promotion.Kind == PromotionKind.AmountOff
                ? Money.Min(Money.Of(promotion.Value, currency), baseAmount)
                : baseAmount.Percent(promotion.Value);
            applied.Add(new AppliedPromotion(promotion.Code, amount));
            if (amount.IsZero) continue;

            var shares = amount.Allocate(remaining);
            for (var k = 0; k < eligible.Length; k++) discount[eligible[k]] += shares[k];
        }

        var shippingShares = shippingFee.Allocate(gross.Select(g => g.Minor).ToArray());
        var lines = items.Select((item, i) => new LinePrice(item.Line, gross[i], discount[i], shippingShares[i])).ToArray();
        return OrderPricing.FromLines(lines, currency, applied);
    }
}
