using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Orders.Api.Tests.Support;

/// <summary>
/// src/Orders.Contracts/apis/orders.v1.yaml, parsed by Microsoft.OpenApi (OpenAPI 3.1), with its operations and a
/// JSON Schema (2020-12, JsonSchema.Net) for every response body: the document's component schemas become
/// <c>$defs</c> of each response's schema.
/// </summary>
public sealed class OrdersContract
{
    private static readonly Lazy<Task<OrdersContract>> Shared = new(() => LoadAsync(Path.Combine(AppContext.BaseDirectory, "Contract", "orders.v1.yaml")));
    private static int _schemaIds;

    private readonly JsonObject _json;
    private readonly JsonObject _defs;
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);

    private OrdersContract(OpenApiDocument document, JsonObject json)
    {
        Document = document;
        _json = json;
        _defs = RewriteRefs(json["components"]!["schemas"]!.DeepClone()).AsObject();
        Operations = [.. document.Paths.SelectMany(path => path.Value.Operations!.Select(op =>
            new ContractOperation(op.Key.Method.ToUpperInvariant(), path.Key, op.Value.OperationId ?? "",
                [.. op.Value.Responses!.Keys]) { Matcher = Matcher(path.Key) }))];
    }

    public static Task<OrdersContract> Instance => Shared.Value;

    public OpenApiDocument Document { get; }

    public IReadOnlyList<ContractOperation> Operations { get; }

    public static async Task<OrdersContract> LoadAsync(string path)
    {
        var settings = new OpenApiReaderSettings();
        settings.AddYamlReader();
        await using var stream = File.OpenRead(path);
        var result = await OpenApiDocument.LoadAsync(stream, "yaml", settings);
        if (result.Diagnostic is { Errors.Count: > 0 } diagnostic)
            throw new InvalidOperationException("The OpenAPI document has errors: " + string.Join("; ", diagnostic.Errors.Select(e => $"{e.Pointer}: {e.Message}")));
        if (result.Diagnostic?.SpecificationVersion != OpenApiSpecVersion.OpenApi3_1)
            throw new InvalidOperationException($"Expected OpenAPI 3.1, read {result.Diagnostic?.SpecificationVersion}.");
        var document = result.Document ?? throw new InvalidOperationException("No document.");
        var json = JsonNode.Parse(await document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1))!.AsObject();
        return new OrdersContract(document, json);
    }

    /// <summary>The operation whose path template and method match a concrete request, or null.</summary>
    public ContractOperation? Find(string method, string path) =>
        Operations.SingleOrDefault(o => o.Method == method.ToUpperInvariant() && o.Matcher.IsMatch(path));

    /// <summary>The JSON Schema of a response body, or null when the operation declares no such status or media type.</summary>
    public JsonSchema? ResponseSchema(ContractOperation operation, string status, string mediaType)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var response = _json["paths"]![operation.Path]![operation.Method.ToLowerInvariant()]!["responses"]![status];
        if (response is null) return null;
        if (response["$ref"] is { } reference)
            response = _json["components"]!["responses"]![reference.GetValue<string>().Split('/')[^1]];
        var schema = response?["content"]?[mediaType]?["schema"];
        return schema is null ? null : SchemaFor(schema);
    }

    /// <summary>The schema of a component (e.g. "CommandReceipt").</summary>
    public JsonSchema ComponentSchema(string name) => SchemaFor(new JsonObject { ["$ref"] = "#/components/schemas/" + name });

    private JsonSchema SchemaFor(JsonNode schema)
    {
        var text = schema.ToJsonString();
        return _schemas.GetOrAdd(text, _ =>
        {
            var root = RewriteRefs(schema.DeepClone()).AsObject();
            root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
            root["$defs"] = _defs.DeepClone();
            var id = new Uri($"https://orders.example/contract/schema-{Interlocked.Increment(ref _schemaIds)}.json");
            return JsonSchema.FromText(root.ToJsonString(), baseUri: id);
        });
    }

    private static JsonNode RewriteRefs(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToArray())
                {
                    if (key == "$ref" && value is JsonValue v && v.GetValue<string>().StartsWith("#/components/schemas/", StringComparison.Ordinal))
                        obj[key] = "#/$defs/" + v.GetValue<string>()["#/components/schemas/".Length..];
                    else if (value is not null)
                        RewriteRefs(value);
                }
                break;
            case JsonArray array:
                foreach (var item in array) if (item is not null) RewriteRefs(item);
                break;
        }
        return node;
    }

    private static Regex Matcher(string template) =>
        new("^" + Regex.Replace(Regex.Escape(template), @"\\\{[^/]+?\}", "[^/]+") + "$", RegexOptions.CultureInvariant);

    /// <summary>Evaluates a body; the failures, one per line, or null when it is valid.</summary>
    public static string? Failures(JsonSchema schema, string body)
    {
        ArgumentNullException.ThrowIfNull(schema);
        using var document = JsonDocument.Parse(body);
        var result = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (result.IsValid) return null;
        return string.Join("\n", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Key} {e.Value}")));
    }
}

/// <summary>One operation of the document.</summary>
public sealed record ContractOperation(string Method, string Path, string OperationId, IReadOnlyList<string> Statuses)
{
    internal Regex Matcher { get; init; } = null!;
}
