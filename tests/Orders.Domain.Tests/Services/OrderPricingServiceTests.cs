using Orders.Domain.OrderAggregate;
using Orders.Domain.Services;
using Orders.Domain.ValueObjects;
using static Orders.Domain.Tests.TestSupport.TestOrders;

namespace Orders.Domain.Tests.Services;

/// <summary>The default cart: line 1 is 2 × 15.00 (seller A), line 2 is 1 × 25.00 (seller B), shipping 4.99.</summary>
public sealed class OrderPricingServiceTests
{
    private static readonly IReadOnlyList<OrderItem> Items = Cart(multiSeller: true);

    private static OrderPricing Price(params Promotion[] promotions) => OrderPricingService.Price(Items, promotions, Usd(499));

    [Fact]
    public void WithoutPromotions_TheTotalIsTheLinesPlusShipping()
    {
        var pricing = Price();

        Assert.Equal(Usd(5_500), pricing.Subtotal);
        Assert.Equal(Usd(0), pricing.Discount);
        Assert.Equal(Usd(499), pricing.Shipping);
        Assert.Equal(Usd(5_999), pricing.Total);
    }

    [Fact]
    public void ShippingIsAllocatedToLinesByTheirGross_WithTheRemainderToTheLargestFraction()
    {
        // 499 × 3000/5500 = 272.18, 499 × 2500/5500 = 226.82: the leftover cent goes to line 2.
        Assert.Equal([Usd(272), Usd(227)], Price().Lines.Select(l => l.Shipping));
    }

    [Fact]
    public void AnAmountOff_IsTakenOffTheSubtotalAndSpreadOverTheLines()
    {
        var pricing = Price(AmountOff("TENOFF", 1_000));

        Assert.Equal(Usd(1_000), pricing.Discount);
        Assert.Equal(Usd(4_999), pricing.Total);
        Assert.Equal([Usd(545), Usd(455)], pricing.Lines.Select(l => l.Discount));
        Assert.Equal([new AppliedPromotion("TENOFF", Usd(1_000))], pricing.Promotions);
    }

    [Fact]
    public void APercentOff_IsTakenOffTheSubtotal()
    {
        var pricing = Price(PercentOff("TENPCT", 1_000));

        Assert.Equal(Usd(550), pricing.Discount);
        Assert.Equal([Usd(300), Usd(250)], pricing.Lines.Select(l => l.Discount));
        Assert.Equal(Usd(5_449), pricing.Total);
    }

    [Fact]
    public void ASellerScopedPromotion_DiscountsOnlyThatSellersLines()
    {
        var pricing = Price(AmountOff("B-FIVE", 500, SellerB));

        Assert.Equal([Usd(0), Usd(500)], pricing.Lines.Select(l => l.Discount));
        Assert.Equal(Usd(5_499), pricing.Total);
    }

    [Fact]
    public void AnAmountOffLargerThanTheSubtotal_IsCappedAtTheSubtotal_AndShippingIsStillDue()
    {
        var pricing = Price(AmountOff("HUGE", 1_000_000));

        Assert.Equal(Usd(5_500), pricing.Discount);
        Assert.Equal(Usd(499), pricing.Total);
        Assert.Equal([new AppliedPromotion("HUGE", Usd(5_500))], pricing.Promotions);
    }

    [Fact]
    public void ASellerScopedAmountOff_IsCappedAtThatSellersLines()
    {
        var pricing = Price(AmountOff("B-HUGE", 1_000_000, SellerB));

        Assert.Equal([Usd(0), Usd(2_500)], pricing.Lines.Select(l => l.Discount));
    }

    [Fact]
    public void PromotionsApplyInTheirOrder_EachOnWhatThePreviousLeft()
    {
        var amountFirst = Price(AmountOff("FIVE", 500), PercentOff("HALF", 5_000));
        var percentFirst = Price(PercentOff("HALF", 5_000), AmountOff("FIVE", 500));

        Assert.Equal(Usd(3_000), amountFirst.Discount); // 500, then half of 5000
        Assert.Equal(Usd(3_250), percentFirst.Discount); // half of 5500, then 500
    }

    [Fact]
    public void APromotionForASellerWithoutLines_TakesNothing()
    {
        var pricing = OrderPricingService.Price(Cart(multiSeller: false), [AmountOff("B-FIVE", 500, SellerB)], Usd(499));

        Assert.Equal(Usd(0), pricing.Discount);
        Assert.Equal([new AppliedPromotion("B-FIVE", Usd(0))], pricing.Promotions);
    }

    [Fact]
    public void PricingNoItems_IsAProgrammerError()
    {
        Assert.Throws<ArgumentException>(() => OrderPricingService.Price([], [], Usd(0)));
    }
}
