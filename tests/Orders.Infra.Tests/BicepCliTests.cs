using System.Xml.Linq;
using Orders.Infra.Tests.Support;

namespace Orders.Infra.Tests;

public sealed class BicepCliTests
{
    [Fact]
    public async Task The_bicep_cli_is_the_one_pinned_in_Directory_Packages_props()
    {
        var props = XDocument.Load(Path.Combine(RepoPaths.Root, "Directory.Packages.props"));
        var pinned = props.Descendants("PackageVersion")
            .Single(e => (string?)e.Attribute("Include") == "Azure.Bicep.CommandLine.linux-x64")
            .Attribute("Version")!.Value;

        Assert.Contains($"/{pinned}/", BicepCli.Executable, StringComparison.Ordinal);
        var run = await BicepCli.RunAsync(["--version"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"Bicep CLI version {pinned}", run.Stdout, StringComparison.Ordinal);
    }
}
