using System.Net;
using Microsoft.Azure.Cosmos;

namespace Orders.Infrastructure.Cosmos;

/// <summary>
/// The containers the store assumes, in one place: partition keys, indexing policies and TTL. The Bicep in infra/
/// must declare the same (its checker tests it); the emulator tests create them from here.
/// </summary>
public static class CosmosContainers
{
    public const string OrdersPartitionKeyPath = "/orderId";

    public const string LeasesPartitionKeyPath = "/id";

    /// <summary>
    /// The only paths queries use: everything else (the order's <c>document</c>, each event's <c>entry</c>, responses)
    /// is excluded, so a write pays index cost for a handful of short values and not for the body.
    /// <list type="bullet">
    /// <item><c>/type</c>: every query filters by document kind.</item>
    /// <item><c>/sequence</c>: load orders an order's events by sequence (inside its partition).</item>
    /// <item><c>/status</c>, <c>/createdAt</c>, <c>/orderId</c>: the jobs' FindByStatus (filter by status, oldest first,
    /// order id breaks ties; the composite index below serves that ORDER BY).</item>
    /// <item><c>/expiresAt</c>: the idempotency purge.</item>
    /// <item><c>/buyerId</c>: operations' "orders of a buyer" lookup (read models serve buyers; this is for support).</item>
    /// </list>
    /// </summary>
    public static IReadOnlyList<string> OrdersIncludedPaths { get; } =
        ["/type/?", "/status/?", "/createdAt/?", "/buyerId/?", "/sequence/?", "/orderId/?", "/expiresAt/?"];

    /// <summary>The orders container: per-item TTL on (<c>DefaultTimeToLive = -1</c>: nothing expires unless it says so).</summary>
    public static ContainerProperties Orders(string name)
    {
        var properties = new ContainerProperties(name, OrdersPartitionKeyPath)
        {
            DefaultTimeToLive = -1,
            IndexingPolicy = new IndexingPolicy { IndexingMode = IndexingMode.Consistent, Automatic = true },
        };
        foreach (var path in OrdersIncludedPaths) properties.IndexingPolicy.IncludedPaths.Add(new IncludedPath { Path = path });
        properties.IndexingPolicy.ExcludedPaths.Add(new ExcludedPath { Path = "/*" });
        properties.IndexingPolicy.CompositeIndexes.Add(
        [
            new CompositePath { Path = "/createdAt", Order = CompositePathSortOrder.Ascending },
            new CompositePath { Path = "/orderId", Order = CompositePathSortOrder.Ascending },
        ]);
        return properties;
    }

    /// <summary>
    /// The leases container: point reads and writes by id only, so nothing is indexed. TTL is on (-1: nothing expires
    /// unless it says so) because inbox records carry their own ttl; checkpoints never expire.
    /// </summary>
    public static ContainerProperties Leases(string name)
    {
        var properties = new ContainerProperties(name, LeasesPartitionKeyPath)
        {
            DefaultTimeToLive = -1,
            IndexingPolicy = new IndexingPolicy { IndexingMode = IndexingMode.Consistent, Automatic = true },
        };
        properties.IndexingPolicy.ExcludedPaths.Add(new ExcludedPath { Path = "/*" });
        return properties;
    }

    /// <summary>
    /// Creates the database and both containers if missing (the emulator tests and a first local run use it;
    /// production containers come from Bicep). An existing container is left as it is: policies are not updated.
    /// </summary>
    public static async Task<(Container Orders, Container Leases)> CreateIfNotExistsAsync(CosmosClient client, CosmosStoreOptions options,
        int? throughput = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        var database = (await client.CreateDatabaseIfNotExistsAsync(options.Database, throughput, cancellationToken: cancellationToken)
            .ConfigureAwait(false)).Database;
        var orders = await database.CreateContainerIfNotExistsAsync(Orders(options.OrdersContainer), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        var leases = await database.CreateContainerIfNotExistsAsync(Leases(options.LeasesContainer), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        if (orders.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Created) || leases.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Created))
            throw new InvalidOperationException($"Creating the containers answered {orders.StatusCode} and {leases.StatusCode}.");
        return (orders.Container, leases.Container);
    }
}
