using System.Net;
using Microsoft.Azure.Cosmos;
using Orders.Application.Jobs;
using Orders.Domain.ValueObjects;

namespace Orders.Infrastructure.Cosmos.ReadModels;

/// <summary>
/// The stuck-order log in the read-models container, all in one logical partition, <c>stuck-orders</c>
/// (<see cref="CosmosReadModelContainer.StuckOrdersPartition"/>): one document per flagged order, id = order id.
/// Same contract as the in-memory and SQLite logs: flagging the entry that is already stored writes nothing and says
/// so; a different entry replaces it under the stored document's ETag (a lost race reads again and decides again);
/// the list is one query in that partition, longest flagged first, then by order id. One partition is plenty: the log
/// holds the orders stuck right now, a handful, and a logical partition takes 20 GB.
/// </summary>
public sealed class CosmosStuckOrderLog : IStuckOrderLog
{
    public const int MaxWriteAttempts = 5;

    public const string ListQuery = "SELECT TOP @max * FROM c WHERE c.type = @type ORDER BY c.detectedAt ASC, c.orderId ASC";

    private static readonly PartitionKey Partition = new(CosmosReadModelContainer.StuckOrdersPartition);

    private readonly Container _container;

    public CosmosStuckOrderLog(Container readModels) => _container = readModels ?? throw new ArgumentNullException(nameof(readModels));

    public CosmosStuckOrderLog(CosmosClient client, string database, string readModelsContainer)
        : this((client ?? throw new ArgumentNullException(nameof(client))).GetContainer(database, readModelsContainer))
    {
    }

    public async Task<StuckOrder?> GetAsync(OrderId orderId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(orderId);
        return (await ReadAsync(orderId.Value, cancellationToken).ConfigureAwait(false)) is { } stored ? Entry(stored.Document) : null;
    }

    public async Task<bool> FlagAsync(StuckOrder entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var document = Document(entry);
        for (var attempt = 1; ; attempt++)
        {
            var stored = await ReadAsync(document.Id, cancellationToken).ConfigureAwait(false);
            if (stored is { } current && Entry(current.Document) == entry) return false;
            try
            {
                if (stored is { } existing)
                {
                    await _container.ReplaceItemAsync(document, document.Id, Partition,
                        new ItemRequestOptions { IfMatchEtag = existing.ETag, EnableContentResponseOnWrite = false }, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await _container.CreateItemAsync(document, Partition, new ItemRequestOptions { EnableContentResponseOnWrite = false }, cancellationToken)
                        .ConfigureAwait(false);
                }
                return true;
            }
            catch (CosmosException e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
            {
                if (attempt >= MaxWriteAttempts)
                    throw new InvalidOperationException($"The stuck-order entry of {entry.OrderId} kept changing under {MaxWriteAttempts} attempts to flag it.", e);
            }
        }
    }

    public async Task<bool> UnflagAsync(OrderId orderId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(orderId);
        try
        {
            await _container.DeleteItemAsync<CosmosStuckOrderDocument>(orderId.Value, Partition,
                new ItemRequestOptions { EnableContentResponseOnWrite = false }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<StuckOrder>> ListAsync(int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        var query = new QueryDefinition(ListQuery).WithParameter("@max", max).WithParameter("@type", CosmosStuckOrderDocument.Kind);
        var found = new List<StuckOrder>();
        // Latest committed (decision 0042): detect-stuck decides on each listed entry (keep, re-flag or unflag it), and
        // another instance may have just flagged an order whose money must be returned.
        var options = CosmosReads.LatestIn(Partition);
        options.MaxItemCount = max;
        using var iterator = _container.GetItemQueryIterator<CosmosStuckOrderDocument>(query, requestOptions: options);
        while (iterator.HasMoreResults && found.Count < max)
            found.AddRange((await iterator.ReadNextAsync(cancellationToken).ConfigureAwait(false)).Select(Entry));
        return found.Count > max ? found[..max] : found;
    }

    public static CosmosStuckOrderDocument Document(StuckOrder entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new CosmosStuckOrderDocument(entry.OrderId.Value, CosmosReadModelContainer.StuckOrdersPartition, entry.OrderId.Value,
            OrderStatusNames.Of(entry.Status), CosmosJson.Instant(entry.Since), entry.Reason, entry.Detail, CosmosJson.Instant(entry.DetectedAt));
    }

    public static StuckOrder Entry(CosmosStuckOrderDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new StuckOrder(OrderId.From(document.OrderId), OrderStatusNames.ParseStored(document.Status), CosmosJson.ParseInstant(document.Since),
            document.Reason, document.Detail, CosmosJson.ParseInstant(document.DetectedAt));
    }

    private async Task<(CosmosStuckOrderDocument Document, string ETag)?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _container.ReadItemAsync<CosmosStuckOrderDocument>(id, Partition, CosmosReads.Latest(), cancellationToken).ConfigureAwait(false);
            return response.Resource is { } document
                ? (document, response.ETag ?? throw new InvalidOperationException($"Cosmos DB returned stuck-order entry {id} without an ETag."))
                : null;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
