using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Orders.Application;
using Orders.Application.ReadModels;
using Orders.Application.Views;
using Orders.Domain.Common;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;

namespace Orders.Infrastructure.Cosmos.ReadModels;

/// <summary>
/// The read models in Cosmos DB, container <c>read-models</c> (partition key <c>/partitionKey</c>), with the same
/// semantics as <c>SqliteReadModelStore</c> (Orders.Adapters.Local) (the read-model test class runs
/// against both). Each view lives in the partition it is read by, so every query stays in one logical partition:
/// <list type="bullet">
/// <item>the order detail in <c>order:{orderId}</c> (a point read);</item>
/// <item>a buyer's list items in <c>buyer:{buyerId}</c>, a seller's in <c>seller:{sellerId}</c> (one query per page,
/// newest first, keyset-paged with <see cref="ReadModelPaging"/>'s tokens);</item>
/// <item>a seller's dashboard from the seller's partition: totals by status and currency (GROUP BY), the oldest waiting
/// orders, the late count (three queries; Cosmos DB has no multi-query snapshot, so a projection landing in between
/// may show in one figure and not yet in another, never backwards).</item>
/// </list>
/// Puts are "only newer": read the stored document (its sequence or version and its ETag), write nothing when it is
/// as new or newer, else replace it under <c>IfMatchEtag</c> (or create it when there is none). A 412 or 409 means
/// another writer got in between: read again and decide again, up to <see cref="MaxWriteAttempts"/> times.
/// Requires a client built by <see cref="CosmosClientFactory"/> (System.Text.Json documents).
/// </summary>
public sealed class CosmosReadModelStore : IReadModelStore, IReadModelQueries
{
    /// <summary>How many times a put reads and tries again after losing a race before it gives up (and throws).</summary>
    public const int MaxWriteAttempts = 5;

    public const string ListQueryStart = "SELECT TOP @take VALUE c.item FROM c WHERE c.type = @type";
    public const string StatusFilter = " AND c.status IN (@status, @statusLegacy)"; // documents written before the one spelling say "Created"
    public const string AfterFilter = " AND (c.createdAt < @afterCreatedAt OR (c.createdAt = @afterCreatedAt AND c.orderId > @afterOrderId))";
    public const string ListOrder = " ORDER BY c.createdAt DESC, c.orderId ASC";

    public const string TotalsQuery =
        "SELECT c.status, c.currency, COUNT(1) AS orders, SUM(c.valueMinor) AS valueMinor FROM c WHERE c.type = @type GROUP BY c.status, c.currency";

    public const string AwaitingQuery =
        "SELECT TOP @max c.orderId, c.version, c.readySince FROM c WHERE c.type = @type AND IS_DEFINED(c.readySince) ORDER BY c.readySince ASC, c.orderId ASC";

    public const string LateQuery = "SELECT VALUE COUNT(1) FROM c WHERE c.type = @type AND c.readySince < @lateBefore";

    private static readonly ItemRequestOptions CreateOptions = new() { EnableContentResponseOnWrite = false };

    private readonly Container _container;
    private readonly ReadModelOptions _options;

    public CosmosReadModelStore(Container container, ReadModelOptions? options = null)
    {
        _container = container ?? throw new ArgumentNullException(nameof(container));
        _options = options ?? new ReadModelOptions();
    }

    public CosmosReadModelStore(CosmosClient client, string database, string container, ReadModelOptions? options = null)
        : this((client ?? throw new ArgumentNullException(nameof(client))).GetContainer(database, container), options)
    {
    }

    // ----- IReadModelStore ----------------------------------------------------------------------------------------

    public async Task<OrderDetailRecord?> GetDetailAsync(OrderId orderId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(orderId);
        var stored = await ReadAsync<CosmosOrderDetailDocument>(orderId.Value, CosmosReadModelContainer.OrderPartition(orderId), cancellationToken)
            .ConfigureAwait(false);
        return stored is null ? null : DetailRecord(stored.Value.Document);
    }

