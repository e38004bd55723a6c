using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using Microsoft.Azure.Cosmos;
using Orders.Application.Ports.Outbound;

namespace Orders.Infrastructure.Cosmos.Inbox;

/// <summary>
/// The inbox in Cosmos DB: one small document per handled inbound integration event, in the <c>leases</c> container
/// (partition key <c>/id</c>), id <c>inbox:{eventId}</c>. Why there:
/// <list type="bullet">
/// <item>The port knows only the event id (not the order), so the document must be found by that id alone: the
/// leases container is keyed by id, and a point read by id is the cheapest request Cosmos DB serves (~1 RU). In the
/// orders container it would need the order id for its partition.</item>
/// <item>Like the change-feed checkpoints already there, it is processing state, not business data: it is read and
/// written by id only, so the container's "index nothing" policy fits it, and no read model or change-feed consumer
/// of the orders container sees it.</item>
/// <item>Each document expires on its own (<c>ttl</c>, <see cref="Retention"/>): a redelivery can only come while the
/// message lives on the topic (14 days), so the inbox forgets afterwards instead of growing forever. This needs TTL
/// on for the container (<c>defaultTtl: -1</c> in infra/modules/cosmos.bicep: nothing else in it expires).</item>
/// </list>
/// Recording is a create: a 409 means the event was already recorded (a concurrent redelivery), which is what the
/// caller wanted. Event ids that Cosmos DB cannot take as part of an id (longer than <see cref="MaxRawIdLength"/>, or
/// with <c>/ \ ? #</c> or control characters) are stored under their SHA-256 instead.
/// </summary>
public sealed class CosmosInbox : IInbox
{
    public const string IdPrefix = "inbox:";

    /// <summary>The longest event id kept as it is (Cosmos DB ids are at most 255 characters).</summary>
    public const int MaxRawIdLength = 200;

    /// <summary>How long a handled event is remembered: the inbound topic's message TTL (14 days) and a day's margin.</summary>
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromDays(15);

    private readonly Container _leases;

    public CosmosInbox(Container leases, TimeSpan? retention = null)
    {
        _leases = leases ?? throw new ArgumentNullException(nameof(leases));
        Retention = retention ?? DefaultRetention;
        if (Retention < TimeSpan.FromSeconds(1)) throw new ArgumentOutOfRangeException(nameof(retention), retention, "The inbox must remember events for at least a second.");
    }

    public CosmosInbox(CosmosClient client, CosmosStoreOptions options, TimeSpan? retention = null)
        : this((client ?? throw new ArgumentNullException(nameof(client))).GetContainer(
            (options ?? throw new ArgumentNullException(nameof(options))).Database, options.LeasesContainer), retention)
    {
    }

    public TimeSpan Retention { get; }

