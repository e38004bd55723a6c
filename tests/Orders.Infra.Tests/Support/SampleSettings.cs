using System.Text.Json.Nodes;

namespace Orders.Infra.Tests.Support;

/// <summary>The "Values" of local.settings.sample.json: every setting the function app reads.</summary>
public static class SampleSettings
{
    public static IReadOnlyDictionary<string, string> Load()
    {
        var root = JsonNode.Parse(File.ReadAllText(RepoPaths.SampleSettings)) as JsonObject
            ?? throw new InvalidDataException("local.settings.sample.json is not a JSON object.");
        var values = root["Values"] as JsonObject
            ?? throw new InvalidDataException("local.settings.sample.json has no \"Values\" object.");
        return values.ToDictionary(p => p.Key, p => p.Value?.ToString() ?? "", StringComparer.Ordinal);
    }
}
