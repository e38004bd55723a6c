using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Orders.Functions.Tests.Support;

/// <summary>Files of the repository the tests read: the function app's sources, host.json, the settings sample.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string FunctionApp => Path.Combine(Root, "functions", "Orders.Functions");

    public static string SettingsSample => Path.Combine(Root, "local.settings.sample.json");

    public static string HostJson => Path.Combine(Root, "host.json");

    /// <summary>The Values of local.settings.sample.json (app setting names, with __).</summary>
    public static IReadOnlyDictionary<string, string> SampleValues() => Values(File.ReadAllText(SettingsSample));

    public static IReadOnlyDictionary<string, string> Values(string localSettingsJson)
    {
        using var document = JsonDocument.Parse(localSettingsJson);
        return document.RootElement.GetProperty("Values").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The sample as the worker sees it: app settings arrive as environment variables, whose '__' the configuration
    /// turns into ':'.
    /// </summary>
    public static IConfiguration SampleConfiguration(IDictionary<string, string?>? overrides = null)
    {
        var values = SampleValues().ToDictionary(p => p.Key.Replace("__", ":", StringComparison.Ordinal), p => (string?)p.Value, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            if (value is null) values.Remove(key);
            else values[key] = value;
        }
        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    /// <summary>The function app's C# sources, including those compiled only with ServiceBusTriggers=true.</summary>
    public static IEnumerable<string> FunctionAppSources() =>
        Directory.EnumerateFiles(FunctionApp, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Orders.Functions.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No Orders.Functions.sln above {AppContext.BaseDirectory}.");
    }
}
