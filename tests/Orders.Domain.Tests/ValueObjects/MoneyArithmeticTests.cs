using Orders.Domain.Common;
using Orders.Domain.ValueObjects;

namespace Orders.Domain.Tests.ValueObjects;

public sealed class MoneyArithmeticTests
{
    private static Money Usd(long minor) => Money.Of(minor, Currency.USD);

    private static Money Eur(long minor) => Money.Of(minor, Currency.EUR);

    [Fact]
    public void AddingTwoAmountsOfOneCurrency_AddsTheirMinorUnits()
    {
        Assert.Equal(Usd(1_050), Usd(1_000) + Usd(50));
    }

    [Fact]
    public void SubtractingASmallerAmount_LeavesTheDifference()
    {
        Assert.Equal(Usd(950), Usd(1_000) - Usd(50));
    }

    private static readonly Dictionary<string, Func<Money, Money, object>> Operations = new()
    {
        ["+"] = (a, b) => a + b,
        ["-"] = (a, b) => a - b,
        ["<"] = (a, b) => a < b,
        [">"] = (a, b) => a > b,
        ["<="] = (a, b) => a <= b,
        [">="] = (a, b) => a >= b,
        ["Min"] = (a, b) => Money.Min(a, b),
        ["Sum"] = (a, b) => Money.Sum([a, b], Currency.USD),
    };

    public static TheoryData<string> MixedCurrencyOperations() => new(Operations.Keys);

    [Theory]
    [MemberData(nameof(MixedCurrencyOperations))]
    public void CombiningTwoCurrencies_IsRefusedWithACurrencyMismatch(string operation)
    {
        var e = Assert.Throws<CurrencyMismatchException>(() => Operations[operation](Usd(500), Eur(100)));

        Assert.Equal("money.currency-mismatch", e.Code);
        Assert.Equal("Cannot combine USD with EUR.", e.Message);
    }

    [Fact]
    public void AddingPastTheLargestAmount_IsRefusedAsOverflow()
    {
        var e = Assert.Throws<MoneyOverflowException>(() => Usd(long.MaxValue) + Usd(1));

        Assert.Equal("money.overflow", e.Code);
    }

    [Fact]
    public void MultiplyingPastTheLargestAmount_IsRefusedAsOverflow()
    {
        var e = Assert.Throws<MoneyOverflowException>(() => Usd(long.MaxValue / 2 + 1).Times(2));

        Assert.Equal("money.overflow", e.Code);
    }

    [Fact]
    public void MultiplyingUpToTheLargestAmount_IsExact()
    {
        Assert.Equal(Usd(long.MaxValue - 1), Usd(long.MaxValue / 2).Times(2));
    }

    [Fact]
    public void ANegativeAmount_IsRefused()
    {
        var e = Assert.Throws<DomainException>(() => Usd(-1));

        Assert.Equal("money.negative", e.Code);
    }

    [Fact]
    public void SubtractingALargerAmount_IsRefusedAsNegative()
    {
        var e = Assert.Throws<DomainException>(() => Usd(50) - Usd(51));

        Assert.Equal("money.negative", e.Code);
    }

    [Fact]
    public void MultiplyingByANegativeFactor_IsRefusedAsNegative()
    {
        var e = Assert.Throws<DomainException>(() => Usd(50).Times(-1));

        Assert.Equal("money.negative", e.Code);
    }

    [Fact]
    public void AnAmountWithoutACurrency_RefusesToNameOne()
    {
        var e = Assert.Throws<DomainException>(() => default(Money).Currency);

        Assert.Equal("money.uninitialised", e.Code);
    }

    [Fact]
    public void SummingNothing_IsZeroInTheGivenCurrency()
    {
        Assert.Equal(Money.Zero(Currency.JPY), Money.Sum([], Currency.JPY));
    }

    [Fact]
    public void ComparisonsOfOneCurrency_OrderByMinorUnits()
    {
        Assert.True(Usd(1) < Usd(2));
        Assert.True(Usd(2) > Usd(1));
        Assert.True(Usd(2) <= Usd(2));
        Assert.True(Usd(2) >= Usd(2));
        Assert.Equal(Usd(1), Money.Min(Usd(1), Usd(2)));
    }

    [Theory]
    [InlineData(1, 5_000, 1)] // 0.5 rounds half up
    [InlineData(3, 5_000, 2)] // 1.5 rounds half up
    [InlineData(1, 4_999, 0)] // 0.4999 rounds down
    [InlineData(999, 1_000, 100)] // 99.9 rounds up
    [InlineData(1_005, 1_000, 101)] // 100.5 rounds half up
    [InlineData(1_004, 1_000, 100)] // 100.4 rounds down
    [InlineData(12_345, 0, 0)]
    [InlineData(12_345, 10_000, 12_345)]
    [InlineData(long.MaxValue, 10_000, long.MaxValue)] // no intermediate overflow
    public void APercentage_RoundsHalfUpToTheMinorUnit(long minor, long basisPoints, long expected)
    {
        Assert.Equal(Usd(expected), Usd(minor).Percent(basisPoints));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(10_001)]
    public void APercentageOutsideZeroToOneHundred_IsRefused(long basisPoints)
    {
        var e = Assert.Throws<DomainException>(() => Usd(100).Percent(basisPoints));

        Assert.Equal("money.percent-range", e.Code);
    }

    [Theory]
    [InlineData("JPY", 1234, "1234 JPY")]
    [InlineData("JPY", 0, "0 JPY")]
    [InlineData("USD", 1234, "12.34 USD")]
    [InlineData("USD", 5, "0.05 USD")]
    [InlineData("USD", 100, "1.00 USD")]
    [InlineData("BHD", 1234, "1.234 BHD")]
    [InlineData("BHD", 5, "0.005 BHD")]
    [InlineData("BHD", 1_000_000, "1000.000 BHD")]
    public void AnAmount_IsWrittenWithItsCurrencysDecimals(string currency, long minor, string expected)
    {
        Assert.Equal(expected, Money.Of(minor, Currency.Of(currency)).ToString());
    }

    [Fact]
    public void AnAmountWithoutACurrency_SaysSoWhenWritten()
    {
        Assert.Equal("(no currency)", default(Money).ToString());
    }
}
