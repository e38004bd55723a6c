using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Orders.Infra.Tests.Arm;

namespace Orders.Infra.Tests.Support;

/// <summary>
/// Runs the Bicep CLI once per test run (shared by every test class in the "bicep" collection): builds main.bicep,
/// builds each parameters file, lints every .bicep and .bicepparam file under infra/. Two at a time (two cores).
/// </summary>
public sealed class BicepFixture : IAsyncLifetime
{
    public static readonly IReadOnlyList<string> ParameterFiles = ["parameters/dev.bicepparam", "parameters/prod.bicepparam"];

    private readonly ConcurrentDictionary<string, BicepRun> _lints = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, BicepRun> _paramBuilds = new(StringComparer.Ordinal);
    private BicepRun? _mainBuild;

    public BicepRun MainBuild => _mainBuild ?? throw new InvalidOperationException("Not initialised.");

    public IReadOnlyDictionary<string, BicepRun> Lints => _lints;

    public IReadOnlyDictionary<string, BicepRun> ParamBuilds => _paramBuilds;

    /// <summary>A fresh copy of main.bicep's compiled template (tests may change it).</summary>
    public JsonObject MainTemplateJson()
    {
        Assert.True(MainBuild.ExitCode == 0, MainBuild.ToString());
        return JsonNode.Parse(MainBuild.Stdout) as JsonObject ?? throw new InvalidDataException("bicep build printed no JSON object.");
    }

    /// <summary>The template and parameter values a parameters file compiles to (fresh copies).</summary>
    public (JsonObject Template, JsonObject Parameters) ParamBuildJson(string parameterFile)
    {
        var run = ParamBuilds[parameterFile];
        Assert.True(run.ExitCode == 0, run.ToString());
        var output = JsonNode.Parse(run.Stdout) as JsonObject ?? throw new InvalidDataException("build-params printed no JSON object.");
        var template = JsonNode.Parse(output["templateJson"]!.GetValue<string>()) as JsonObject;
        var parameters = JsonNode.Parse(output["parametersJson"]!.GetValue<string>())?["parameters"] as JsonObject;
        return (template!, parameters!);
    }

    /// <summary>
    /// Values for main.bicep's parameters that have no default (a parameters file sets them from the environment), the
    /// same as <see cref="BicepCli.ParameterEnvironment"/>: without them the audiences and alert receivers cannot be read.
    /// </summary>
    public static JsonObject RequiredParameters() => new()
    {
        ["authClientId"] = new JsonObject { ["value"] = BicepCli.ParameterEnvironment["ORDERS_AUTH_CLIENT_ID"] },
        ["alertEmailAddresses"] = new JsonObject { ["value"] = new JsonArray(BicepCli.ParameterEnvironment["ORDERS_ALERT_EMAIL"]) },
    };

    /// <summary>main.bicep's compiled template with its default parameter values and <see cref="RequiredParameters"/>.</summary>
    public ArmTemplate MainTemplate() => ArmTemplate.Load(MainTemplateJson(), RequiredParameters());

    public InfraChecker MainChecker() => new(MainTemplate(), SampleSettings.Load());

    public async Task InitializeAsync()
    {
        var jobs = new List<Func<Task>>
        {
            async () => _mainBuild = await BicepCli.RunAsync(["build", RepoPaths.MainBicep, "--stdout"]),
        };
        foreach (var file in ParameterFiles)
        {
            jobs.Add(async () => _paramBuilds[file] = await BicepCli.RunAsync(
                ["build-params", Path.Combine(RepoPaths.Infra, file), "--stdout"], BicepCli.ParameterEnvironment));
        }

        foreach (var file in RepoPaths.InfraSources())
        {
            jobs.Add(async () => _lints[file] = await BicepCli.RunAsync(
                ["lint", Path.Combine(RepoPaths.Infra, file)], BicepCli.ParameterEnvironment));
        }

        using var slots = new SemaphoreSlim(2);
        await Task.WhenAll(jobs.Select(async job =>
        {
            await slots.WaitAsync();
            try
            {
                await job();
            }
            finally
            {
                slots.Release();
            }
        }));
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class BicepCollection : ICollectionFixture<BicepFixture>
{
    public const string Name = "bicep";
}
