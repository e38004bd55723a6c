using Orders.Domain.Common;
using Orders.Domain.ValueObjects;

namespace Orders.Domain.Tests.ValueObjects;

public sealed class ShippingAddressTests
{
    private static ShippingAddress WithCountry(string? country) => new("Ada Lovelace", "12 Analytical Way", null, "London", "N1 9GU", country!);

    [Theory]
    [InlineData("gb")]
    [InlineData("Gb")]
    [InlineData("GBR")]
    [InlineData("G")]
    [InlineData("")]
    [InlineData("1A")]
    [InlineData(null)]
    public void AnInvalidCountryCode_IsRefused(string? country)
    {
        var e = Assert.Throws<DomainException>(() => WithCountry(country));

        Assert.Equal("countryCode.invalid", e.Code);
    }

    [Fact]
    public void AnIso3166Alpha2Code_IsAccepted()
    {
        Assert.Equal("DE", WithCountry("DE").CountryCode);
    }

    [Fact]
    public void AnEmptyRecipient_IsRefused()
    {
        var e = Assert.Throws<DomainException>(() => new ShippingAddress(" ", "12 Analytical Way", null, "London", "N1 9GU", "GB"));

        Assert.Equal("recipient.empty", e.Code);
    }

    [Fact]
    public void AnOverlongPostalCode_IsRefused()
    {
        var e = Assert.Throws<DomainException>(() => new ShippingAddress("Ada", "12 Analytical Way", null, "London", new string('9', 21), "GB"));

        Assert.Equal("postalCode.too-long", e.Code);
    }

    [Fact]
    public void AnEmptySecondLine_IsAllowed()
    {
        Assert.Equal("", new ShippingAddress("Ada", "12 Analytical Way", "", "London", "N1 9GU", "GB").Line2);
    }
}
