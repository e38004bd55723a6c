using Microsoft.Azure.Cosmos;
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
    private readonly ServiceProvider _owner;

    private LocalStores(ServiceProvider owner, string description)
    {
        _owner = owner;
        Store = owner.GetRequiredService<IOrderStore>();
        ChangeLog = owner.GetRequiredService<IOrderChangeLog>();
        Inbox = owner.GetRequiredService<IInbox>();
        ReadModels = owner.GetRequiredService<IReadModelStore>();
        Queries = owner.GetRequiredService<IReadModelQueries>();
        StuckOrders = owner.GetRequiredService<IStuckOrderLog>();
        Description = description;
    }

    public IOrderStore Store { get; }
    public IOrderChangeLog ChangeLog { get; }
    public IInbox Inbox { get; }
    public IReadModelStore ReadModels { get; }
    public IReadModelQueries Queries { get; }
    public IStuckOrderLog StuckOrders { get; }
    public string Description { get; }

    /// <summary>
    /// The stores, from the same registrations as the function app's (<see cref="SqliteRegistration"/>,
    /// <see cref="CosmosRegistration"/>: decision 0024), in a container of their own that owns and disposes them; the
    /// host hands the instances to both its containers (the engine's and the web app's).
    /// </summary>
    public static async Task<LocalStores> OpenAsync(LocalSettings settings, string dataDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var services = new ServiceCollection();
        if (settings.Cosmos is { } cosmos)
        {
            services.AddOrdersCosmos(cosmos, settings.CosmosReadModelsContainer, settings.StoreBound);
            var owner = services.BuildServiceProvider();
            try
            {
                var client = owner.GetRequiredService<CosmosClient>();
                await CosmosContainers.CreateIfNotExistsAsync(client, cosmos, cancellationToken: cancellationToken).ConfigureAwait(false);
                await CosmosReadModelContainer.CreateIfNotExistsAsync(client.GetDatabase(cosmos.Database), settings.CosmosReadModelsContainer,
                    cancellationToken).ConfigureAwait(false);
                return new LocalStores(owner, $"Cosmos DB at {cosmos.Endpoint}, database {cosmos.Database}");
            }
            catch
            {
                await owner.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        services.AddOrdersSqliteStore(dataDirectory, settings.StoreBound, settings.StoreMaxBytes);
        var sqlite = services.BuildServiceProvider();
        try
        {
            return new LocalStores(sqlite, $"SQLite in {dataDirectory}");
        }
        catch
        {
            await sqlite.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask DisposeAsync() => _owner.DisposeAsync();
}
