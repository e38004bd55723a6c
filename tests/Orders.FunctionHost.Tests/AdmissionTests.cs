using System.Net;
using System.Text.Json.Nodes;
using Orders.EndToEnd.Tests.Support;
using Orders.FunctionHost.Tests.Support;
using Xunit.Abstractions;
using static Orders.EndToEnd.Tests.Support.OrderRequests;

namespace Orders.FunctionHost.Tests;

/// <summary>
/// Admission under the real host (decision 0040): the worker's loop measures the task hub's queues on the host's own
/// storage account (its AzureWebJobsStorage, task hub name and host.json partition count) and the saga-starts lane,
/// and a create is refused with 503 and Retry-After while work waits too long; nothing of a refused create is kept, and
/// the same request is accepted once the engine has caught up. The lag limit here is a millisecond, so any create
/// still waiting for the lane (or any due message) closes admission at once.
/// </summary>
[Collection(HostsThatDie.Name)]
public sealed class AdmissionTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Buyer = "buyer-admission";

    private FunctionAppProcess? _app;
    private TempDirectory? _folder;

    [FunctionHostFact]
    public async Task A_create_behind_waiting_work_is_refused_with_503_and_accepted_once_the_engine_caught_up()
    {
        _folder = TempDirectory.Create("orders-functionhost-admission");
        var data = Path.Combine(_folder.Path, "data");
        var settings = FunctionAppSettingsFor.Local(data, FunctionAppSettingsFor.NewTaskHub("Admission"));
        settings["Orders__Admission__MaxEngineLag"] = "00:00:00.001"; // instead of the suite's never-reached limit
        _app = await FunctionAppProcess.StartAsync("app-admission", data, Path.Combine(_folder.Path, "state"), settings);
        var api = new OrdersClient(_app);

        // Creates back to back: the first is accepted (nothing waits yet), and one soon after finds it still waiting.
        ApiResponse? refused = null;
        string? refusedKey = null;
        var accepted = new List<string>();
        for (var i = 1; i <= 10 && refused is null; i++)
        {
            var response = await api.SendAsync(HttpMethod.Post, "/api/orders", OrdersClient.Buyer(Buyer), Simple(Buyer, Prepaid, sku: $"sku-adm-{i}"),
                idempotencyKey: $"adm-{i}");
            if (response.Status == HttpStatusCode.Created) accepted.Add((string)response.Json["orderId"]!);
            else (refused, refusedKey) = (response, $"adm-{i}");
        }
        output.WriteLine($"accepted {accepted.Count} before the first refusal: {refused}");
        Assert.NotNull(refused);
        Assert.NotEmpty(accepted);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
        Assert.Equal("5", refused.Header("Retry-After"));
        Assert.Equal("server.sagas-saturated", (string?)refused.Json["code"]);
        Assert.Contains("The saga engine is behind", (string?)refused.Json["detail"], StringComparison.Ordinal);

        // The health report says why (while anything still waits).
        var health = await api.SendAsync(HttpMethod.Get, "/api/health", caller: null);
        output.WriteLine(health.Body);
        Assert.Equal(HttpStatusCode.OK, health.Status);
        Assert.NotNull(health.Json["checks"]?["admission"]?["status"]);

        // A client that honours Retry-After: the same request is accepted once the orders before it have moved on, and it
        // is a new order (the refusal kept nothing under its key).
        var retried = await Eventually.PollAsync(
            () => api.SendAsync(HttpMethod.Post, "/api/orders", OrdersClient.Buyer(Buyer), Simple(Buyer, Prepaid, sku: "sku-adm-retry"), idempotencyKey: refusedKey),
            r => r.Status == HttpStatusCode.Created, TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(5));
        Assert.True(retried.Reached, $"never admitted again: {retried.Last}\n{_app.Tail(40)}");
        Assert.DoesNotContain((string)retried.Last.Json["orderId"]!, accepted);
        Assert.Equal(1L, (long?)retried.Last.Json["version"]);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        _folder?.Dispose();
    }
}