    public async Task<bool> WasHandledAsync(string eventId, CancellationToken cancellationToken = default)
    {
        // A stream read: "not handled" (404) is the common answer, and it comes back as a status, not an exception.
        var id = DocumentId(eventId);
        using var response = await _leases.ReadItemStreamAsync(id, new PartitionKey(id), CosmosReads.Latest(), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        response.EnsureSuccessStatusCode();
        return true;
    }

    public async Task MarkHandledAsync(string eventId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var id = DocumentId(eventId);
        var document = new CosmosInboxDocument(id, eventId, CosmosJson.Instant(at), (int)Math.Ceiling(Retention.TotalSeconds));
        try
        {
            await _leases.CreateItemAsync(document, new PartitionKey(id), new ItemRequestOptions { EnableContentResponseOnWrite = false }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            // Already recorded (a concurrent redelivery): the first record stands.
        }
    }

    public const string ParkedIdPrefix = "parked:";

    /// <summary>How many times a parked-answer write is tried against concurrent writers of the same order.</summary>
    public const int MaxParkAttempts = 8;

    public async Task ParkAsync(ParkedAnswer answer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(answer);
        await UpdateParkedAsync(answer.OrderId, list => list.Exists(a => a.EventId == answer.EventId) ? null : [.. list, ToDocument(answer)],
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ParkedAnswer>> ParkedForAsync(string orderId, CancellationToken cancellationToken = default)
    {
        var (document, _) = await ReadParkedAsync(orderId, cancellationToken).ConfigureAwait(false);
        return document is null ? [] : [.. document.Answers.Select(a => a.ToAnswer(orderId))];
    }

    public Task UnparkAsync(string orderId, string eventId, CancellationToken cancellationToken = default) =>
        UpdateParkedAsync(orderId, list => list.Exists(a => a.EventId == eventId) ? list.FindAll(a => a.EventId != eventId) : null, cancellationToken);

    /// <summary>The id of an order's parked answers: one document per order, read by id alone (~1 RU), never expiring.</summary>
    public static string ParkedDocumentId(string orderId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        return ParkedIdPrefix + orderId;
    }

    /// <summary>
    /// Read, change, write back guarded by the ETag (create when absent; delete when emptied); a concurrent writer of
    /// the same order's document means read again. <paramref name="change"/> returns null when nothing changes.
    /// </summary>
    private async Task UpdateParkedAsync(string orderId, Func<List<CosmosParkedAnswer>, List<CosmosParkedAnswer>?> change, CancellationToken cancellationToken)
    {
        var id = ParkedDocumentId(orderId);
        for (var attempt = 1; ; attempt++)
        {
            var (document, etag) = await ReadParkedAsync(orderId, cancellationToken).ConfigureAwait(false);
            var changed = change(document?.Answers.ToList() ?? []);
            if (changed is null) return;
            try
            {
                var key = new PartitionKey(id);
                var options = new ItemRequestOptions { IfMatchEtag = etag, EnableContentResponseOnWrite = false };
                if (document is null)
                    await _leases.CreateItemAsync(new CosmosParkedDocument(id, orderId, changed), key, options, cancellationToken).ConfigureAwait(false);
                else if (changed.Count == 0)
                    await _leases.DeleteItemAsync<CosmosParkedDocument>(id, key, options, cancellationToken).ConfigureAwait(false);
                else
                    await _leases.ReplaceItemAsync(document with { Answers = changed }, id, key, options, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (CosmosException e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict or HttpStatusCode.NotFound
                                            && attempt < MaxParkAttempts)
            {
                // Another writer changed the order's parked answers in between: read them again.
            }
        }
    }

    private async Task<(CosmosParkedDocument? Document, string? ETag)> ReadParkedAsync(string orderId, CancellationToken cancellationToken)
    {
        var id = ParkedDocumentId(orderId);
        try
        {
            var response = await _leases.ReadItemAsync<CosmosParkedDocument>(id, new PartitionKey(id), CosmosReads.Latest(), cancellationToken).ConfigureAwait(false);
            return (response.Resource, response.ETag);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return (null, null);
        }
    }

    private static CosmosParkedAnswer ToDocument(ParkedAnswer a) =>
        new(a.EventId, a.Type, CosmosJson.Instant(a.Time), a.DataJson, CosmosJson.Instant(a.ParkedAt), a.Reason);

    /// <summary>The document id of an event: <c>inbox:{eventId}</c>, or <c>inbox:sha256:{hash}</c> when the id cannot be used as it is.</summary>
    public static string DocumentId(string eventId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventId);
        var usable = eventId.Length <= MaxRawIdLength && !eventId.Any(c => c is '/' or '\\' or '?' or '#' || char.IsControl(c));
        return IdPrefix + (usable ? eventId : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(eventId))));
    }
}

/// <summary>A handled inbound event, in the leases container. Expires through <see cref="Ttl"/> (seconds after its last write).</summary>
public sealed record CosmosInboxDocument(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("eventId")] string EventId,
    [property: JsonPropertyName("handledAt")] string HandledAt,
    [property: JsonPropertyName("ttl")] int Ttl)
{
    public const string Kind = "inbox";

    [JsonPropertyName("type")]
    public string Type { get; init; } = Kind;
}

/// <summary>
/// The answers parked for one order, in the leases container: <c>parked:{orderId}</c>. No <c>ttl</c>: kept until
/// handled, however long that takes (the container's default is "never expire").
/// </summary>
public sealed record CosmosParkedDocument(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("orderId")] string OrderId,
    [property: JsonPropertyName("answers")] IReadOnlyList<CosmosParkedAnswer> Answers)
{
    public const string Kind = "parked-answers";

    [JsonPropertyName("type")]
    public string Type { get; init; } = Kind;
}

/// <summary>One parked answer: the CloudEvents id, type and time, the contract's <c>data</c> JSON, when and why it was parked.</summary>
public sealed record CosmosParkedAnswer(
    [property: JsonPropertyName("eventId")] string EventId,
    [property: JsonPropertyName("eventType")] string EventType,
    [property: JsonPropertyName("time")] string Time,
    [property: JsonPropertyName("data")] string Data,
    [property: JsonPropertyName("parkedAt")] string ParkedAt,
    [property: JsonPropertyName("reason")] string Reason)
{
    public ParkedAnswer ToAnswer(string orderId) => new(EventId, orderId, EventType,
        CosmosJson.ParseInstant(Time), Data,
        CosmosJson.ParseInstant(ParkedAt), Reason);
}
