using System.Text.Json;
using Orders.Domain.Common;
using Orders.Domain.ValueObjects;

namespace Orders.Domain.Tests.ValueObjects;

public sealed class CurrencyTests
{
    [Theory]
    [InlineData("JPY", 0)]
    [InlineData("KRW", 0)]
    [InlineData("CLP", 0)]
    [InlineData("USD", 2)]
    [InlineData("EUR", 2)]
    [InlineData("GBP", 2)]
    [InlineData("BHD", 3)]
    [InlineData("KWD", 3)]
    [InlineData("TND", 3)]
    public void AKnownCurrency_HasItsIso4217MinorUnitExponent(string code, int exponent)
    {
        var currency = Currency.Of(code);

        Assert.Equal(code, currency.Code);
        Assert.Equal(exponent, currency.Exponent);
    }

    [Theory]
    [InlineData("usd")]
    [InlineData("Usd")]
    [InlineData("XYZ")]
    [InlineData("US")]
    [InlineData("USDT")]
    [InlineData("")]
    [InlineData(" USD")]
    [InlineData("XAU")]
    [InlineData(null)]
    public void AnUnknownOrLowerCaseCode_IsRefused(string? code)
    {
        var e = Assert.Throws<DomainException>(() => Currency.Of(code));

        Assert.Equal("currency.unknown", e.Code);
        Assert.False(Currency.IsKnown(code));
    }

    [Fact]
    public void TheSameCode_IsTheSameCurrency()
    {
        Assert.Equal(Currency.USD, Currency.Of("USD"));
        Assert.NotEqual(Currency.USD, Currency.EUR);
    }

    [Fact]
    public void ACurrency_IsWrittenAsItsCodeInJson()
    {
        Assert.Equal("\"BHD\"", JsonSerializer.Serialize(Currency.BHD, DomainJson.Options));
        Assert.Equal(Currency.BHD, JsonSerializer.Deserialize<Currency>("\"BHD\"", DomainJson.Options));
    }

    [Fact]
    public void AnUnknownCurrencyInJson_IsRefused()
    {
        var e = Assert.Throws<DomainException>(() => JsonSerializer.Deserialize<Currency>("\"usd\"", DomainJson.Options));

        Assert.Equal("currency.unknown", e.Code);
    }
}
