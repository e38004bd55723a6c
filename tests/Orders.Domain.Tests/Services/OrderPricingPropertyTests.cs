using CsCheck;
using Orders.Domain.OrderAggregate;
using Orders.Domain.Services;
using Orders.Domain.ValueObjects;

namespace Orders.Domain.Tests.Services;

public sealed class OrderPricingPropertyTests
{
    private static readonly SellerId[] Sellers = [SellerId.From("s1"), SellerId.From("s2"), SellerId.From("s3")];

    public static readonly Gen<IReadOnlyList<OrderItem>> Carts =
        from currency in Gen.OneOf(Currency.USD, Currency.JPY, Currency.BHD)
        from lines in Gen.Select(Gen.Int[0, 2], Gen.Long[0, 100_000], Gen.Int[1, 20]).Array[1, 8]
        select (IReadOnlyList<OrderItem>)lines.Select((l, i) => OrderItem.Snapshot(i + 1, $"sku-{i + 1}", $"prod-{i + 1}", Sellers[l.Item1],
            $"Product {i + 1}", Money.Of(l.Item2, currency), l.Item3)).ToArray();

    public static readonly Gen<Promotion[]> Promotions = Gen.Select(
        Gen.Bool, Gen.Long[1, 200_000], Gen.Long[1, 10_000], Gen.Int[0, 3],
        (amountOff, amount, basisPoints, seller) => amountOff
            ? new Promotion("P", PromotionKind.AmountOff, amount, seller < 3 ? Sellers[seller] : null)
            : new Promotion("P", PromotionKind.PercentOff, basisPoints, seller < 3 ? Sellers[seller] : null)).Array[0, 3];

    private static readonly Gen<(IReadOnlyList<OrderItem> Items, Promotion[] Promotions, long Shipping)> Orders =
        Gen.Select(Carts, Promotions, Gen.Long[0, 5_000]);

    [Fact]
    public void ThePartsOfAPrice_AlwaysSumExactlyToItsTotals()
    {
        Orders.Sample((items, promotions, shippingMinor) =>
        {
            var currency = items[0].UnitPrice.Currency;
            var shipping = Money.Of(shippingMinor, currency);
            var p = OrderPricingService.Price(items, promotions, shipping);
            var sum = (Func<LinePrice, Money> part) => Money.Sum(p.Lines.Select(part), currency);

            return p.Subtotal == Money.Sum(items.Select(i => i.LineTotal), currency)
                && p.Subtotal == sum(l => l.Gross)
                && p.Discount == sum(l => l.Discount)
                && p.Discount == Money.Sum(p.Promotions.Select(a => a.Amount), currency)
                && p.Shipping == shipping && p.Shipping == sum(l => l.Shipping)
                && p.Total == p.Subtotal - p.Discount + p.Shipping
                && p.Total == sum(l => l.Net)
                && p.Lines.All(l => l.Discount <= l.Gross)
                && p.Lines.Select(l => l.Line).SequenceEqual(items.Select(i => i.Line));
        }, iter: 1_000);
    }

    [Fact]
    public void ASellerScopedPromotion_NeverDiscountsAnotherSellersLines()
    {
        Gen.Select(Carts, Gen.Int[0, 2], Gen.Long[1, 200_000]).Sample((items, seller, amount) =>
        {
            var promotion = new Promotion("S", PromotionKind.AmountOff, amount, Sellers[seller]);
            var p = OrderPricingService.Price(items, [promotion], Money.Zero(items[0].UnitPrice.Currency));
            return p.Lines.Zip(items).All(x => x.Second.SellerId == Sellers[seller] || x.First.Discount.IsZero);
        }, iter: 500);
    }
}
