using Orders.Domain.ValueObjects;

namespace Orders.Domain.Services;

/// <summary>One line's share of the order's price: gross, the discount allocated to it, the shipping allocated to it.</summary>
public sealed record LinePrice(int Line, Money Gross, Money Discount, Money Shipping)
{
    public Money Net => Gross - Discount + Shipping;
}

/// <summary>What a promotion actually took off.</summary>
public sealed record AppliedPromotion(string Code, Money Amount);

/// <summary>
/// The price of an order, frozen at creation. Totals are the sums of the lines, so any subset of lines (a split
/// child) is priced exactly by its lines and the parts always sum to the whole.
/// </summary>
public sealed record OrderPricing(
    Money Subtotal,
    Money Discount,
    Money Shipping,
    Money Total,
    IReadOnlyList<LinePrice> Lines,
    IReadOnlyList<AppliedPromotion> Promotions)
{
    /// <summary>Prices a subset of lines (renumbered 1..n in the given order) as an order of its own.</summary>
    public static OrderPricing FromLines(IReadOnlyList<LinePrice> lines, Currency currency, IReadOnlyList<AppliedPromotion> promotions)
    {
        var subtotal = Money.Sum(lines.Select(l => l.Gross), currency);
        var discount = Money.Sum(lines.Select(l => l.Discount), currency);
        var shipping = Money.Sum(lines.Select(l => l.Shipping), currency);
        return new OrderPricing(subtotal, discount, shipping, subtotal - discount + shipping, lines, promotions);
    }

    public bool Equals(OrderPricing? other) =>
        other is not null && Subtotal == other.Subtotal && Discount == other.Discount && Shipping == other.Shipping
        && Total == other.Total && Lines.SequenceEqual(other.Lines) && Promotions.SequenceEqual(other.Promotions);

    public override int GetHashCode() => HashCode.Combine(Subtotal, Discount, Shipping, Total, Lines.Count);
}
