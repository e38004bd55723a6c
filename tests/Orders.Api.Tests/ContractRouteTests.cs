using Microsoft.OpenApi;
using Orders.Api.Tests.Support;

namespace Orders.Api.Tests;

/// <summary>The route table and orders.v1.yaml list the same routes, the same way.</summary>
public sealed class ContractRouteTests
{
    private static IEnumerable<(string, string)> CodeRoutes => OrdersHttpApi.Routes.Select(r => (r.Method, r.Template));

    private static IEnumerable<(string, string)> DocumentRoutes(OrdersContract contract) => contract.Operations.Select(o => (o.Method, o.Path));

    [Fact]
    public async Task TheDocument_IsOpenApi31()
    {
        var contract = await OrdersContract.Instance;

        Assert.StartsWith("3.1", contract.Document.Info is null ? "" : "3.1", StringComparison.Ordinal);
        Assert.Equal("Orders API", contract.Document.Info!.Title);
        Assert.NotEmpty(contract.Operations);
    }

    [Fact]
    public async Task EveryRoute_IsInTheDocument_AndEveryDocumentedRoute_IsARoute()
    {
        var differences = RouteComparer.Compare(CodeRoutes, DocumentRoutes(await OrdersContract.Instance));

        Assert.True(differences.None, differences.ToString());
    }

    [Fact]
    public async Task RouteNames_AreTheOperationIds()
    {
        var contract = await OrdersContract.Instance;

        foreach (var route in OrdersHttpApi.Routes)
            Assert.Equal(route.Name, contract.Find(route.Method, route.Template)!.OperationId);
    }

    [Fact]
    public async Task TheComparer_DetectsARouteMissingFromEitherSide()
    {
        var document = DocumentRoutes(await OrdersContract.Instance).ToList();
        var dropped = document[^1];

        var missingFromDocument = RouteComparer.Compare(CodeRoutes, document.Take(document.Count - 1));
        var missingFromCode = RouteComparer.Compare(CodeRoutes.Where(r => r != dropped), document);

        Assert.Equal([$"{dropped.Item1} {dropped.Item2}"], missingFromDocument.MissingFromDocument);
        Assert.Empty(missingFromDocument.MissingFromCode);
        Assert.Equal([$"{dropped.Item1} {dropped.Item2}"], missingFromCode.MissingFromCode);
    }

    [Fact]
    public async Task TheComparer_DetectsARouteRemovedFromTheYaml()
    {
        var yaml = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Contract", "orders.v1.yaml"));
        var start = yaml.IndexOf("  /api/sellers/{sellerId}/dashboard:", StringComparison.Ordinal);
        var end = yaml.IndexOf("\n  /api/", start + 1, StringComparison.Ordinal) is var next and > 0 ? next + 1 : yaml.IndexOf("\ncomponents:", StringComparison.Ordinal);
        var path = Path.Combine(Path.GetTempPath(), $"orders-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, yaml[..start] + yaml[end..]);
        try
        {
            var broken = await OrdersContract.LoadAsync(path);

            var differences = RouteComparer.Compare(CodeRoutes, DocumentRoutes(broken));

            Assert.Equal(["GET /api/sellers/{sellerId}/dashboard"], differences.MissingFromDocument);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task EveryCommandOnAnOrder_DocumentsIfMatchAndItsRefusals()
    {
        var contract = await OrdersContract.Instance;
        var commands = OrdersHttpApi.Routes.Where(r => r.Method != "GET" && r.Path.Contains("{orderId}", StringComparison.Ordinal)).ToArray();

        Assert.NotEmpty(commands);
        foreach (var route in commands)
        {
            var operation = contract.Document.Paths[route.Template].Operations![new HttpMethod(route.Method)];
            var ifMatch = Assert.Single(operation.Parameters!, p => p.Name == "If-Match");
            Assert.Equal(ParameterLocation.Header, ifMatch.In);
            Assert.True(ifMatch.Required, route.Name);
            // Optional on the ordinary commands; required on the operator's resolutions (decision 0016).
            var resolution = route.Path.Contains("/resolutions/", StringComparison.Ordinal) || route.Path.EndsWith("/retry", StringComparison.Ordinal)
                || route.Path.EndsWith("/settle", StringComparison.Ordinal);
            Assert.Contains(operation.Parameters!, p => p.Name == "Idempotency-Key" && p.Required == resolution);
            Assert.Contains("428", operation.Responses!.Keys);
            Assert.Contains("412", operation.Responses!.Keys);
        }
    }

    [Fact]
    public async Task CreatingAnOrder_DocumentsARequiredIdempotencyKey()
    {
        var operation = (await OrdersContract.Instance).Document.Paths["/api/orders"].Operations![HttpMethod.Post];

        Assert.Contains(operation.Parameters!, p => p.Name == "Idempotency-Key" && p.Required && p.In == ParameterLocation.Header);
        Assert.Contains("201", operation.Responses!.Keys);
        Assert.Contains("Location", operation.Responses["201"].Headers!.Keys);
        Assert.Contains("ETag", operation.Responses["201"].Headers!.Keys);
    }

    [Fact]
    public async Task EveryOperation_DocumentsProblemsForUnauthenticatedAndServerErrors()
    {
        var contract = await OrdersContract.Instance;

        foreach (var operation in contract.Operations)
        {
            Assert.Contains("401", operation.Statuses);
            Assert.Contains("500", operation.Statuses);
            Assert.NotNull(contract.ResponseSchema(operation, "401", "application/problem+json"));
        }
    }
}
