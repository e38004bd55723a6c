using System.Text.Json;
using System.Text.Json.Nodes;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;

namespace Orders.Api.Tests.Support;

/// <summary>Request bodies as clients send them: two lines (25.00 USD) plus 5.00 shipping, 30.00 USD in all.</summary>
public static class Bodies
{
    public const long Total = 3000;

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static JsonObject CreateOrder(string buyer = "buyer-1", string type = "Prepaid", bool twoSellers = false) =>
        Node(new
        {
            buyerId = buyer,
            type,
            items = new[] { Item(1, "sku-1", 1000, 2, "seller-a"), Item(2, "sku-2", 500, 1, twoSellers ? "seller-b" : "seller-a") },
            shippingFee = Money(500),
            shippingAddress = Address(),
        });

    public static object Item(int line, string sku, long unitMinor, int quantity, string seller)
    {
        var snapshot = OrderItem.Snapshot(line, sku, "prod-" + sku, SellerId.From(seller), "Item " + sku, Orders.Domain.ValueObjects.Money.Of(unitMinor, Currency.USD), quantity);
        return new
        {
            line,
            sku,
            productId = "prod-" + sku,
            sellerId = seller,
            title = "Item " + sku,
            unitPrice = Money(unitMinor),
            quantity,
            hash = snapshot.Hash.Value,
        };
    }

    public static object Money(long minor, string currency = "USD") => new { minor, currency };

    public static object Address(string recipient = "Ada Lovelace") =>
        new { recipient, line1 = "1 Analytical Way", city = "London", postalCode = "N1 1AA", countryCode = "GB" };

    public static JsonObject Node(object value) => JsonSerializer.SerializeToNode(value, Web)!.AsObject();

    public static string Json(object value) => value is JsonNode node ? node.ToJsonString() : JsonSerializer.Serialize(value, Web);
}
