using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Orders.Application;
using Orders.Application.Idempotency;
using Orders.Application.Ports.Outbound;
using Orders.Application.Views;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;
using Orders.Application.Persistence;

namespace Orders.Infrastructure.Cosmos;

/// <summary>
/// The production store: container <c>orders</c>, partition key <c>/orderId</c>. Each order's partition holds its
/// current-state document, one immutable event document per history entry, and its commands' idempotency records;
/// a save is one <see cref="TransactionalBatch"/> on that partition, so it is atomic on the server.
/// <para>
/// Concurrency: the ETag of the order document is remembered per loaded <see cref="Order"/> instance (a
/// <see cref="ConditionalWeakTable{TKey,TValue}"/>, so nothing leaks), together with the version it belongs to. A
/// save replaces the document with <c>IfMatchEtag</c> set to it; a save of an instance this store did not load (or
/// whose remembered version is not its <see cref="Order.PersistedVersion"/>) first re-reads the document and
/// compares versions. Either way the event ids (<c>{orderId}:{sequence:D10}</c>) are unique, so two writers of the
/// same sequence cannot both succeed even without the ETag.
/// </para>
/// Requires a client built by <see cref="CosmosClientFactory"/> (System.Text.Json documents).
/// </summary>
public sealed partial class CosmosOrderStore : IOrderStore, IOrderChangeLog
{
    /// <summary>Cosmos DB's limit on operations in one transactional batch.</summary>
    public const int MaxBatchOperations = 100;

    /// <summary>
    /// Cosmos DB refuses a batch request over 2 MB. The documents' own JSON is held under this, leaving room for
    /// the batch's envelope.
    /// </summary>
    public const int MaxBatchDocumentBytes = 2_000_000;

    private const string EventsQuery = "SELECT * FROM c WHERE c.type = 'event' ORDER BY c.sequence";

    private readonly Container _orders;
    private readonly Container _leases;
    private readonly CosmosStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ConditionalWeakTable<Order, LoadedDocument> _loaded = [];

    public CosmosOrderStore(Container orders, Container leases, CosmosStoreOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(leases);
        _orders = orders;
        _leases = leases;
        _options = options ?? new CosmosStoreOptions();
        _time = time ?? TimeProvider.System;
    }

    public CosmosOrderStore(CosmosClient client, CosmosStoreOptions options, TimeProvider? time = null)
        : this(
            (client ?? throw new ArgumentNullException(nameof(client))).GetContainer(Checked(options).Database, options.OrdersContainer),
            client.GetContainer(options.Database, options.LeasesContainer), options, time)
    {
    }

    public Task<Order?> LoadAsync(OrderId orderId, CancellationToken cancellationToken = default) =>
        CosmosFaults.GuardAsync($"reading order {orderId}", write: false, () => LoadCoreAsync(orderId, cancellationToken), cancellationToken);

    private async Task<Order?> LoadCoreAsync(OrderId orderId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orderId);
        // The order document first, then the events: if a save lands in between, the events are newer than the
        // ETag, the versions differ, and the ETag is not remembered (the save re-reads it).
        var head = await ReadOrderDocumentAsync(orderId, cancellationToken).ConfigureAwait(false);
        if (head is null) return null;

        var entries = new List<string>();
        using (var iterator = _orders.GetItemQueryIterator<CosmosEventDocument>(new QueryDefinition(EventsQuery),
                   requestOptions: CosmosReads.LatestIn(new PartitionKey(orderId.Value))))
        {
            while (iterator.HasMoreResults)
                foreach (var document in await iterator.ReadNextAsync(cancellationToken).ConfigureAwait(false))
                    entries.Add(document.Entry);
        }
        if (entries.Count == 0) return null;