    public Task<bool> PutDetailAsync(OrderDetailRecord detail, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(detail);
        var document = DetailDocument(detail);
        return PutIfNewerAsync(document.Id, document.PartitionKey, document, detail.Sequence, d => d.Sequence, cancellationToken);
    }

    public async Task<OrderListItem?> GetBuyerItemAsync(BuyerId buyerId, OrderId orderId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(buyerId);
        ArgumentNullException.ThrowIfNull(orderId);
        var stored = await ReadAsync<CosmosBuyerOrderDocument>(orderId.Value, CosmosReadModelContainer.BuyerPartition(buyerId), cancellationToken)
            .ConfigureAwait(false);
        return stored is null ? null : ApplicationJson.Deserialize<OrderListItem>(stored.Value.Document.Item);
    }

    public Task<bool> PutBuyerItemAsync(OrderListItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        var document = BuyerDocument(item);
        return PutIfNewerAsync(document.Id, document.PartitionKey, document, item.Version, d => d.Version, cancellationToken);
    }

    public async Task<SellerOrderRecord?> GetSellerItemAsync(SellerId sellerId, OrderId orderId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sellerId);
        ArgumentNullException.ThrowIfNull(orderId);
        var stored = await ReadAsync<CosmosSellerOrderDocument>(orderId.Value, CosmosReadModelContainer.SellerPartition(sellerId), cancellationToken)
            .ConfigureAwait(false);
        if (stored is not { Document: var document }) return null;
        return new SellerOrderRecord(sellerId, ApplicationJson.Deserialize<OrderListItem>(document.Item),
            Money.Of(document.ValueMinor, Currency.Of(document.Currency)),
            document.ReadySince is { } ready ? CosmosJson.ParseInstant(ready) : null);
    }

    public Task<bool> PutSellerItemAsync(SellerOrderRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var document = SellerDocument(record);
        return PutIfNewerAsync(document.Id, document.PartitionKey, document, record.Sequence, d => d.Version, cancellationToken);
    }

    // ----- IReadModelQueries --------------------------------------------------------------------------------------

    public Task<OrderView?> GetOrderDetailAsync(OrderId orderId, CancellationToken cancellationToken = default) =>
        CosmosFaults.GuardAsync($"reading order {orderId}'s detail", write: false, () => GetOrderDetailCoreAsync(orderId, cancellationToken), cancellationToken);

    private async Task<OrderView?> GetOrderDetailCoreAsync(OrderId orderId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orderId);
        var stored = await ReadAsync<CosmosOrderDetailDocument>(orderId.Value, CosmosReadModelContainer.OrderPartition(orderId), cancellationToken)
            .ConfigureAwait(false);
        return stored is null ? null : ApplicationJson.Deserialize<OrderView>(stored.Value.Document.View);
    }

    public Task<Page<OrderListItem>> ListBuyerOrdersAsync(BuyerId buyerId, OrderStatus? status, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(buyerId);
        return CosmosFaults.GuardAsync($"listing buyer {buyerId}'s orders", write: false,
            () => ListAsync(CosmosReadModelContainer.BuyerPartition(buyerId), CosmosBuyerOrderDocument.Kind, status, pageSize, continuationToken, cancellationToken),
            cancellationToken);
    }

    public Task<Page<OrderListItem>> ListSellerOrdersAsync(SellerId sellerId, OrderStatus? status, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sellerId);
        return CosmosFaults.GuardAsync($"listing seller {sellerId}'s orders", write: false,
            () => ListAsync(CosmosReadModelContainer.SellerPartition(sellerId), CosmosSellerOrderDocument.Kind, status, pageSize, continuationToken, cancellationToken),
            cancellationToken);
    }

    public Task<SellerDashboard> GetSellerDashboardAsync(SellerId sellerId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        CosmosFaults.GuardAsync($"reading seller {sellerId}'s dashboard", write: false, () => GetSellerDashboardCoreAsync(sellerId, now, cancellationToken), cancellationToken);

    private async Task<SellerDashboard> GetSellerDashboardCoreAsync(SellerId sellerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sellerId);
        var serviceLevel = _options.ShippingServiceLevel;
        var partition = CosmosReadModelContainer.SellerPartition(sellerId);

        var totals = await QueryAsync<CosmosSellerTotalRow>(
            new QueryDefinition(TotalsQuery).WithParameter("@type", CosmosSellerOrderDocument.Kind), partition, max: null, cancellationToken)
            .ConfigureAwait(false);
        var waiting = await QueryAsync<CosmosAwaitingRow>(
            new QueryDefinition(AwaitingQuery).WithParameter("@max", _options.MaxAwaitingShipments).WithParameter("@type", CosmosSellerOrderDocument.Kind),
            partition, _options.MaxAwaitingShipments, cancellationToken).ConfigureAwait(false);
        var late = await QueryAsync<long>(
            new QueryDefinition(LateQuery).WithParameter("@type", CosmosSellerOrderDocument.Kind)
                .WithParameter("@lateBefore", CosmosJson.Instant(SellerDashboards.LateBefore(now, serviceLevel))),
            partition, max: null, cancellationToken).ConfigureAwait(false);

        return SellerDashboards.Build(sellerId,
            totals.Select(t => (OrderStatusNames.ParseStored(t.Status), Money.Of(WholeMinor(t), Currency.Of(t.Currency)), checked((int)t.Orders))),
            waiting.Select(w => (OrderId.From(w.OrderId), w.Version, CosmosJson.ParseInstant(w.ReadySince))),
            checked((int)late.Sum()), now, serviceLevel);
    }

    // ----- The stored shapes (public so that tests can build what the container would hold) ----------------------

    public static CosmosOrderDetailDocument DetailDocument(OrderDetailRecord detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        return new CosmosOrderDetailDocument(detail.OrderId.Value, CosmosReadModelContainer.OrderPartition(detail.OrderId), detail.OrderId.Value,
            detail.Sequence, ApplicationJson.Serialize(detail.View), JsonSerializer.Serialize(detail.Entries, DomainJson.Options));
    }

    public static OrderDetailRecord DetailRecord(CosmosOrderDetailDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new OrderDetailRecord(ApplicationJson.Deserialize<OrderView>(document.View),
            JsonSerializer.Deserialize<HistoryEntry[]>(document.Entries, DomainJson.Options) ?? []);
    }

    public static CosmosBuyerOrderDocument BuyerDocument(OrderListItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new CosmosBuyerOrderDocument(item.OrderId.Value, CosmosReadModelContainer.BuyerPartition(item.BuyerId), item.OrderId.Value,
            item.BuyerId.Value, item.Version, OrderStatusNames.Of(item.Status), CosmosJson.Instant(item.CreatedAt), ApplicationJson.Serialize(item));
    }

    public static CosmosSellerOrderDocument SellerDocument(SellerOrderRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var item = record.Item;
        return new CosmosSellerOrderDocument(item.OrderId.Value, CosmosReadModelContainer.SellerPartition(record.SellerId), item.OrderId.Value,
            record.SellerId.Value, item.Version, OrderStatusNames.Of(item.Status), CosmosJson.Instant(item.CreatedAt), record.SellerValue.Currency.Code,
            record.SellerValue.Minor, record.ReadySince is { } ready ? CosmosJson.Instant(ready) : null, ApplicationJson.Serialize(item));
    }

    /// <summary>The query of one page of a list: its text and parameters, in one place (tests check them).</summary>
    public static QueryDefinition ListQuery(string type, OrderStatus? status, ListKey? after, int take)
    {
        var text = ListQueryStart + (status is null ? "" : StatusFilter) + (after is null ? "" : AfterFilter) + ListOrder;
        var query = new QueryDefinition(text).WithParameter("@take", take).WithParameter("@type", type);
        if (status is { } s) query = query.WithParameter("@status", OrderStatusNames.Of(s)).WithParameter("@statusLegacy", s.ToString());
        if (after is { } key)
        {
            query = query.WithParameter("@afterCreatedAt", CosmosJson.Instant(new DateTimeOffset(key.CreatedAtUtcTicks, TimeSpan.Zero)))
                .WithParameter("@afterOrderId", key.OrderId);
        }
        return query;
    }

    // ----- Plumbing -----------------------------------------------------------------------------------------------

    private async Task<Page<OrderListItem>> ListAsync(string partition, string type, OrderStatus? status, int pageSize, string? continuationToken,
        CancellationToken cancellationToken)
    {
        ReadModelPaging.ValidatePageSize(pageSize);
        var after = ReadModelPaging.Decode(continuationToken);
        var take = pageSize + 1; // the extra one only says that more follow
        var items = await QueryAsync<string>(ListQuery(type, status, after, take), partition, take, cancellationToken).ConfigureAwait(false);
        return ReadModelPaging.PageOf([.. items.Select(ApplicationJson.Deserialize<OrderListItem>)], pageSize);
    }

    private async Task<bool> PutIfNewerAsync<TDocument>(string id, string partition, TDocument document, long sequence,
        Func<TDocument, long> storedSequence, CancellationToken cancellationToken)
    {
        var partitionKey = new PartitionKey(partition);
        for (var attempt = 1; ; attempt++)
        {
            var stored = await ReadAsync<TDocument>(id, partition, cancellationToken).ConfigureAwait(false);
            if (stored is { } current && storedSequence(current.Document) >= sequence) return false;
            try
            {
                if (stored is { } existing)
                {
                    await _container.ReplaceItemAsync(document, id, partitionKey,
                        new ItemRequestOptions { IfMatchEtag = existing.ETag, EnableContentResponseOnWrite = false }, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await _container.CreateItemAsync(document, partitionKey, CreateOptions, cancellationToken).ConfigureAwait(false);
                }
                return true;
            }
            catch (CosmosException e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
            {
                // Another writer got in between the read and the write: read again and decide again.
                if (attempt >= MaxWriteAttempts)
                    throw new InvalidOperationException(
                        $"Read model '{id}' in partition '{partition}' kept changing under {MaxWriteAttempts} attempts to write sequence {sequence}; " +
                        "the projector's batch fails and is read again on its next run.", e);
            }
        }
    }

    /// <summary>
    /// A point read of the latest committed version (<see cref="CosmosReads"/>) with the document's ETag; null on 404.
    /// Point reads are what the projector and the reconciler fold onto or compare; the answers to callers are the
    /// queries (<see cref="QueryAsync{T}"/>), which stay at the account's Session (eventually consistent, and documented so).
    /// </summary>
    private async Task<(TDocument Document, string ETag)?> ReadAsync<TDocument>(string id, string partition, CancellationToken cancellationToken)
    {
        ItemResponse<TDocument> response;
        try
        {
            response = await _container.ReadItemAsync<TDocument>(id, new PartitionKey(partition), CosmosReads.Latest(), cancellationToken).ConfigureAwait(false);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        if (response.Resource is not { } document) return null;
        var etag = response.ETag
            ?? throw new InvalidOperationException($"Cosmos DB returned read model '{id}' in partition '{partition}' without an ETag.");
        return (document, etag);
    }

    /// <summary>Every row of a query in one logical partition, up to <paramref name="max"/> (null: all).</summary>
    private async Task<List<T>> QueryAsync<T>(QueryDefinition query, string partition, int? max, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        var options = new QueryRequestOptions { PartitionKey = new PartitionKey(partition), MaxItemCount = max ?? -1 };
        using var iterator = _container.GetItemQueryIterator<T>(query, requestOptions: options);
        while (iterator.HasMoreResults && (max is null || rows.Count < max))
            rows.AddRange(await iterator.ReadNextAsync(cancellationToken).ConfigureAwait(false));
        if (max is { } limit && rows.Count > limit) rows.RemoveRange(limit, rows.Count - limit);
        return rows;
    }

    /// <summary>A SUM of minor units comes back as a JSON number (a double on the service): it must be whole.</summary>
    private static long WholeMinor(CosmosSellerTotalRow row)
    {
        if (decimal.Truncate(row.ValueMinor) != row.ValueMinor)
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"The dashboard total of {row.Status}/{row.Currency} came back as {row.ValueMinor} minor units, which is not whole."));
        return checked((long)row.ValueMinor);
    }
}
