using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orders.Contracts.Integration;

/// <summary>
/// A CloudEvents 1.0 envelope (structured JSON mode) as it crosses Service Bus, in or out. <see cref="Subject"/> is
/// the order id; <see cref="Data"/> is the event's payload, described by its JSON Schema in <c>events/</c>
/// (<see cref="EventSchemas"/>). On the wire the attribute names are the CloudEvents ones (<c>specversion</c>,
/// <c>datacontenttype</c>, <c>dataschema</c>, all lower case), described by <c>events/cloudevent.v1.json</c>.
/// <see cref="TraceParent"/>/<see cref="TraceState"/> are the W3C trace context extension attributes: Orders writes
/// the order's trace on everything it sends and continues the trace an inbound message carries.
/// </summary>
public sealed record CloudEvent(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("time")] DateTimeOffset Time,
    [property: JsonPropertyName("data")] JsonElement Data,
    [property: JsonPropertyName("specversion")] string SpecVersion = "1.0",
    [property: JsonPropertyName("datacontenttype")] string DataContentType = "application/json",
    [property: JsonPropertyName("dataschema"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DataSchema = null,
    [property: JsonPropertyName("traceparent"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TraceParent = null,
    [property: JsonPropertyName("tracestate"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TraceState = null);

/// <summary>Money in contracts: integer minor units and an ISO 4217 code, never a float.</summary>
public sealed record MoneyAmount(long Minor, string Currency);

/// <summary>
/// The JSON of contracts: <see cref="JsonSerializerDefaults.Web"/> (camelCase properties, dictionary keys as they
/// are), nulls written, no indentation. Both the CloudEvent envelope and every payload use it.
/// </summary>
public static class ContractJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>A CloudEvent in structured JSON mode, as UTF-8 bytes (the Service Bus message body).</summary>
    public static byte[] SerializeCloudEvent(CloudEvent cloudEvent) => JsonSerializer.SerializeToUtf8Bytes(cloudEvent, Options);

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = false,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            NumberHandling = JsonNumberHandling.Strict,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
