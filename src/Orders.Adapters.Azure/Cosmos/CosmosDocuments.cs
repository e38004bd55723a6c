using System.Text.Json;
using System.Text.Json.Serialization;
using Orders.Application.Persistence;

namespace Orders.Infrastructure.Cosmos;

// The stored shapes, side by side so they read as the container's schema. Every name is explicit, so the shape does
// not depend on a naming policy. All documents of an order live in its logical partition (/orderId); `type` tells
// them apart. Instants are CosmosJson.Instant strings.

/// <summary>The order's current state: the document the ETag guards. id = orderId.</summary>
public sealed record CosmosOrderDocument(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("orderId")] string OrderId,
    [property: JsonPropertyName("version")] long Version,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("buyerId")] string BuyerId,
    [property: JsonPropertyName("createdAt")] string CreatedAt,
    [property: JsonPropertyName("updatedAt")] string UpdatedAt,
    [property: JsonPropertyName("paymentDueBy")] string PaymentDueBy,
    [property: JsonPropertyName("document")] JsonElement Document)
{
    public const string Kind = "order";

    [JsonPropertyName("type")]
    public string Type { get; init; } = Kind;

    /// <summary>Set by the service; never written.</summary>
    [JsonPropertyName("_etag")]
    public string? ETag { get; init; }
}

/// <summary>
/// One history entry, immutable: the history and the outbox. id = <c>{orderId}:{sequence:D10}</c>, so writing the
/// same sequence twice is a conflict. <see cref="Entry"/> is the entry in <see cref="StoredJson"/> form, kept as a
/// string so the bytes the hash chain covers come back exactly (numbers inside would otherwise become doubles).
/// </summary>
public sealed record CosmosEventDocument(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("orderId")] string OrderId,
    [property: JsonPropertyName("sequence")] long Sequence,
    [property: JsonPropertyName("eventType")] string EventType,
    [property: JsonPropertyName("at")] string At,
    [property: JsonPropertyName("entry")] string Entry)
{
    public const string Kind = "event";

    [JsonPropertyName("type")]
    public string Type { get; init; } = Kind;
}

/// <summary>
/// A command's first answer. id = <c>idempotency:{recordId}</c> (the prefix keeps it from ever colliding with the
/// order's or an event's id in the same partition). <see cref="Ttl"/> makes Cosmos DB delete it on its own.
/// </summary>
public sealed record CosmosIdempotencyDocument(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("orderId")] string OrderId,
    [property: JsonPropertyName("recordId")] string RecordId,
    [property: JsonPropertyName("requestHash")] string RequestHash,
    [property: JsonPropertyName("response")] string Response,
    [property: JsonPropertyName("createdAt")] string CreatedAt,
    [property: JsonPropertyName("expiresAt")] string ExpiresAt,
    [property: JsonPropertyName("ttl")] int Ttl)
{
    public const string Kind = "idempotency";

    [JsonPropertyName("type")]
    public string Type { get; init; } = Kind;

    /// <summary>The answer changed nothing (a replay says <c>Order-Unchanged</c>); absent from documents written before it: false.</summary>
    [JsonPropertyName("unchanged")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Unchanged { get; init; }

    [JsonPropertyName("_etag")]
    public string? ETag { get; init; }
}

/// <summary>A change feed consumer's checkpoint, in the leases container (partition key /id). id = consumer name.</summary>
public sealed record CosmosLeaseDocument(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("continuation")] string Continuation)
{
    [JsonPropertyName("_etag")]
    public string? ETag { get; init; }
}

/// <summary>Any document of the orders container as the change feed delivers it; only events carry an entry.</summary>
public sealed record CosmosFeedDocument(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("orderId")] string? OrderId,
    [property: JsonPropertyName("sequence")] long? Sequence,
    [property: JsonPropertyName("entry")] string? Entry,
    [property: JsonPropertyName("_lsn")] long Lsn);

/// <summary>The projection <c>FindByStatusAsync</c> reads.</summary>
public sealed record CosmosOrderSummaryRow(
    [property: JsonPropertyName("orderId")] string OrderId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("version")] long Version,
    [property: JsonPropertyName("createdAt")] string CreatedAt,
    [property: JsonPropertyName("updatedAt")] string UpdatedAt,
    [property: JsonPropertyName("paymentDueBy")] string PaymentDueBy);

/// <summary>The projection the idempotency purge reads: enough to delete exactly the version it saw.</summary>
public sealed record CosmosExpiredRecordRow(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("orderId")] string OrderId,
    [property: JsonPropertyName("_etag")] string? ETag);
