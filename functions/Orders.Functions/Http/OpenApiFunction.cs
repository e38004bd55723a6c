using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Orders.Functions.Http;

/// <summary>
/// GET /api/openapi.yaml: the API's contract, src/Orders.Contracts/apis/orders.v1.yaml, embedded into this assembly at
/// build time (so what is served is exactly what the contract tests check the route table against).
/// </summary>
public static class OpenApiFunction
{
    public const string Name = "GetOpenApiDocument";
    public const string Route = "openapi.yaml";
    public const string ContentType = "application/yaml; charset=utf-8";
    public const string ResourceName = "openapi/orders.v1.yaml";

    private static readonly Lazy<string> Document = new(Load);

    [Function(Name)]
    public static IActionResult GetOpenApiDocument([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route)] HttpRequest req) =>
        new ContentResult { Content = Document.Value, ContentType = ContentType, StatusCode = StatusCodes.Status200OK };

    public static string Load()
    {
        using var stream = typeof(OpenApiFunction).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing: the project embeds src/Orders.Contracts/apis/orders.v1.yaml.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
