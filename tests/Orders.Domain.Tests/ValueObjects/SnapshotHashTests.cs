using System.Text.Json;
using System.Text.Json.Nodes;
using Orders.Domain.Common;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;
using static Orders.Domain.Tests.TestSupport.TestOrders;

namespace Orders.Domain.Tests.ValueObjects;

/// <summary>The item snapshot hash (v1) is stored forever: these tests pin it and prove tampering is refused.</summary>
public sealed class SnapshotHashTests
{
    private static OrderItem Mug(int line = 1, IReadOnlyDictionary<string, string>? attributes = null) => OrderItem.Snapshot(
        line, "MUG-350-BLU", "prod-42", SellerId.From("seller-a"), "Mug “Ada” — 350 ml, blue", Money.Of(1299, Currency.USD), 2,
        attributes ?? new Dictionary<string, string> { ["size"] = "350ml", ["colour"] = "blue" });

    [Fact]
    public void TheCanonicalFormOfOneFixedItem_IsPinned()
    {
        Assert.Equal(
            """{"v":"orders.item-snapshot.v1","sku":"MUG-350-BLU","productId":"prod-42","sellerId":"seller-a","title":"Mug “Ada” — 350 ml, blue","unitPriceMinor":1299,"currency":"USD","quantity":2,"attributes":{"colour":"blue","size":"350ml"}}""",
            Mug().CanonicalForm());
    }

    [Fact]
    public void TheHashOfOneFixedItem_IsPinned()
    {
        Assert.Equal(SnapshotHash.From("sha256:v1:1ca2c15112aabc6ee9d6feb23efb944fede7377630c0930ffdce02270bffa6c3"), Mug().Hash);
    }

    [Fact]
    public void TheOrderInWhichAttributesWereGiven_DoesNotChangeTheHash()
    {
        var one = Mug(attributes: new Dictionary<string, string> { ["size"] = "350ml", ["colour"] = "blue" });
        var other = Mug(attributes: new Dictionary<string, string> { ["colour"] = "blue", ["size"] = "350ml" });

        Assert.Equal(one.Hash, other.Hash);
    }

    [Fact]
    public void RenumberingALine_KeepsItsHash()
    {
        var item = Mug(line: 3);

        var renumbered = item.Renumbered(1);

        Assert.Equal(1, renumbered.Line);
        Assert.Equal(item.Hash, renumbered.Hash);
        Assert.Equal(Mug(line: 1), renumbered);
    }

    public static TheoryData<string> Edits() => new(["title", "price", "quantity", "attribute", "seller", "currency"]);

    [Theory]
    [MemberData(nameof(Edits))]
    public void ChangingAnythingSold_ChangesTheHash(string edit)
    {
        var seller = SellerId.From("seller-a");
        var attributes = new Dictionary<string, string> { ["size"] = "350ml", ["colour"] = "blue" };
        var edited = edit switch
        {
            "title" => OrderItem.Snapshot(1, "MUG-350-BLU", "prod-42", seller, "Mug “Ada” — 350 ml, red", Money.Of(1299, Currency.USD), 2, attributes),
            "price" => OrderItem.Snapshot(1, "MUG-350-BLU", "prod-42", seller, "Mug “Ada” — 350 ml, blue", Money.Of(1298, Currency.USD), 2, attributes),
            "quantity" => OrderItem.Snapshot(1, "MUG-350-BLU", "prod-42", seller, "Mug “Ada” — 350 ml, blue", Money.Of(1299, Currency.USD), 3, attributes),
            "attribute" => Mug(attributes: new Dictionary<string, string> { ["size"] = "350ml", ["colour"] = "Blue" }),
            "seller" => OrderItem.Snapshot(1, "MUG-350-BLU", "prod-42", SellerId.From("seller-b"), "Mug “Ada” — 350 ml, blue", Money.Of(1299, Currency.USD), 2, attributes),
            _ => OrderItem.Snapshot(1, "MUG-350-BLU", "prod-42", seller, "Mug “Ada” — 350 ml, blue", Money.Of(1299, Currency.EUR), 2, attributes),
        };

        Assert.NotEqual(Mug().Hash, edited.Hash);
    }

    [Fact]
    public void AnItemBuiltWithAHashThatDoesNotMatchItsContent_IsRefused()
    {
        var wrong = Item(1, "sku-other", SellerA, 1).Hash;

        var e = Assert.Throws<DomainException>(() => new OrderItem(1, "MUG-350-BLU", "prod-42", SellerId.From("seller-a"),
            "Mug “Ada” — 350 ml, blue", Money.Of(1299, Currency.USD), 2, new Dictionary<string, string> { ["size"] = "350ml", ["colour"] = "blue" }, wrong));

        Assert.Equal("item.snapshot-tampered", e.Code);
    }

    [Fact]
    public void AnItemBuiltWithItsOwnHash_IsAccepted()
    {
        var item = Mug();

        var rebuilt = new OrderItem(item.Line, item.Sku, item.ProductId, item.SellerId, item.Title, item.UnitPrice, item.Quantity, item.Attributes, item.Hash);

        Assert.Equal(item, rebuilt);
    }

    [Fact]
    public void AnItem_SurvivesAJsonRoundTripWithItsHash()
    {
        var item = Mug();

        var back = JsonSerializer.Deserialize<OrderItem>(JsonSerializer.Serialize(item, DomainJson.Options), DomainJson.Options);

        Assert.NotNull(back);
        Assert.Equal(item.Hash, back.Hash);
        Assert.Equal(item.CanonicalForm(), back.CanonicalForm());
    }

    [Theory]
    [InlineData("title", "Mug “Ada” — 350 ml, gold")]
    [InlineData("sku", "MUG-350-GLD")]
    public void AStoredItemWithAnEditedField_IsRefusedWhenRead(string field, string value)
    {
        var json = JsonNode.Parse(JsonSerializer.Serialize(Mug(), DomainJson.Options))!;
        json[field] = value;

        var e = Assert.Throws<DomainException>(() => JsonSerializer.Deserialize<OrderItem>(json.ToJsonString(), DomainJson.Options));

        Assert.Equal("item.snapshot-tampered", e.Code);
    }

    [Fact]
    public void AStoredItemWithAnEditedPrice_IsRefusedWhenRead()
    {
        var json = JsonNode.Parse(JsonSerializer.Serialize(Mug(), DomainJson.Options))!;
        json["unitPrice"]!["minor"] = 1;

        var e = Assert.Throws<DomainException>(() => JsonSerializer.Deserialize<OrderItem>(json.ToJsonString(), DomainJson.Options));

        Assert.Equal("item.snapshot-tampered", e.Code);
    }

    [Theory]
    [InlineData("sha256:v1:ABCDEF0000000000000000000000000000000000000000000000000000000000")]
    [InlineData("sha256:v2:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("sha256:v1:00")]
    [InlineData("")]
    public void AMalformedSnapshotHash_IsRefused(string value)
    {
        var e = Assert.Throws<DomainException>(() => SnapshotHash.From(value));

        Assert.Equal("snapshot-hash.invalid", e.Code);
    }
}
