using Orders.Domain.OrderAggregate;
using Orders.Domain.Services;
using Orders.Domain.ValueObjects;
using static Orders.Domain.OrderAggregate.OrderRejections.Codes;
using static Orders.Domain.Tests.TestSupport.TestOrders;

namespace Orders.Domain.Tests.Services;

public sealed class OrderValidationServiceTests
{
    private static NewOrder Valid => Draft(multiSeller: true);

    private static void AssertInvalid(NewOrder order, string expectedError)
    {
        var rejection = OrderValidationService.Validate(order);

        Assert.NotNull(rejection);
        Assert.Equal(Invalid, rejection.Code);
        Assert.Contains(rejection.Errors, e => e.Contains(expectedError, StringComparison.Ordinal));
    }

    private static OrderItem[] Lines(int count) =>
        Enumerable.Range(1, count).Select(i => Item(i, $"sku-{i}", SellerA, 100)).ToArray();

    [Fact]
    public void AWellFormedOrder_IsValid()
    {
        Assert.Null(OrderValidationService.Validate(Valid));
    }

    [Fact]
    public void AnOrderWithoutItems_IsInvalid()
    {
        AssertInvalid(Valid with { Items = [] }, "items: an order needs at least one item.");
    }

    [Fact]
    public void AnOrderWithItemsInTwoCurrencies_IsInvalid()
    {
        AssertInvalid(Valid with { Items = [Item(1, "sku-1", SellerA, 100), Item(2, "sku-2", SellerA, 100, currency: Currency.EUR)] },
            "items: all items must be priced in one currency.");
    }

    [Fact]
    public void AnOrderWithTheSameSkuTwice_IsInvalid()
    {
        AssertInvalid(Valid with { Items = [Item(1, "sku-1", SellerA, 100), Item(2, "sku-1", SellerA, 100)] },
            "items: sku 'sku-1' appears more than once; use the quantity.");
    }

    [Fact]
    public void AnOrderOfOneHundredLines_IsValid()
    {
        Assert.Null(OrderValidationService.Validate(Valid with { Items = Lines(OrderValidationService.MaxLines) }));
    }

    [Fact]
    public void AnOrderOfMoreThanOneHundredLines_IsInvalid()
    {
        AssertInvalid(Valid with { Items = Lines(OrderValidationService.MaxLines + 1) }, "items: at most 100 lines.");
    }

    [Fact]
    public void AnOrderWhoseLinesAreNotNumberedOneToN_IsInvalid()
    {
        AssertInvalid(Valid with { Items = [Item(1, "sku-1", SellerA, 100), Item(3, "sku-2", SellerA, 100)] },
            "items[1]: lines must be numbered 1..n in order.");
    }

    [Fact]
    public void AnOrderWhoseSnapshotsExceed256KiB_IsInvalid()
    {
        var attributes = Enumerable.Range(0, OrderItem.MaxAttributes).ToDictionary(i => $"attribute-{i}", _ => new string('x', 200));
        var items = Enumerable.Range(1, OrderValidationService.MaxLines)
            .Select(i => Item(i, $"sku-{i}", SellerA, 100, attributes: attributes)).ToArray();

        AssertInvalid(Valid with { Items = items }, "bytes; at most 262144.");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(366)]
    public void AReturnWindowOutsideZeroTo365Days_IsInvalid(int days)
    {
        AssertInvalid(Valid with { ReturnWindow = TimeSpan.FromDays(days) }, "returnWindow: between 0 and 365 days.");
    }

    [Fact]
    public void AReturnWindowOfZero_IsValid()
    {
        Assert.Null(OrderValidationService.Validate(Valid with { ReturnWindow = TimeSpan.Zero }));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-60)]
    [InlineData(7 * 24 * 60 + 1)]
    public void APaymentWindowOutsideZeroToSevenDays_IsInvalid(int minutes)
    {
        AssertInvalid(Valid with { PaymentWindow = TimeSpan.FromMinutes(minutes) }, "paymentWindow: more than 0 and at most 7 days.");
    }

    [Fact]
    public void AShippingFeeInAnotherCurrency_IsInvalid()
    {
        AssertInvalid(Valid with { ShippingFee = Money.Of(499, Currency.EUR) }, "shippingFee: must be in the items' currency USD.");
    }

    [Fact]
    public void MoreThanTenPromotions_AreInvalid()
    {
        var promotions = Enumerable.Range(1, OrderValidationService.MaxPromotions + 1).Select(i => AmountOff($"P{i}", 1)).ToArray();

        AssertInvalid(Valid with { Promotions = promotions }, "promotions: at most 10.");
    }

    [Fact]
    public void TheSamePromotionCodeTwice_IsInvalid()
    {
        AssertInvalid(Valid with { Promotions = [AmountOff("SAVE", 1), PercentOff("SAVE", 100)] }, "promotions: each code may be applied once.");
    }

    [Fact]
    public void APromotionForASellerWithNoItems_IsInvalid()
    {
        AssertInvalid(Valid with { Promotions = [AmountOff("C-ONLY", 100, SellerId.From("seller-c"))] },
            "promotions: a seller-scoped promotion names a seller with no items in the order.");
    }

    [Fact]
    public void EveryProblem_IsReportedAtOnce()
    {
        var rejection = OrderValidationService.Validate(Valid with
        {
            ShippingFee = Money.Of(1, Currency.EUR),
            ReturnWindow = TimeSpan.FromDays(-1),
            PaymentWindow = TimeSpan.Zero,
        });

        Assert.NotNull(rejection);
        Assert.Equal(3, rejection.Errors.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AnOrderWhoseSubtotalOverflows_IsInvalid_WithOrWithoutAPromotion(bool withPromotion)
    {
        var items = new[] { Item(1, "sku-1", SellerA, long.MaxValue / 2 + 1), Item(2, "sku-2", SellerA, long.MaxValue / 2 + 1) };

        AssertInvalid(Valid with { Items = items, Promotions = withPromotion ? [PercentOff("TEN", 1_000)] : [] },
            "pricing: The amount overflowed during addition.");
    }

    [Fact]
    public void CreatingAnInvalidOrder_ReturnsTheRejectionAndNoOrder()
    {
        var result = Order.Create(Valid with { Items = [] }, Context(T0, "create-1"));

        Assert.False(result.IsSuccess);
        Assert.Null(result.Value);
        Assert.Equal(Invalid, result.Rejection?.Code);
    }
}
