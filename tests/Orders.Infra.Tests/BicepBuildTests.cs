using System.Text.Json.Nodes;
using Orders.Infra.Tests.Support;

namespace Orders.Infra.Tests;

[Collection(BicepCollection.Name)]
public sealed class BicepBuildTests(BicepFixture bicep)
{
    public static TheoryData<string> ParameterFiles() => new(BicepFixture.ParameterFiles);

    [Fact]
    public void Main_bicep_builds_without_any_diagnostic()
    {
        Assert.True(bicep.MainBuild.ExitCode == 0, bicep.MainBuild.ToString());
        Assert.True(bicep.MainBuild.Diagnostics.Length == 0, bicep.MainBuild.ToString());
        Assert.Equal("2.0", bicep.MainTemplateJson()["languageVersion"]?.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public void Each_parameters_file_builds_against_main_bicep(string file)
    {
        var run = bicep.ParamBuilds[file];
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(run.Diagnostics.Length == 0, run.ToString());

        var (template, parameters) = bicep.ParamBuildJson(file);
        Assert.True(JsonNode.DeepEquals(template, bicep.MainTemplateJson()), $"{file} does not compile main.bicep");

        // Every required parameter of main.bicep gets a value.
        var required = bicep.MainTemplateJson()["parameters"]!.AsObject()
            .Where(p => p.Value is JsonObject declared && !declared.ContainsKey("defaultValue"))
            .Select(p => p.Key);
        Assert.All(required, name => Assert.True(parameters.ContainsKey(name), $"{file} does not set '{name}'"));
        Assert.Equal(BicepCli.ParameterEnvironment["ORDERS_AUTH_CLIENT_ID"], parameters["authClientId"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void Prod_is_sized_for_production_and_alerts()
    {
        var (_, prod) = bicep.ParamBuildJson("parameters/prod.bicepparam");
        JsonNode Value(string name) => prod[name]!["value"]!;

        Assert.Equal("Premium", Value("serviceBusSku").GetValue<string>());
        Assert.Equal("Autoscale", Value("cosmosThroughputMode").GetValue<string>());
        Assert.True(Value("cosmosZoneRedundant").GetValue<bool>());
        Assert.Equal("Standard_ZRS", Value("storageSku").GetValue<string>());
        Assert.True(Value("alertsEnabled").GetValue<bool>());
        Assert.True(Value("logRetentionInDays").GetValue<int>() >= 90);
        Assert.True(Value("durableAlwaysReadyInstances").GetValue<int>() >= 1);
    }

    [Fact]
    public async Task A_parameters_file_refuses_to_build_without_its_environment_variables()
    {
        // The Entra ID client id and the alert address are never committed; a pipeline without them must fail loudly.
        var run = await BicepCli.RunAsync(["build-params", Path.Combine(RepoPaths.Infra, "parameters/prod.bicepparam"), "--stdout"]);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("ORDERS_AUTH_CLIENT_ID", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_api_base_url_is_an_output()
    {
        var output = bicep.MainTemplateJson()["outputs"]?["apiBaseUrl"]?["value"]?.GetValue<string>();

        Assert.NotNull(output);
        Assert.Contains("https://", output, StringComparison.Ordinal);
        Assert.Contains("/api", output, StringComparison.Ordinal);
        Assert.Contains("outputs.defaultHostName.value", output, StringComparison.Ordinal);
    }
}
