using System.Text.Json.Serialization;

namespace Orders.Infrastructure.Cosmos.ReadModels;

// The stored shapes of the read-models container (partition key /partitionKey), side by side. Every name is explicit.
// Each view lives in the partition it is read by, and `type` tells the kinds apart. Instants are CosmosJson.Instant
// strings (fixed width, so string order is time order). Records that must come back exactly (the view, the history
// entries the hash chain covers, the list item with its money) are kept as strings in the domain's JSON: Cosmos DB
// keeps numbers as doubles.

/// <summary>The order detail: partition <c>order:{orderId}</c>, id = orderId. Replaced only by a higher <see cref="Sequence"/>.</summary>
public sealed record CosmosOrderDetailDocument(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("partitionKey")] string PartitionKey,
    [property: JsonPropertyName("orderId")] string OrderId,
    [property: JsonPropertyName("sequence")] long Sequence,
    [property: JsonPropertyName("view")] string View,
    [property: JsonPropertyName("entries")] string Entries)
{
    public const string Kind = "order-detail";

    [JsonPropertyName("type")]
    public string Type { get; init; } = Kind;

    /// <summary>Set by the service; never written.</summary>
    [JsonPropertyName("_etag")]
    public string? ETag { get; init; }
}

/// <summary>One order in its buyer's list: partition <c>buyer:{buyerId}</c>, id = orderId.</summary>
public sealed record CosmosBuyerOrderDocument(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("partitionKey")] string PartitionKey,
    [property: JsonPropertyName("orderId")] string OrderId,
    [property: JsonPropertyName("buyerId")] string BuyerId,
    [property: JsonPropertyName("version")] long Version,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("createdAt")] string CreatedAt,
    [property: JsonPropertyName("item")] string Item)
{
    public const string Kind = "buyer-order";

    [JsonPropertyName("type")]
    public string Type { get; init; } = Kind;

    [JsonPropertyName("_etag")]
    public string? ETag { get; init; }
}

/// <summary>
/// One order in one seller's list, with what the seller's dashboard aggregates: partition <c>seller:{sellerId}</c>,
/// id = orderId. <see cref="ReadySince"/> is absent (not null) while the order does not wait for the seller.
/// </summary>
public sealed record CosmosSellerOrderDocument(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("partitionKey")] string PartitionKey,
    [property: JsonPropertyName("orderId")] string OrderId,
    [property: JsonPropertyName("sellerId")] string SellerId,
    [property: JsonPropertyName("version")] long Version,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("createdAt")] string CreatedAt,
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("valueMinor")] long ValueMinor,
    [property: JsonPropertyName("readySince")] string? ReadySince,
    [property: JsonPropertyName("item")] string Item)
{
    public const string Kind = "seller-order";

    [JsonPropertyName("type")]
    public string Type { get; init; } = Kind;

    [JsonPropertyName("_etag")]
    public string? ETag { get; init; }
}

/// <summary>One flagged order of the stuck-order log: partition <c>stuck-orders</c>, id = orderId.</summary>
public sealed record CosmosStuckOrderDocument(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("partitionKey")] string PartitionKey,
    [property: JsonPropertyName("orderId")] string OrderId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("since")] string Since,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("detail")] string Detail,
    [property: JsonPropertyName("detectedAt")] string DetectedAt)
{
    public const string Kind = "stuck-order";

    [JsonPropertyName("type")]
    public string Type { get; init; } = Kind;

    [JsonPropertyName("_etag")]
    public string? ETag { get; init; }
}

/// <summary>One row of the dashboard's totals query: a (status, currency) group of a seller's orders.</summary>
public sealed record CosmosSellerTotalRow(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("orders")] long Orders,
    [property: JsonPropertyName("valueMinor")] decimal ValueMinor);

/// <summary>One row of the dashboard's waiting-orders query.</summary>
public sealed record CosmosAwaitingRow(
    [property: JsonPropertyName("orderId")] string OrderId,
    [property: JsonPropertyName("version")] long Version,
    [property: JsonPropertyName("readySince")] string ReadySince);
