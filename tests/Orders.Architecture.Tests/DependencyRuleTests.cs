using System.Reflection;

namespace Orders.Architecture.Tests;

/// <summary>
/// The dependency rule (../shared/DESIGN.md): Domain depends on nothing; Application on Domain (and the contracts);
/// Orchestrations on Application; adapters (Api, Infrastructure) on Application; the hosts compose everything and
/// nothing depends on a host. Checked on the compiled assemblies' references, so a stray using or package shows up.
/// </summary>
public sealed class DependencyRuleTests
{
    private static readonly string[] Hosts = ["Orders.LocalHost", "Orders.Functions"];
    private static readonly string[] Adapters = ["Orders.Infrastructure", "Orders.Api"];
    private static readonly string[] Technology =
        ["Microsoft.Azure.Cosmos.Client", "Azure.Messaging.ServiceBus", "Microsoft.Data.Sqlite", "Microsoft.AspNetCore.Http.Abstractions", "Microsoft.Azure.Functions.Worker"];

    public static TheoryData<string, string[]> Rules => new()
    {
        { "Orders.Application", [.. Hosts, .. Adapters, "Orders.Orchestrations", .. Technology, "Microsoft.DurableTask.Abstractions"] },
        { "Orders.Contracts", [.. Hosts, .. Adapters, "Orders.Orchestrations", "Orders.Application", "Orders.Domain"] },
        { "Orders.Orchestrations", [.. Hosts, .. Adapters, .. Technology] },
        { "Orders.Api", [.. Hosts, "Orders.Infrastructure", "Orders.Orchestrations", "Microsoft.Azure.Cosmos.Client", "Azure.Messaging.ServiceBus", "Microsoft.Data.Sqlite"] },
        { "Orders.Infrastructure", [.. Hosts, "Orders.Api", "Orders.Orchestrations"] },
    };

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
        // The local host composes everything, so it must reference the infrastructure: the same check has to see it.
        Assert.Equal(["Orders.Infrastructure"], Forbidden(Load("Orders.LocalHost"), ["Orders.Infrastructure", "Orders.NotAThing"]));
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
