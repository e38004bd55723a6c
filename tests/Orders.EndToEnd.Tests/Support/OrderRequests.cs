using System.Text.Json.Nodes;

namespace Orders.EndToEnd.Tests.Support;

/// <summary>Request bodies of the public API (src/Orders.Contracts/apis/orders.v1.yaml).</summary>
public static class OrderRequests
{
    public const string Prepaid = "Prepaid";
    public const string CashOnDelivery = "CashOnDelivery";

    public static JsonObject Money(long minor) => new() { ["minor"] = minor, ["currency"] = "EUR" };

    public static JsonObject Item(int line, string sku, string sellerId, long unitMinor, int quantity, string title = "Tea") => new()
    {
        ["line"] = line,
        ["sku"] = sku,
        ["productId"] = "p-" + sku,
        ["sellerId"] = sellerId,
        ["title"] = title,
        ["unitPrice"] = Money(unitMinor),
        ["quantity"] = quantity,
    };

    /// <summary>A CreateOrderRequest; <paramref name="returnWindowDays"/> null leaves the API's default (14 days).</summary>
    public static JsonObject Create(string buyerId, string type, IEnumerable<JsonObject> items, int? returnWindowDays = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        var body = new JsonObject
        {
            ["buyerId"] = buyerId,
            ["type"] = type,
            ["items"] = new JsonArray([.. items]),
            ["shippingFee"] = Money(495),
            ["shippingAddress"] = new JsonObject
            {
                ["recipient"] = "Ada",
                ["line1"] = "1 St",
                ["line2"] = null,
                ["city"] = "Berlin",
                ["postalCode"] = "10115",
                ["countryCode"] = "DE",
            },
        };
        if (returnWindowDays is { } days) body["returnWindowDays"] = days;
        return body;
    }

    /// <summary>One seller's single line: 2 × 12.50 EUR + 4.95 EUR shipping = 29.95 EUR.</summary>
    public static JsonObject Simple(string buyerId, string type, string sku = "sku-tea", int? returnWindowDays = null) =>
        Create(buyerId, type, [Item(1, sku, "seller-a", 1250, 2)], returnWindowDays);
}
