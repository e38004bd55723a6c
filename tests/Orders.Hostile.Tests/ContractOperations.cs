using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Orders.Hostile.Tests;

/// <summary>A parameter of an operation as the document declares it (in: path, query or header).</summary>
public sealed record ContractParameter(string Name, string In, bool Required, JsonObject Schema);

/// <summary>One operation of the document: what the generator aims requests at.</summary>
public sealed record ContractOperation(
    string Id, string Method, string PathTemplate, IReadOnlyList<ContractParameter> Parameters, JsonObject? BodySchema, bool BodyRequired,
    IReadOnlyList<string> Statuses, bool PerLineResults = false)
{
    public bool HasBody => BodySchema is not null;

    public ContractParameter? Parameter(string name, string location) =>
        Parameters.FirstOrDefault(p => p.Name == name && p.In == location);
}

/// <summary>
/// src/Orders.Contracts/apis/orders.v1.yaml parsed with Microsoft.OpenApi (which checks it is valid OpenAPI 3.1), then
/// read as JSON: its operations, parameters and request body schemas, with <c>$ref</c>s resolved on demand.
/// </summary>
public sealed class ContractOperations
{
    private readonly JsonObject _document;

    private ContractOperations(JsonObject document, IReadOnlyList<ContractOperation> operations)
    {
        _document = document;
        Operations = operations;
    }

    public IReadOnlyList<ContractOperation> Operations { get; }

    public static async Task<ContractOperations> LoadAsync(string path)
    {
        var settings = new OpenApiReaderSettings();
        settings.AddYamlReader();
        await using var stream = File.OpenRead(path);
        var result = await OpenApiDocument.LoadAsync(stream, "yaml", settings);
        if (result.Diagnostic is { Errors.Count: > 0 } diagnostic)
            throw new InvalidOperationException("The OpenAPI document has errors: " + string.Join("; ", diagnostic.Errors.Select(e => $"{e.Pointer}: {e.Message}")));
        var document = result.Document ?? throw new InvalidOperationException("No document.");
        var json = JsonNode.Parse(await document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1))!.AsObject();

        var operations = new List<ContractOperation>();
        var contract = new ContractOperations(json, operations);
        foreach (var (route, item) in json["paths"]!.AsObject())
        {
            foreach (var (method, node) in item!.AsObject())
            {
                if (node is not JsonObject operation || method is "parameters" or "summary" or "description") continue;
                var parameters = (operation["parameters"]?.AsArray() ?? [])
                    .Select(p => contract.Resolve(p!.AsObject()))
                    .Select(p => new ContractParameter((string)p["name"]!, (string)p["in"]!, (bool?)p["required"] ?? false, contract.Resolve(p["schema"]!.AsObject())))
                    .ToArray();
                var body = operation["requestBody"] is JsonObject b ? contract.Resolve(b) : null;
                var bodySchema = body?["content"]?["application/json"]?["schema"] is JsonObject s ? contract.Resolve(s) : null;
                var statuses = operation["responses"]!.AsObject().Select(r => r.Key).ToArray();
                operations.Add(new ContractOperation((string)operation["operationId"]!, method.ToUpperInvariant(), route, parameters, bodySchema,
                    (bool?)body?["required"] ?? false, statuses, (bool?)operation["x-orders-per-line-results"] ?? false));
            }
        }
        return contract;
    }

    /// <summary>The object a <c>$ref</c> points to (followed until it is not a reference), or the object itself.</summary>
    public JsonObject Resolve(JsonObject node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var current = node;
        for (var depth = 0; current["$ref"] is JsonValue reference && depth < 20; depth++)
        {
            JsonNode? target = _document;
            foreach (var part in ((string)reference!).TrimStart('#', '/').Split('/'))
                target = target?[part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)];
            current = target as JsonObject ?? throw new InvalidOperationException($"Unresolvable reference {reference}.");
        }
        return current;
    }
}
