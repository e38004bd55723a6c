using Orders.Domain.Common;
using Orders.Domain.ValueObjects;

namespace Orders.Domain.Tests.ValueObjects;

/// <summary>Ids travel into Cosmos ids, partition keys, URLs and session ids: a conservative alphabet, at most 128 characters.</summary>
public sealed class IdentifierTests
{
    private static readonly Dictionary<string, Func<string, object>> Kinds = new()
    {
        ["order-id"] = v => OrderId.From(v),
        ["buyer-id"] = v => BuyerId.From(v),
        ["seller-id"] = v => SellerId.From(v),
    };

    public static TheoryData<string, string, string> BadIds()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var kind in Kinds.Keys)
        {
            data.Add(kind, "", "empty");
            data.Add(kind, "   ", "empty");
            data.Add(kind, new string('a', 129), "too-long");
            data.Add(kind, "has space", "invalid");
            data.Add(kind, "slash/inside", "invalid");
            data.Add(kind, "ümlaut", "invalid");
            data.Add(kind, "semi;colon", "invalid");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(BadIds))]
    public void ABadId_IsRefusedWithACodeNamingTheKindAndTheProblem(string kind, string value, string problem)
    {
        var e = Assert.Throws<DomainException>(() => Kinds[kind](value));

        Assert.Equal($"{kind}.{problem}", e.Code);
    }

    [Theory]
    [InlineData("order-id")]
    [InlineData("buyer-id")]
    [InlineData("seller-id")]
    public void AnIdOf128AllowedCharacters_IsAccepted(string kind)
    {
        var value = "Ab0-_.:" + new string('z', 121);

        var id = Kinds[kind](value);

        Assert.Equal(value, id.ToString());
    }

    [Fact]
    public void ANullId_IsRefusedAsEmpty()
    {
        var e = Assert.Throws<DomainException>(() => OrderId.From(null!));

        Assert.Equal("order-id.empty", e.Code);
    }

    [Fact]
    public void AChildOrderId_IsTheParentIdWithTheOrdinal()
    {
        Assert.Equal(OrderId.From("order-1-s2"), OrderId.From("order-1").Child(2));
    }

    [Fact]
    public void SellerIds_SortByOrdinalValue()
    {
        Assert.True(SellerId.From("B").CompareTo(SellerId.From("a")) < 0);
    }
}
