using Orders.Application.Jobs;
using Orders.Application.Ports.Outbound;
using Orders.Application.ReadModels;
using Orders.Infrastructure.Cosmos;
using Orders.Infrastructure.Cosmos.Inbox;
using Orders.Infrastructure.Cosmos.ReadModels;
using Orders.Infrastructure.Jobs;
using Orders.Infrastructure.ReadModels;
using Orders.Infrastructure.Sqlite;

namespace Orders.LocalHost;

/// <summary>
/// Where the local host keeps things: SQLite files in the data directory (the default, nothing to install), or a
/// Cosmos DB emulator or account (<c>Orders:Store=Cosmos</c> with <c>CosmosDb:Endpoint</c>, and <c>CosmosDb:Key</c>
/// for the emulator), using the same adapters as the function app. The Cosmos path creates the database and its
/// containers if missing. It cannot be exercised here (no emulator); it is the function app's tested wiring.
/// </summary>
public sealed class LocalStores : IAsyncDisposable
{
    private readonly List<object> _owned = [];

    private LocalStores(IOrderStore store, IOrderChangeLog changeLog, IInbox inbox, IReadModelStore readModels, IReadModelQueries queries,
        IStuckOrderLog stuckOrders, string description)
    {
        Store = store;
        ChangeLog = changeLog;
        Inbox = inbox;
        ReadModels = readModels;
        Queries = queries;
        StuckOrders = stuckOrders;
        Description = description;
    }

    public IOrderStore Store { get; }
    public IOrderChangeLog ChangeLog { get; }
    public IInbox Inbox { get; }
    public IReadModelStore ReadModels { get; }
    public IReadModelQueries Queries { get; }
    public IStuckOrderLog StuckOrders { get; }
    public string Description { get; }

    public static async Task<LocalStores> OpenAsync(LocalSettings settings, string dataDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Cosmos is { } cosmos)
        {
            var client = CosmosClientFactory.Create(cosmos);
            var (orders, leases) = await CosmosContainers.CreateIfNotExistsAsync(client, cosmos, cancellationToken: cancellationToken).ConfigureAwait(false);
            var readModelsContainer = await CosmosReadModelContainer.CreateIfNotExistsAsync(client.GetDatabase(cosmos.Database), settings.CosmosReadModelsContainer,
                cancellationToken).ConfigureAwait(false);
            var store = new CosmosOrderStore(orders, leases, cosmos);
            var readModels = new CosmosReadModelStore(readModelsContainer);
            var stores = new LocalStores(new TimeBoundOrderStore(store, settings.StoreBound, TimeProvider.System), store, new CosmosInbox(leases), readModels, readModels, new CosmosStuckOrderLog(readModelsContainer),
                $"Cosmos DB at {cosmos.Endpoint}, database {cosmos.Database}");
            stores._owned.Add(client);
            return stores;
        }

        var sqlite = new SqliteOrderStore(new SqliteStoreOptions { Path = Path.Combine(dataDirectory, "orders.db"), MaxSizeBytes = settings.StoreMaxBytes });
        var sqliteReadModels = new SqliteReadModelStore(new SqliteReadModelStoreOptions { Path = Path.Combine(dataDirectory, "read-models.db") });
        var stuck = new SqliteStuckOrderLog(Path.Combine(dataDirectory, "stuck-orders.db"));
        var local = new LocalStores(new TimeBoundOrderStore(sqlite, settings.StoreBound, TimeProvider.System), sqlite, sqlite, sqliteReadModels, sqliteReadModels, stuck, $"SQLite in {dataDirectory}");
        local._owned.AddRange([sqlite, sqliteReadModels, stuck]);
        return local;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            if (owned is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync().ConfigureAwait(false);
            else if (owned is IDisposable disposable) disposable.Dispose();
        }
    }
}
