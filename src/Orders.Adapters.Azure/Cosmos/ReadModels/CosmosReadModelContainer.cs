using Microsoft.Azure.Cosmos;
using Orders.Domain.ValueObjects;

namespace Orders.Infrastructure.Cosmos.ReadModels;

/// <summary>
/// The read-models container as the read-model store, the stuck-order log and their queries assume it: partition key
/// <c>/partitionKey</c>, the partitions each view lives in, and an indexing policy with exactly the paths the queries
/// filter or sort on. infra/modules/cosmos.bicep declares the same (tests/Orders.Infra.Tests checks the composite
/// indexes; CosmosReadModelContainerTests checks that every path the queries use is here).
/// </summary>
public static class CosmosReadModelContainer
{
    public const string PartitionKeyPath = "/partitionKey";

    /// <summary>The one partition of the stuck-order log (a handful of entries at any time).</summary>
    public const string StuckOrdersPartition = "stuck-orders";

    /// <summary>
    /// The only indexed paths (everything else, notably the stored view, entries and items, is excluded):
    /// <list type="bullet">
    /// <item><c>/type</c>: every query filters by document kind.</item>
    /// <item><c>/status</c>, <c>/createdAt</c>, <c>/orderId</c>: the lists (status filter, newest first, order id breaks ties and is the keyset).</item>
    /// <item><c>/readySince</c>: the dashboard's waiting orders (oldest first) and its late count.</item>
    /// <item><c>/detectedAt</c>: the stuck-order log, longest flagged first.</item>
    /// <item><c>/buyerId</c>, <c>/sellerId</c>: operations' cross-partition look-ups (the app itself reads by partition).</item>
    /// </list>
    /// </summary>
    public static IReadOnlyList<string> IncludedPaths { get; } =
        ["/type/?", "/status/?", "/createdAt/?", "/orderId/?", "/readySince/?", "/detectedAt/?", "/buyerId/?", "/sellerId/?"];

    /// <summary>
    /// One composite index per multi-property ORDER BY, exactly as the query sorts (Cosmos DB refuses such a query
    /// without one): the lists (<c>createdAt DESC, orderId ASC</c>), the waiting orders (<c>readySince, orderId</c>)
    /// and the stuck-order log (<c>detectedAt, orderId</c>).
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<(string Path, CompositePathSortOrder Order)>> CompositeIndexes { get; } =
    [
        [("/createdAt", CompositePathSortOrder.Descending), ("/orderId", CompositePathSortOrder.Ascending)],
        [("/readySince", CompositePathSortOrder.Ascending), ("/orderId", CompositePathSortOrder.Ascending)],
        [("/detectedAt", CompositePathSortOrder.Ascending), ("/orderId", CompositePathSortOrder.Ascending)],
    ];

    public static string OrderPartition(OrderId orderId) => "order:" + (orderId ?? throw new ArgumentNullException(nameof(orderId))).Value;

    public static string BuyerPartition(BuyerId buyerId) => "buyer:" + (buyerId ?? throw new ArgumentNullException(nameof(buyerId))).Value;

    public static string SellerPartition(SellerId sellerId) => "seller:" + (sellerId ?? throw new ArgumentNullException(nameof(sellerId))).Value;

    /// <summary>The container's definition: for the emulator tests and a first local run; production's comes from Bicep.</summary>
    public static ContainerProperties Properties(string name)
    {
        var properties = new ContainerProperties(name, PartitionKeyPath)
        {
            IndexingPolicy = new IndexingPolicy { IndexingMode = IndexingMode.Consistent, Automatic = true },
        };
        foreach (var path in IncludedPaths) properties.IndexingPolicy.IncludedPaths.Add(new IncludedPath { Path = path });
        properties.IndexingPolicy.ExcludedPaths.Add(new ExcludedPath { Path = "/*" });
        foreach (var composite in CompositeIndexes)
            properties.IndexingPolicy.CompositeIndexes.Add([.. composite.Select(p => new CompositePath { Path = p.Path, Order = p.Order })]);
        return properties;
    }

    /// <summary>Creates the container if missing (an existing one is left as it is: its policy is not updated).</summary>
    public static async Task<Container> CreateIfNotExistsAsync(Database database, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        var response = await database.CreateContainerIfNotExistsAsync(Properties(name), cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.Container;
    }
}
