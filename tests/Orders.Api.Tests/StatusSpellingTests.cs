using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Orders.Api.Tests.Support;
using Orders.Application;
using Orders.Contracts.PublicEvents;
using Orders.Domain.ValueObjects;
using static Orders.Api.Tests.Support.ApiClient;

namespace Orders.Api.Tests;

/// <summary>
/// One spelling of every order status (<c>CREATED</c> … <c>SPLIT</c>) across the API (OpenAPI and answers), the
/// public events (their constants and JSON Schemas), the history's stored content, the read models and the docs.
/// </summary>
public sealed partial class StatusSpellingTests : IAsyncLifetime
{
    private static readonly string[] OneSpelling = ["CREATED", "CONFIRMED", "PAID", "SHIPPED", "DELIVERED", "CLOSED", "CANCELLED", "REFUNDED", "SPLIT"];

    private ApiHost _host = null!;

    public async Task InitializeAsync() => _host = await ApiHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public void TheDomainsNames_AreTheOneSpelling_AndEveryJsonWritesThem()
    {
        Assert.Equal(OneSpelling, OrderStatusNames.All);
        Assert.Equal(OneSpelling, Enum.GetValues<OrderStatus>().Select(s => ApplicationJson.Serialize(s).Trim('"')));
        Assert.Equal(OneSpelling, Enum.GetValues<OrderStatus>().Select(s => System.Text.Json.JsonSerializer.Serialize(s, Http.ApiJson.Requests).Trim('"')));
    }

    [Fact]
    public async Task TheOpenApiDocument_SpellsThemSo()
    {
        var contract = await OrdersContract.Instance;
        var schema = contract.Document.Components!.Schemas!["OrderStatus"];
        Assert.Equal(OneSpelling, schema.Enum!.Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public void ThePublicEvents_SpellThemSo_InTheirConstantsAndEverySchema()
    {
        Assert.Equal(OneSpelling, PublicOrderStatus.All);
        var schemas = Directory.GetFiles(Path.Combine(RepositoryRoot(), "src", "Orders.Contracts", "events"), "*.json");
        var named = new List<string>();
        foreach (var file in schemas) CollectStatusValues(JsonNode.Parse(File.ReadAllText(file)), null, named);
        Assert.NotEmpty(named);
        Assert.All(named, n => Assert.Contains(n, OneSpelling));
    }

    [Fact]
    public async Task TheAnswers_TheStoredHistory_AndTheReadModels_SpellThemSo()
    {
        var api = _host.Api;
        var orderId = await api.CreatedAsync(key: "spelling");
        var cancel = await api.ActAsync(orderId, "cancel", new { reason = "r" }, Buyer);
        Assert.Equal("CANCELLED", cancel.Json.GetProperty("status").GetString());
        await _host.ReadModel.ProjectAsync(orderId);

        var order = JsonNode.Parse((await api.GetAsync($"/api/orders/{orderId}", Buyer)).Body)!;
        Assert.Equal("CANCELLED", (string?)order["status"]);
        Assert.Equal([null, "CREATED"], order["history"]!.AsArray().Select(h => (string?)h!["from"]));
        Assert.Equal(["CREATED", "CANCELLED"], order["history"]!.AsArray().Select(h => (string?)h!["to"]));
        Assert.Equal("CANCELLED", (string?)JsonNode.Parse((await api.GetAsync($"/api/orders/{orderId}/status", Buyer)).Body)!["status"]);

        // The stored content of each history entry (what the chain hashes) says the same.
        var history = JsonNode.Parse((await api.GetAsync($"/api/orders/{orderId}/history", Buyer)).Body)!;
        var contents = history["entries"]!.AsArray().Select(e => JsonNode.Parse((string)e!["content"]!)!).ToArray();
        Assert.Equal(["CREATED", "CANCELLED"], contents.Select(c => (string?)c["to"]));

        var list = JsonNode.Parse((await api.GetAsync("/api/buyers/buyer-1/orders?status=CANCELLED", Buyer)).Body)!;
        Assert.Equal("CANCELLED", (string?)Assert.Single(list["items"]!.AsArray())!["status"]);
        var legacy = await api.GetAsync("/api/buyers/buyer-1/orders?status=Cancelled", Buyer);
        Assert.Equal(400, legacy.Status);
        Assert.Contains("CREATED, CONFIRMED", legacy.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDocs_SpellThemSo()
    {
        var root = RepositoryRoot();
        var diagram = StateDiagram().Match(File.ReadAllText(Path.Combine(root, "README.md")));
        Assert.True(diagram.Success, "README.md has no state diagram");
        var states = Transition().Matches(diagram.Value).SelectMany(m => new[] { m.Groups[1].Value, m.Groups[2].Value })
            .Where(s => s != "[*]").ToHashSet();
        Assert.Equal(OneSpelling.Order(), states.Order());

        var table = File.ReadAllText(Path.Combine(root, "src", "Orders.Domain", "README.md"));
        foreach (var name in OneSpelling) Assert.Contains($"| {name} |", table, StringComparison.Ordinal);

        // No doc shows a status in another spelling where a client would copy it (JSON, a query, a table cell).
        string[] docs = ["README.md", "docs/orders.http", "src/Orders.Domain/README.md", "src/Orders.Api/README.md", "src/Orders.Contracts/apis/orders.v1.yaml"];
        foreach (var doc in docs.Select(d => Path.Combine(root, d)).Where(File.Exists))
        {
            var misspelt = OtherSpelling().Match(File.ReadAllText(doc));
            Assert.False(misspelt.Success, $"{doc} spells a status '{misspelt.Value}'");
        }
    }

    /// <summary>Every string a schema allows for a member named status, from, to or previousStatus.</summary>
    private static void CollectStatusValues(JsonNode? node, string? member, List<string> found)
    {
        switch (node)
        {
            case JsonObject o:
                if (member is "status" or "from" or "to" or "previousStatus" or "fromStatus" or "toStatus")
                {
                    if (o["const"] is JsonValue c && c.TryGetValue<string>(out var one)) found.Add(one);
                    if (o["enum"] is JsonArray e) found.AddRange(e.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : null).OfType<string>());
                }
                foreach (var (name, child) in o)
                    CollectStatusValues(child, name is "oneOf" or "anyOf" or "allOf" or "items" ? member : name, found);
                break;
            case JsonArray a:
                foreach (var child in a) CollectStatusValues(child, member, found);
                break;
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Orders.Functions.sln"))) return dir.FullName;
        throw new InvalidOperationException("The repository root (Orders.Functions.sln) was not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"stateDiagram-v2[\s\S]*?```")]
    private static partial Regex StateDiagram();

    [GeneratedRegex(@"(\[\*\]|\w+)\s*-->\s*(\[\*\]|\w+)")]
    private static partial Regex Transition();

    [GeneratedRegex(@"(""(status|from|to)""\s*:\s*""|status=)(Created|Confirmed|Paid|Shipped|Delivered|Closed|Cancelled|Refunded|Split)\b")]
    private static partial Regex OtherSpelling();
}
