using System.Globalization;
using Microsoft.Azure.Cosmos;
using Orders.Infrastructure.Cosmos;

namespace Orders.Infrastructure.Tests.Cosmos.Emulator;

/// <summary>
/// One throwaway database per test class run (<c>orders-conformance-{random}</c>), deleted afterwards. Does nothing
/// at all when no Cosmos DB is configured.
/// </summary>
public sealed class CosmosEmulatorFixture : IAsyncLifetime
{
    private CosmosClient? _client;
    private CosmosStoreOptions? _options;
    private int _containers;
    private bool _databaseCreated;

    public async Task InitializeAsync()
    {
        if (!CosmosEmulator.IsConfigured) return;
        _options = new CosmosStoreOptions
        {
            Endpoint = CosmosEmulator.Endpoint,
            Key = CosmosEmulator.Key,
            Database = "orders-conformance-" + Guid.NewGuid().ToString("N")[..12],
        };
        _client = CosmosClientFactory.Create(_options);
        // Shared database throughput: every scenario's containers draw on it, and are deleted when it ends.
        await _client.CreateDatabaseIfNotExistsAsync(_options.Database, throughput: 1000);
        _databaseCreated = true;
    }

    /// <summary>A fresh, empty pair of containers, defined exactly as <see cref="CosmosContainers"/> says.</summary>
    public async Task<(Container Orders, Container Leases)> CreateContainersAsync()
    {
        if (_client is null || _options is null) throw new InvalidOperationException(CosmosEmulator.NotRunReason);
        var n = Interlocked.Increment(ref _containers).ToString(CultureInfo.InvariantCulture);
        return await CosmosContainers.CreateIfNotExistsAsync(_client, _options with { OrdersContainer = "orders-" + n, LeasesContainer = "leases-" + n });
    }

    public async Task DisposeAsync()
    {
        if (_client is null || _options is null) return;
        try
        {
            if (_databaseCreated) await _client.GetDatabase(_options.Database).DeleteAsync();
        }
        finally
        {
            _client.Dispose();
        }
    }
}