        var order = StoredJson.Rebuild(orderId, entries);
        if (head.Version == order.Version) _loaded.AddOrUpdate(order, head);
        return order;
    }

    /// <summary>The order's event documents' stored entries, as stored (one single-partition query).</summary>
    public async Task<IReadOnlyList<StoredHistoryEntry>> ReadStoredHistoryAsync(OrderId orderId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(orderId);
        var entries = new List<StoredHistoryEntry>();
        using var iterator = _orders.GetItemQueryIterator<CosmosEventDocument>(new QueryDefinition(EventsQuery),
            requestOptions: CosmosReads.LatestIn(new PartitionKey(orderId.Value)));
        while (iterator.HasMoreResults)
            foreach (var document in await iterator.ReadNextAsync(cancellationToken).ConfigureAwait(false))
                entries.Add(StoredJson.ReadStored(document.Sequence, document.Entry));
        return entries;
    }

    /// <summary>Order ids after <paramref name="after"/>, in id order: a cross-partition query over the order documents.</summary>
    public async Task<IReadOnlyList<OrderId>> ListOrderIdsAsync(OrderId? after, int max, CancellationToken cancellationToken = default)
    {
        if (max <= 0) return [];
        var query = new QueryDefinition("SELECT TOP @max VALUE c.orderId FROM c WHERE c.type = 'order' AND c.orderId > @after ORDER BY c.orderId")
            .WithParameter("@max", max)
            .WithParameter("@after", after?.Value ?? "");
        return [.. (await QueryAllAsync<string>(query, max, cancellationToken).ConfigureAwait(false)).Select(OrderId.From)];
    }

    /// <summary>One point read of the order document (1 RU for a document under 1 KB, a few for a large order).</summary>
    public Task<StoredOrderState?> ReadStateAsync(OrderId orderId, CancellationToken cancellationToken = default) =>
        CosmosFaults.GuardAsync($"reading order {orderId}", write: false, () => ReadStateCoreAsync(orderId, cancellationToken), cancellationToken);

    private async Task<StoredOrderState?> ReadStateCoreAsync(OrderId orderId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orderId);
        var response = await ReadAsync<CosmosOrderDocument>(_orders, orderId.Value, new PartitionKey(orderId.Value), cancellationToken)
            .ConfigureAwait(false);
        return response?.Resource is not { } document ? null
            : new StoredOrderState(document.Document.Deserialize<OrderView>(ApplicationJson.Options)
                    ?? throw new JsonException($"Order {orderId}'s document holds no state."),
                CosmosJson.ParseInstant(document.UpdatedAt));
    }

    public Task<SaveOutcome> SaveAsync(Order order, IdempotencyRecord? idempotency = null, CancellationToken cancellationToken = default) =>
        CosmosFaults.GuardAsync($"saving order {order?.Id}", write: true, () => SaveCoreAsync(order!, idempotency, cancellationToken), cancellationToken);

    private async Task<SaveOutcome> SaveCoreAsync(Order order, IdempotencyRecord? idempotency, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (idempotency is not null && idempotency.OrderId != order.Id)
            throw new ArgumentException("An idempotency record is stored in its order's partition: its order id must be the order's.", nameof(idempotency));
        var entries = order.UncommittedEntries;

        if (entries.Count == 0 && idempotency is null)
        {
            // Nothing to write: answer whether the caller's version is still the stored one.
            var stored = await ReadOrderDocumentAsync(order.Id, cancellationToken).ConfigureAwait(false);
            _options.BeforeCommit?.Invoke(order);
            return (stored?.Version ?? 0) == order.PersistedVersion ? SaveOutcome.Saved : SaveOutcome.Conflict;
        }

        var operations = 1 + entries.Count + (idempotency is null ? 0 : 1);
        if (operations > MaxBatchOperations)
            throw new InvalidOperationException(
                $"Saving order {order.Id} needs {operations} operations; a Cosmos DB transactional batch holds at most {MaxBatchOperations}. " +
                "A command appends a few entries per save, so this is a programming error (a unit of work that never saved?).");

        string? etag = null;
        if (order.PersistedVersion > 0)
        {
            etag = await ExpectedETagAsync(order, cancellationToken).ConfigureAwait(false);
            if (etag is null) return SaveOutcome.Conflict;
        }

        var orderDocument = OrderDocument(order);
        var events = entries.Select(e => EventDocument(order.Id, e)).ToArray();
        var record = idempotency is null ? null : IdempotencyDocument(idempotency, _time.GetUtcNow(), _options.IdempotencyTtlGrace);
        EnsureWithinSizeLimit(order.Id, orderDocument, events, record);

        var batch = _orders.CreateTransactionalBatch(new PartitionKey(order.Id.Value));
        batch = etag is null
            ? batch.CreateItem(orderDocument)
            : batch.ReplaceItem(orderDocument.Id, orderDocument, new TransactionalBatchItemRequestOptions { IfMatchEtag = etag });
        foreach (var document in events) batch = batch.CreateItem(document);
        if (record is not null) batch = batch.UpsertItem(record);

        _options.BeforeCommit?.Invoke(order);
        using var response = await batch.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // A failed batch answers with the status of the operation that failed: 412 (the ETag moved) or 409
            // (the order or an event id exists) both mean someone else saved first.
            if (response.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict) return SaveOutcome.Conflict;
            // Throttled or unavailable: the port's fault (503 with Retry-After over HTTP), not a programming error.
            if (CosmosFaults.FromStatus(response.StatusCode, response.RetryAfter, $"saving order {order.Id}", write: true) is { } fault) throw fault;
            throw new InvalidOperationException(
                $"Saving order {order.Id} failed: {(int)response.StatusCode} {response.StatusCode}: {response.ErrorMessage}");
        }

        order.MarkPersisted();
        var newETag = response.Count > 0 ? response[0].ETag : null;
        if (newETag is null) _loaded.Remove(order);
        else _loaded.AddOrUpdate(order, new LoadedDocument(newETag, order.Version));
        return SaveOutcome.Saved;
    }

    public Task<IdempotencyRecord?> FindIdempotencyRecordAsync(OrderId orderId, string recordId, CancellationToken cancellationToken = default) =>
        CosmosFaults.GuardAsync($"reading order {orderId}", write: false, () => FindIdempotencyRecordCoreAsync(orderId, recordId, cancellationToken), cancellationToken);

    private async Task<IdempotencyRecord?> FindIdempotencyRecordCoreAsync(OrderId orderId, string recordId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orderId);
        var document = await ReadAsync<CosmosIdempotencyDocument>(_orders, IdempotencyId(recordId), new PartitionKey(orderId.Value), cancellationToken)
            .ConfigureAwait(false);
        return document?.Resource is not { } stored ? null
            : new IdempotencyRecord(orderId, stored.RecordId, stored.RequestHash, stored.Response,
                CosmosJson.ParseInstant(stored.CreatedAt), CosmosJson.ParseInstant(stored.ExpiresAt), stored.Unchanged);
    }

    /// <summary>
    /// Cosmos DB deletes records by their per-item TTL (<c>ExpiresAt</c> plus <see cref="CosmosStoreOptions.IdempotencyTtlGrace"/>)
    /// at no RU cost, so in production this job finds little. It deletes what has expired by <paramref name="now"/>
    /// (the caller's clock) and is still there: a cross-partition query, oldest first, at most <paramref name="max"/>,
    /// each delete conditional on the ETag it saw so a record replaced in the meantime survives.
    /// </summary>
    public Task<int> PurgeExpiredIdempotencyRecordsAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default) =>
        CosmosFaults.GuardAsync("purging idempotency records", write: true, () => PurgeExpiredIdempotencyRecordsCoreAsync(now, max, cancellationToken), cancellationToken);

    private async Task<int> PurgeExpiredIdempotencyRecordsCoreAsync(DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        if (max <= 0) return 0;
        var query = new QueryDefinition(
                "SELECT TOP @max c.id, c.orderId, c._etag FROM c WHERE c.type = 'idempotency' AND c.expiresAt <= @now ORDER BY c.expiresAt")
            .WithParameter("@max", max)
            .WithParameter("@now", CosmosJson.Instant(now));
        var deleted = 0;
        foreach (var row in await QueryAllAsync<CosmosExpiredRecordRow>(query, max, cancellationToken).ConfigureAwait(false))
        {
            // Conditional on the ETag the query saw: a record replaced since (a new command reusing the id) survives.
            using var response = await _orders.DeleteItemStreamAsync(row.Id, new PartitionKey(row.OrderId),
                new ItemRequestOptions { IfMatchEtag = row.ETag }, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode) deleted++;
            else if (CosmosFaults.FromStatus(response.StatusCode, null, "purging idempotency records", write: true) is { } fault)
                throw fault;
            else if (response.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.PreconditionFailed))
                throw new InvalidOperationException($"Deleting idempotency record {row.Id} failed: {(int)response.StatusCode} {response.ErrorMessage}");
        }
        return deleted;
    }

    public Task<IReadOnlyList<OrderSummary>> FindByStatusAsync(IReadOnlyCollection<OrderStatus> statuses, int max, CancellationToken cancellationToken = default) =>
        CosmosFaults.GuardAsync("finding orders by status", write: false, () => FindByStatusCoreAsync(statuses, max, cancellationToken), cancellationToken);

    private async Task<IReadOnlyList<OrderSummary>> FindByStatusCoreAsync(IReadOnlyCollection<OrderStatus> statuses, int max, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        if (statuses.Count == 0 || max <= 0) return [];
        // Documents written before the one spelling say "Created": both spellings match.
        var names = statuses.Distinct().SelectMany(OrderStatusNames.StoredSpellings).Select((s, i) => (Name: $"@s{i}", Status: s)).ToArray();
        var query = new QueryDefinition($"""
            SELECT TOP @max c.orderId, c.status, c.version, c.createdAt, c.updatedAt, c.paymentDueBy FROM c
            WHERE c.type = 'order' AND c.status IN ({string.Join(", ", names.Select(n => n.Name))})
            ORDER BY c.createdAt, c.orderId
            """).WithParameter("@max", max);
        foreach (var (name, status) in names) query = query.WithParameter(name, status);
        var rows = await QueryAllAsync<CosmosOrderSummaryRow>(query, max, cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => new OrderSummary(OrderId.From(r.OrderId), OrderStatusNames.ParseStored(r.Status), r.Version,
            CosmosJson.ParseInstant(r.CreatedAt), CosmosJson.ParseInstant(r.UpdatedAt), CosmosJson.ParseInstant(r.PaymentDueBy)))];
    }

    /// <summary>The id of an order's event document: fixed width, so id order is sequence order.</summary>
    public static string EventId(OrderId orderId, long sequence)
    {
        ArgumentNullException.ThrowIfNull(orderId);
        return $"{orderId.Value}:{sequence.ToString("D10", CultureInfo.InvariantCulture)}";
    }

    public static string IdempotencyId(string recordId)
    {
        ArgumentException.ThrowIfNullOrEmpty(recordId);
        // Cosmos DB ids may not contain these; derived record ids are hex and never do.
        if (recordId.IndexOfAny(['/', '\\', '?', '#']) >= 0 || recordId.Length > 200)
            throw new ArgumentException("An idempotency record id must be at most 200 characters without '/', '\\', '?' or '#'.", nameof(recordId));
        return "idempotency:" + recordId;
    }

    /// <summary>Seconds Cosmos DB keeps a record: until it expires, plus the grace; never less than one.</summary>
    public static int TimeToLiveSeconds(DateTimeOffset expiresAt, DateTimeOffset now, TimeSpan grace)
    {
        var seconds = Math.Ceiling((Max(expiresAt - now, TimeSpan.Zero) + Max(grace, TimeSpan.Zero)).TotalSeconds);
        return (int)Math.Clamp(seconds, 1, int.MaxValue);
    }

    public static CosmosOrderDocument OrderDocument(Order order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var view = JsonSerializer.SerializeToElement(OrderView.From(order, withHistory: false), ApplicationJson.Options);
        return new CosmosOrderDocument(order.Id.Value, order.Id.Value, order.Version, OrderStatusNames.Of(order.Status), order.BuyerId.Value,
            CosmosJson.Instant(order.CreatedAt), CosmosJson.Instant(order.History[^1].At), CosmosJson.Instant(order.PaymentDueBy), view);
    }

    public static CosmosEventDocument EventDocument(OrderId orderId, HistoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new CosmosEventDocument(EventId(orderId, entry.Sequence), orderId.Value, entry.Sequence, entry.Event.Type,
            CosmosJson.Instant(entry.At), StoredJson.WriteEntry(entry));
    }

    public static CosmosIdempotencyDocument IdempotencyDocument(IdempotencyRecord record, DateTimeOffset now, TimeSpan grace)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new CosmosIdempotencyDocument(IdempotencyId(record.RecordId), record.OrderId.Value, record.RecordId, record.RequestHash,
            record.Response, CosmosJson.Instant(record.CreatedAt), CosmosJson.Instant(record.ExpiresAt),
            TimeToLiveSeconds(record.ExpiresAt, now, grace)) { Unchanged = record.Unchanged };
    }

    private async Task<string?> ExpectedETagAsync(Order order, CancellationToken cancellationToken)
    {
        if (_loaded.TryGetValue(order, out var known) && known.Version == order.PersistedVersion) return known.ETag;
        var stored = await ReadOrderDocumentAsync(order.Id, cancellationToken).ConfigureAwait(false);
        return stored is not null && stored.Version == order.PersistedVersion ? stored.ETag : null;
    }

    private async Task<LoadedDocument?> ReadOrderDocumentAsync(OrderId orderId, CancellationToken cancellationToken)
    {
        var response = await ReadAsync<CosmosOrderDocument>(_orders, orderId.Value, new PartitionKey(orderId.Value), cancellationToken)
            .ConfigureAwait(false);
        if (response?.Resource is not { } document) return null;
        var etag = response.ETag ?? document.ETag
            ?? throw new InvalidOperationException($"Cosmos DB returned order {orderId} without an ETag.");
        return new LoadedDocument(etag, document.Version);
    }

    /// <summary>A point read of the latest committed version (<see cref="CosmosReads"/>); null on 404.</summary>
    private static async Task<ItemResponse<T>?> ReadAsync<T>(Container container, string id, PartitionKey partitionKey, CancellationToken cancellationToken)
    {
        try
        {
            return await container.ReadItemAsync<T>(id, partitionKey, CosmosReads.Latest(), cancellationToken).ConfigureAwait(false);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task<List<T>> QueryAllAsync<T>(QueryDefinition query, int max, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        using var iterator = _orders.GetItemQueryIterator<T>(query, requestOptions: new QueryRequestOptions { MaxItemCount = Math.Min(max, 1000) });
        while (iterator.HasMoreResults && rows.Count < max)
            rows.AddRange(await iterator.ReadNextAsync(cancellationToken).ConfigureAwait(false));
        if (rows.Count > max) rows.RemoveRange(max, rows.Count - max);
        return rows;
    }

    private static void EnsureWithinSizeLimit(OrderId orderId, CosmosOrderDocument order, CosmosEventDocument[] events, CosmosIdempotencyDocument? record)
    {
        long bytes = JsonSerializer.SerializeToUtf8Bytes(order, CosmosJson.Options).Length;
        foreach (var document in events) bytes += JsonSerializer.SerializeToUtf8Bytes(document, CosmosJson.Options).Length;
        if (record is not null) bytes += JsonSerializer.SerializeToUtf8Bytes(record, CosmosJson.Options).Length;
        if (bytes > MaxBatchDocumentBytes)
            throw new InvalidOperationException(
                $"Saving order {orderId} would send {bytes} bytes of documents; a Cosmos DB transactional batch must stay under 2 MB.");
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static CosmosStoreOptions Checked(CosmosStoreOptions options) => options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>The order document's ETag and the version it was read (or written) at.</summary>
    private sealed record LoadedDocument(string ETag, long Version);
}
