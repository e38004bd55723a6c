using Orders.Domain.Common;
using Orders.Domain.OrderAggregate;
using Orders.Domain.Services;
using Orders.Domain.ValueObjects;
using static Orders.Domain.Tests.TestSupport.TestOrders;

namespace Orders.Domain.Tests.OrderAggregate;

/// <summary>Values that can never be valid are refused at construction: there is never a half-built object.</summary>
public sealed class OrderItemInputTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(OrderItem.MaxQuantity + 1)]
    [InlineData(int.MinValue)]
    public void AQuantityOutsideOneToTenThousand_IsRefused(int quantity)
    {
        var e = Assert.Throws<DomainException>(() => Item(1, "sku-1", SellerA, 100, quantity));

        Assert.Equal("item.quantity-invalid", e.Code);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(OrderItem.MaxQuantity)]
    public void AQuantityAtTheLimits_IsAccepted(int quantity)
    {
        Assert.Equal(quantity, Item(1, "sku-1", SellerA, 100, quantity).Quantity);
    }

    [Fact]
    public void ALineNumberBelowOne_IsRefused()
    {
        var e = Assert.Throws<DomainException>(() => Item(0, "sku-1", SellerA, 100));

        Assert.Equal("item.line-invalid", e.Code);
    }

    [Fact]
    public void AnInvalidSku_IsRefused()
    {
        var e = Assert.Throws<DomainException>(() => Item(1, "sku 1", SellerA, 100));

        Assert.Equal("sku.invalid", e.Code);
    }

    [Fact]
    public void AnEmptyTitle_IsRefused()
    {
        var e = Assert.Throws<DomainException>(() =>
            OrderItem.Snapshot(1, "sku-1", "prod-1", SellerA, "", Usd(100), 1));

        Assert.Equal("title.empty", e.Code);
    }

    [Fact]
    public void MoreThanTwentyAttributes_AreRefused()
    {
        var attributes = Enumerable.Range(0, OrderItem.MaxAttributes + 1).ToDictionary(i => $"k{i}", i => "v");

        var e = Assert.Throws<DomainException>(() => Item(1, "sku-1", SellerA, 100, attributes: attributes));

        Assert.Equal("item.attributes-too-many", e.Code);
    }

    [Fact]
    public void ALineTotalThatOverflows_IsRefused()
    {
        var e = Assert.Throws<MoneyOverflowException>(() => Item(1, "sku-1", SellerA, long.MaxValue / 2, quantity: 3));

        Assert.Equal("money.overflow", e.Code);
    }

    [Fact]
    public void ANegativeUnitPrice_IsRefusedBeforeAnItemExists()
    {
        var e = Assert.Throws<DomainException>(() => Item(1, "sku-1", SellerA, -100));

        Assert.Equal("money.negative", e.Code);
    }

    [Fact]
    public void AnUnknownCurrencyCode_IsRefusedBeforeAnItemCanBePricedInIt()
    {
        var e = Assert.Throws<DomainException>(() => Item(1, "sku-1", SellerA, 100, currency: Currency.Of("ABC")));

        Assert.Equal("currency.unknown", e.Code);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void APromotionWorthNothingOrLess_IsRefused(long value)
    {
        var e = Assert.Throws<DomainException>(() => AmountOff("SAVE", value));

        Assert.Equal("promotion.value-invalid", e.Code);
    }

    [Fact]
    public void APercentPromotionAboveOneHundredPercent_IsRefused()
    {
        var e = Assert.Throws<DomainException>(() => new Promotion("SAVE", PromotionKind.PercentOff, 10_001));

        Assert.Equal("promotion.value-invalid", e.Code);
    }
}
