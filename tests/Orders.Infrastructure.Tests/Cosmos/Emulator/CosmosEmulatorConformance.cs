using Orders.Application.Tests.Conformance;

namespace Orders.Infrastructure.Tests.Cosmos.Emulator;

/// <summary>
/// The same conformance scenarios every store adapter passes (<see cref="OrderStoreConformance"/>), against a real
/// Cosmos DB: one test case per scenario, each on a fresh pair of containers in a throwaway database.
/// <list type="bullet">
/// <item>Without <c>ORDERS_COSMOS_ENDPOINT</c>: the theory is reported as skipped with the reason (one skipped entry,
/// standing for every scenario); no connection is opened; nothing is counted as passed.</item>
/// <item>With it (and <c>ORDERS_COSMOS_KEY</c> for the emulator, or a DefaultAzureCredential sign-in for an
/// account): every scenario runs and passes or fails on its own.</item>
/// </list>
/// Traits: <c>Category=CosmosEmulator</c>, so a run can select (<c>--filter Category=CosmosEmulator</c>) or leave out
/// (<c>--filter Category!=CosmosEmulator</c>) these tests. No filter is needed to keep CI honest.
/// </summary>
[Trait("Category", "CosmosEmulator")]
public sealed class CosmosEmulatorConformance(CosmosEmulatorFixture fixture) : IClassFixture<CosmosEmulatorFixture>
{
    public static TheoryData<string> Scenarios => new(CosmosConformanceScenarios.All.Select(m => m.Name));

    [CosmosEmulatorTheory]
    [MemberData(nameof(Scenarios))]
    public Task Scenario(string name) => new CosmosConformanceScenarios(fixture).RunAsync(name);
}

/// <summary>Checks on the gate itself; these always run and need no Cosmos DB.</summary>
public sealed class CosmosEmulatorGateTests
{
    [Fact]
    public void EveryConformanceTest_IsAParameterlessScenarioTheEmulatorRunCovers()
    {
        var tests = typeof(OrderStoreConformance).GetMethods()
            .Where(m => m.GetCustomAttributes(typeof(FactAttribute), inherit: true).Length > 0).ToArray();

        Assert.True(tests.Length >= 14, $"expected the whole suite, found {tests.Length} tests");
        Assert.All(tests, m => Assert.Empty(m.GetParameters()));
        Assert.All(tests, m => Assert.Equal(typeof(Task), m.ReturnType));
        Assert.Equal(tests.Select(m => m.Name).Order(StringComparer.Ordinal), CosmosEmulatorConformance.Scenarios.Select((object[] row) => (string)row[0]));
        Assert.Contains("AFailureBeforeCommit_LeavesNoPartialWrite", CosmosEmulatorConformance.Scenarios.Select((object[] row) => (string)row[0]));
    }

    [Fact]
    public void TheEmulatorSuite_IsSkippedWithAReason_ExactlyWhenNoEndpointIsSet()
    {
        var gate = new CosmosEmulatorTheoryAttribute();

        if (CosmosEmulator.IsConfigured) Assert.Null(gate.Skip);
        else Assert.Equal(CosmosEmulator.NotRunReason, gate.Skip);
        Assert.Contains(CosmosEmulator.EndpointVariable, CosmosEmulator.NotRunReason, StringComparison.Ordinal);
    }
}
