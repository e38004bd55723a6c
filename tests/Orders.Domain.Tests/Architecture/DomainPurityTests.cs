using System.Reflection;
using Orders.Domain.OrderAggregate;
using Xunit.Abstractions;

namespace Orders.Domain.Tests.Architecture;

/// <summary>The domain depends on nothing: only the base class library. The second test proves the check can fail.</summary>
public sealed class DomainPurityTests(ITestOutputHelper output)
{
    [Fact]
    public void TheDomainAssembly_ReferencesOnlyTheSharedFramework()
    {
        var domain = typeof(Order).Assembly;
        foreach (var reference in domain.GetReferencedAssemblies()) output.WriteLine(reference.FullName);

        Assert.NotEmpty(domain.GetReferencedAssemblies());
        Assert.Empty(FrameworkReferences.NotInTheSharedFramework(domain));
    }

    [Fact]
    public void TheCheck_ReportsTheOffendingReferencesOfAnAssemblyThatUsesPackages()
    {
        var offending = FrameworkReferences.NotInTheSharedFramework(typeof(DomainPurityTests).Assembly);

        Assert.Contains(offending, name => name.StartsWith("xunit.", StringComparison.Ordinal));
        Assert.Contains(offending, name => name.StartsWith("CsCheck,", StringComparison.Ordinal));
        Assert.Contains(offending, name => name.StartsWith("Orders.Domain,", StringComparison.Ordinal));
        Assert.DoesNotContain(offending, name => name.StartsWith("System.Runtime,", StringComparison.Ordinal));
    }

    [Fact]
    public void TheCheck_RefusesAFrameworkNameWithAForeignKeyOrANewerVersion()
    {
        var runtime = typeof(object).Assembly.GetName();
        var newer = new AssemblyName(runtime.FullName) { Version = new Version(runtime.Version!.Major + 1, 0, 0, 0) };
        var unsigned = new AssemblyName("System.Text.Json") { Version = new Version(1, 0, 0, 0) };
        unsigned.SetPublicKeyToken([]);

        Assert.True(FrameworkReferences.IsInTheSharedFramework(runtime));
        Assert.False(FrameworkReferences.IsInTheSharedFramework(newer));
        Assert.False(FrameworkReferences.IsInTheSharedFramework(unsigned));
        Assert.False(FrameworkReferences.IsInTheSharedFramework(new AssemblyName("Newtonsoft.Json")));
    }
}
