using System.Reflection;

namespace Orders.Architecture.Tests;

/// <summary>
/// The dependency rule (../shared/DESIGN.md): Domain depends on nothing; Application on Domain (and the contracts);
/// Orchestrations on Application; adapters (Api, Adapters.Azure, Adapters.Local, Adapters.LocalEngine) on Application
/// and never on each other, so the Azure adapters do not drag SQLite or the local engine along; test support
/// (Orders.Testing) is referenced by no shipped assembly; the hosts compose everything and nothing depends on a host
/// (decision 0024). Checked on the compiled assemblies' references, so a stray using or package shows up.
/// </summary>
public sealed class DependencyRuleTests
{
    private static readonly string[] Hosts = ["Orders.LocalHost", "Orders.Functions"];
    private static readonly string[] Adapters = ["Orders.Adapters.Azure", "Orders.Adapters.Local", "Orders.Adapters.LocalEngine", "Orders.Api"];
    private const string TestSupport = "Orders.Testing";
    private static readonly string[] Technology =
        ["Microsoft.Azure.Cosmos.Client", "Azure.Messaging.ServiceBus", "Microsoft.Data.Sqlite", "Microsoft.AspNetCore.Http.Abstractions", "Microsoft.Azure.Functions.Worker"];

    public static TheoryData<string, string[]> Rules => new()
    {
        { "Orders.Application", [.. Hosts, .. Adapters, TestSupport, "Orders.Orchestrations", .. Technology, "Microsoft.DurableTask.Abstractions"] },
        { "Orders.Contracts", [.. Hosts, .. Adapters, TestSupport, "Orders.Orchestrations", "Orders.Application", "Orders.Domain"] },
        { "Orders.Orchestrations", [.. Hosts, .. Adapters, TestSupport, .. Technology] },
        { "Orders.Api", [.. Hosts, .. Others("Orders.Api"), TestSupport, "Orders.Orchestrations", "Microsoft.Azure.Cosmos.Client", "Azure.Messaging.ServiceBus", "Microsoft.Data.Sqlite"] },
        { "Orders.Adapters.Azure", [.. Hosts, .. Others("Orders.Adapters.Azure"), TestSupport, "Orders.Orchestrations", "Microsoft.Data.Sqlite", .. LocalEngine] },
        { "Orders.Adapters.Local", [.. Hosts, .. Others("Orders.Adapters.Local"), TestSupport, "Orders.Orchestrations", "Microsoft.Azure.Cosmos.Client", "Azure.Messaging.ServiceBus", .. LocalEngine] },
        { "Orders.Adapters.LocalEngine", [.. Hosts, .. Others("Orders.Adapters.LocalEngine"), TestSupport, "Orders.Orchestrations", "Microsoft.Azure.Cosmos.Client", "Azure.Messaging.ServiceBus", "Microsoft.Data.Sqlite"] },
        { "Orders.Testing", [.. Hosts, .. Adapters, "Orders.Orchestrations", .. Technology, .. LocalEngine] },
        // The function app's engine is the Durable Functions extension: it never references the local engine or test support.
        { "Orders.Functions", ["Orders.LocalHost", "Orders.Adapters.LocalEngine", TestSupport, .. LocalEngine] },
        { "Orders.LocalHost", ["Orders.Functions", TestSupport] },
    };

    // The preview test host package the local engine runs on: only Orders.Adapters.LocalEngine may reference it.
    private static readonly string[] LocalEngine = ["Microsoft.DurableTask.InProcessTestHost"];

    private static string[] Others(string adapter) => [.. Adapters.Where(a => a != adapter)];

    [Theory]
    [MemberData(nameof(Rules))]
    public void ALayer_ReferencesNothingItMustNot(string assembly, string[] forbidden)
    {
        var offending = Forbidden(Load(assembly), forbidden);
        Assert.True(offending.Count == 0, $"{assembly} references {string.Join(", ", offending)}");
    }

    [Fact]
    public void TheCheck_FindsAForbiddenReference_WhenThereIsOne()
    {
        // The local host composes everything, so it must reference the local adapters: the same check has to see it.
        Assert.Equal(["Orders.Adapters.Local"], Forbidden(Load("Orders.LocalHost"), ["Orders.Adapters.Local", "Orders.NotAThing"]));
    }

    [Fact]
    public void TheDomain_ReferencesOnlyTheFramework()
    {
        var references = Load("Orders.Domain").GetReferencedAssemblies().Select(r => r.Name!).ToArray();
        Assert.All(references, name => Assert.True(
            name is "netstandard" || name.StartsWith("System", StringComparison.Ordinal) || name.StartsWith("Microsoft.Win32", StringComparison.Ordinal),
            $"Orders.Domain references {name}"));
    }

    private static Assembly Load(string name) => Assembly.Load(new AssemblyName(name));

    private static List<string> Forbidden(Assembly assembly, string[] forbidden) =>
        [.. assembly.GetReferencedAssemblies().Select(r => r.Name!).Where(n => forbidden.Contains(n, StringComparer.Ordinal)).Order(StringComparer.Ordinal)];
}
