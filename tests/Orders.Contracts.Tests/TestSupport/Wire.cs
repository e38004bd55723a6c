using System.Text.Json;
using System.Text.Json.Nodes;
using Orders.Contracts.Integration;

namespace Orders.Contracts.Tests.TestSupport;

/// <summary>What actually crosses the wire: a CloudEvent as its structured JSON, and edits of it for negative tests.</summary>
public static class Wire
{
    public static JsonElement ToJson(CloudEvent cloudEvent) =>
        JsonDocument.Parse(ContractJson.SerializeCloudEvent(cloudEvent)).RootElement.Clone();

    /// <summary>Envelope errors and data errors of a CloudEvent as sent.</summary>
    public static IReadOnlyList<string> Validate(CloudEvent cloudEvent)
    {
        var json = ToJson(cloudEvent);
        return [.. EventSchemas.ValidateEnvelope(json).Select(e => "envelope " + e),
                .. EventSchemas.Validate(cloudEvent.Type, json.GetProperty("data")).Select(e => "data " + e)];
    }

    public static JsonElement Element(JsonNode node) => JsonDocument.Parse(node.ToJsonString()).RootElement.Clone();

    public static JsonObject Object(JsonElement element) => JsonNode.Parse(element.GetRawText())!.AsObject();

    public static JsonElement Edit(JsonElement element, Action<JsonObject> edit)
    {
        var node = Object(element);
        edit(node);
        return Element(node);
    }
}
