using System.Text.Json;
using Orders.Domain.Common;
using Orders.Domain.ValueObjects;

namespace Orders.Domain.Tests.ValueObjects;

public sealed class MoneyJsonTests
{
    [Fact]
    public void Money_IsWrittenAsIntegerMinorUnitsAndACode()
    {
        Assert.Equal("""{"minor":1999,"currency":"USD"}""", JsonSerializer.Serialize(Money.Of(1999, Currency.USD), DomainJson.Options));
    }

    [Fact]
    public void Money_SurvivesAJsonRoundTrip()
    {
        var amount = Money.Of(1_234, Currency.BHD);

        Assert.Equal(amount, JsonSerializer.Deserialize<Money>(JsonSerializer.Serialize(amount, DomainJson.Options), DomainJson.Options));
    }

    [Fact]
    public void ANegativeAmountInJson_IsRefused()
    {
        var e = Assert.Throws<DomainException>(() => JsonSerializer.Deserialize<Money>("""{"minor":-1,"currency":"USD"}""", DomainJson.Options));

        Assert.Equal("money.negative", e.Code);
    }

    [Theory]
    [InlineData("""{"minor":1.5,"currency":"USD"}""")]
    [InlineData("""{"minor":1}""")]
    [InlineData("""{"minor":1,"currency":"USD","extra":1}""")]
    [InlineData("1999")]
    public void MalformedMoneyInJson_IsRefused(string json)
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Money>(json, DomainJson.Options));
    }
}
