using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.Azure.Cosmos;
using Orders.Application.Ports.Outbound;
using Orders.Application.Tests.Conformance;
using Orders.Domain.OrderAggregate;
using Orders.Infrastructure.Cosmos;

namespace Orders.Infrastructure.Tests.Cosmos.Emulator;

/// <summary>
/// The store conformance suite over <see cref="CosmosOrderStore"/>. Internal on purpose: xUnit discovers only public
/// classes, so the inherited [Fact]s are not run directly (they would fail without Cosmos DB);
/// <see cref="CosmosEmulatorConformance"/> runs each of them, by name, when a Cosmos DB is configured.
/// </summary>
internal sealed class CosmosConformanceScenarios(CosmosEmulatorFixture fixture) : OrderStoreConformance
{
    private readonly List<Container> _created = [];
    private (Container Orders, Container Leases)? _prepared;

    /// <summary>The public scenario methods of the suite, in name order.</summary>
    public static IReadOnlyList<MethodInfo> All { get; } =
    [
        .. typeof(OrderStoreConformance).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.IsDefined(typeof(FactAttribute), inherit: true))
            .OrderBy(m => m.Name, StringComparer.Ordinal),
    ];

    public async Task RunAsync(string scenario)
    {
        var method = All.SingleOrDefault(m => m.Name == scenario) ?? throw new ArgumentException($"No conformance scenario {scenario}.", nameof(scenario));
        _prepared = await fixture.CreateContainersAsync();
        _created.AddRange([_prepared.Value.Orders, _prepared.Value.Leases]);
        try
        {
            await (Task)method.Invoke(this, null)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
        }
        finally
        {
            foreach (var container in _created) await container.DeleteContainerAsync();
        }
    }

    protected override (IOrderStore Store, IOrderChangeLog Log) CreateStore(Action<Order>? beforeCommit = null)
    {
        // The containers for the first store were created before the scenario started (CreateStore is synchronous);
        // a scenario that asks for a second fresh store waits for another pair.
        var (orders, leases) = _prepared ?? Task.Run(fixture.CreateContainersAsync).GetAwaiter().GetResult();
        if (_prepared is null) _created.AddRange([orders, leases]);
        _prepared = null;
        var store = new CosmosOrderStore(orders, leases, new CosmosStoreOptions { BeforeCommit = beforeCommit });
        return (store, store);
    }
}
