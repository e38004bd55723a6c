using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orders.Application.Integration;
using Orders.Application.Jobs;
using Orders.Application.Ports.Outbound;
using Orders.Application.ReadModels;
using Orders.Contracts.Integration;
using Orders.Domain.ValueObjects;
using Orders.Infrastructure.Cosmos;
using Orders.Infrastructure.Cosmos.Inbox;
using Orders.Infrastructure.Cosmos.ReadModels;
using Orders.Infrastructure.Jobs;
using Orders.Infrastructure.Local;
using Orders.Infrastructure.ReadModels;
using Orders.Infrastructure.Simulators;
using Orders.Infrastructure.Sqlite;

namespace Orders.Infrastructure.Tests.Registration;

/// <summary>
/// The one registration per adapter that both hosts call (decision 0024): each gives every port it serves, one instance
/// per adapter, and resolves with the container's validation on, connecting to nothing.
/// </summary>
public sealed class AdapterRegistrationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("orders-registration-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_sqlite_store_serves_every_store_port_from_files_in_the_data_directory()
    {
        var data = Path.Combine(_folder, "data");
        var services = new ServiceCollection().AddOrdersSqliteStore(data, TimeSpan.FromSeconds(3), maxSizeBytes: 1_000_000);
        await using (var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }))
        {
            var bounded = Assert.IsType<TimeBoundOrderStore>(provider.GetRequiredService<IOrderStore>());
            Assert.Equal(TimeSpan.FromSeconds(3), bounded.Bound);
            var store = Assert.IsType<SqliteOrderStore>(bounded.Inner);
            Assert.Same(store, provider.GetRequiredService<IOrderChangeLog>());
            Assert.Same(store, provider.GetRequiredService<IInbox>());
            var readModels = Assert.IsType<SqliteReadModelStore>(provider.GetRequiredService<IReadModelStore>());
            Assert.Same(readModels, provider.GetRequiredService<IReadModelQueries>());
            Assert.IsType<SqliteStuckOrderLog>(provider.GetRequiredService<IStuckOrderLog>());
        }

        Assert.True(File.Exists(Path.Combine(data, "orders.db")), "orders.db was not created in the data directory");
        Assert.True(File.Exists(Path.Combine(data, "read-models.db")), "read-models.db was not created in the data directory");
    }

    [Fact]
    public void The_cosmos_store_serves_every_store_port_without_connecting()
    {
        var options = new CosmosStoreOptions { Endpoint = "https://localhost:8081/", Key = EmulatorKey, Database = "orders-test" };
        var services = new ServiceCollection().AddOrdersCosmos(options, "read-models", TimeSpan.FromSeconds(4));
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var bounded = Assert.IsType<TimeBoundOrderStore>(provider.GetRequiredService<IOrderStore>());
        Assert.Equal(TimeSpan.FromSeconds(4), bounded.Bound);
        Assert.Same(Assert.IsType<CosmosOrderStore>(bounded.Inner), provider.GetRequiredService<IOrderChangeLog>());
        Assert.Same(Assert.IsType<CosmosReadModelStore>(provider.GetRequiredService<IReadModelStore>()), provider.GetRequiredService<IReadModelQueries>());
        Assert.IsType<CosmosInbox>(provider.GetRequiredService<IInbox>());
        Assert.IsType<CosmosStuckOrderLog>(provider.GetRequiredService<IStuckOrderLog>());
    }

    [Fact]
    public async Task The_simulators_serve_the_five_domain_ports_and_answer_through_the_hosts_delivery()
    {
        var delivered = new List<InboundEvent>();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(new SimulatorLedger());
        services.AddSimulatedDomains(new SimulatorKnobs(), _ => inbound =>
        {
            lock (delivered) delivered.Add(inbound);
            return Task.FromResult(new InboundResult(InboundOutcome.Handled));
        });
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var simulated = provider.GetRequiredService<SimulatedDomains>();
        Assert.Same(simulated, provider.GetRequiredService<IInventoryPort>());
        Assert.Same(simulated, provider.GetRequiredService<IPaymentsPort>());
        Assert.Same(simulated, provider.GetRequiredService<IShippingPort>());
        Assert.Same(simulated, provider.GetRequiredService<IPromotionsPort>());
        Assert.Same(simulated, provider.GetRequiredService<INotificationPort>());

        await provider.GetRequiredService<IInventoryPort>().ReleaseAsync(new ReleaseStock(OrderId.From("ord-1"), null, "test", "release-1"));
        await simulated.DrainAsync();
        lock (delivered) Assert.Equal([InboundEventTypes.StockReleased], delivered.Select(e => e.Type));
    }

    [Fact]
    public void The_json_lines_publisher_writes_in_the_data_directory()
    {
        var data = Path.Combine(_folder, "events");
        using var provider = new ServiceCollection().AddOrdersJsonLinesPublisher(data).BuildServiceProvider();
        Assert.IsType<JsonLinesEventPublisher>(provider.GetRequiredService<IEventPublisher>());
        Assert.True(Directory.Exists(data), "the data directory was not created");
    }

    private const string EmulatorKey = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";
}
