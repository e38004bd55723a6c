using System.Net;
using Orders.EndToEnd.Tests.Support;
using Xunit.Abstractions;
using static Orders.EndToEnd.Tests.Support.OrderRequests;

namespace Orders.EndToEnd.Tests;

/// <summary>
/// A full store under the running local host (a real SQLite file capped with Orders:StoreMaxBytes, which fails with
/// SQLITE_FULL as a full disk does): writes answer 503 with Retry-After and a problem document, nothing acknowledged
/// is lost, and once there is room again (restart without the cap) the refused request, retried with its key, lands once.
/// </summary>
public sealed class StoreFullTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Buyer = "buyer-full";
    private readonly TempDirectory _data = TempDirectory.Create("orders-e2e-full");
    private readonly List<LocalHostProcess> _hosts = [];

    [Fact]
    public async Task AFullStore_Answers503WithRetryAfter_LosesNothing_AndTheRetryLandsOnceThereIsRoom()
    {
        var full = await StartAsync("host-full", ["--Orders:StoreMaxBytes=262144"]);
        var api = new OrdersClient(full);
        var acknowledged = new List<string>();
        ApiResponse? refused = null;
        string? refusedKey = null;
        for (var i = 0; i < 2000 && refused is null; i++)
        {
            var key = $"full-{i}";
            var response = await api.SendAsync(HttpMethod.Post, "/api/orders", OrdersClient.Buyer(Buyer), Simple(Buyer, Prepaid, sku: "sku-" + i), idempotencyKey: key);
            if (response.Status == HttpStatusCode.Created) acknowledged.Add((string)response.Json["orderId"]!);
            else (refused, refusedKey) = (response, key);
        }

        Assert.NotNull(refused);
        Assert.True(refused.Status == HttpStatusCode.ServiceUnavailable, refused.ToString());
        Assert.Equal("application/problem+json", refused.Header("Content-Type")?.Split(';')[0]);
        Assert.Equal("server.store-unavailable", (string?)refused.Json["code"]);
        Assert.Equal("30", refused.Header("Retry-After"));
        Assert.Contains("disk is full", (string?)refused.Json["detail"], StringComparison.Ordinal);
        Assert.NotEmpty(acknowledged);
        output.WriteLine($"{acknowledged.Count} orders fitted; then: {refused}");
        foreach (var id in acknowledged) Assert.Equal("CREATED", (await api.StoreStateAsync(id)).Status);
        Assert.Empty(full.Lines("Unexpected error"));

        // Room again: the same request, retried with its key, creates the order once.
        await full.KillAsync();
        var roomy = new OrdersClient(await StartAsync("host-roomy", []));
        var retry = await roomy.SendAsync(HttpMethod.Post, "/api/orders", OrdersClient.Buyer(Buyer), Simple(Buyer, Prepaid, sku: "sku-" + refusedKey![5..]), idempotencyKey: refusedKey);
        Assert.True(retry.Status == HttpStatusCode.Created, retry.ToString());
        Assert.Null(retry.Header("Idempotent-Replayed"));
        foreach (var id in acknowledged) Assert.NotEqual(HttpStatusCode.NotFound, (await roomy.SendAsync(HttpMethod.Get, $"/api/orders/{id}/status", OrdersClient.Operator)).Status);
    }

    private async Task<LocalHostProcess> StartAsync(string name, string[] settings)
    {
        var host = await LocalHostProcess.StartAsync(name, _data.Path,
        [
            .. settings,
            "--Simulators:AnswerDelay=01:00:00", "--Sagas:InventoryTimeout=02:00:00",
            $"--Jobs:AutoCancelUnpaid:Schedule={JourneyHost.Never}",
            $"--Jobs:DetectStuck:Schedule={JourneyHost.Never}",
            $"--Jobs:Reconcile:Schedule={JourneyHost.Never}",
            $"--Jobs:AutoClose:Schedule={JourneyHost.Never}",
        ]);
        _hosts.Add(host);
        return host;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts) await host.DisposeAsync();
        _data.Dispose();
    }
}
