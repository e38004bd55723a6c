using System.Diagnostics;
using Orders.EndToEnd.Tests.Support;
using Orders.FunctionHost.Tests.Support;
using Xunit.Abstractions;
using static Orders.EndToEnd.Tests.Support.OrderRequests;

namespace Orders.FunctionHost.Tests;

/// <summary>
/// The persistent engine through a crash: orders mid-checkout and mid-fulfillment, then SIGKILL of the Functions host
/// and its worker (every answer the simulators were about to deliver dies with the worker), then a new host on the
/// same Azurite task hub and the same store. The sagas resume from Durable's history and re-send their idempotent
/// requests when the answers do not come: every order must be DELIVERED, none cancelled, and no fact recorded twice.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Buyer = "buyer-crash";
    private static readonly TimeSpan RecoveryDeadline = TimeSpan.FromMinutes(4);
    private static readonly string[] PrepaidUntilDelivered = ["order.created", "order.confirmed", "order.paid", "order.shipped", "order.delivered"];
    private static readonly string[] CashOnDeliveryUntilDelivered = ["order.created", "order.confirmed", "order.shipped", "order.cod-collected", "order.delivered"];

    private readonly List<FunctionAppProcess> _apps = [];
    private TempDirectory? _folder;

    [FunctionHostFact]
    public async Task Killed_mid_saga_every_order_is_delivered_after_the_restart_none_cancelled_and_no_fact_doubled()
    {
        _folder = TempDirectory.Create("orders-functionhost-crash");
        var data = Path.Combine(_folder.Path, "data");
        var taskHub = FunctionAppSettingsFor.NewTaskHub("Crash");
        Dictionary<string, string> Settings(TimeSpan answerDelay)
        {
            // Deadlines far beyond the host's recovery; re-sends every few seconds so a lost answer is asked for again soon.
            var settings = FunctionAppSettingsFor.Local(data, taskHub, TimeSpan.FromMinutes(5), answerDelay);
            settings["Sagas__InventoryTimeout"] = "00:05:00";
            settings["Sagas__ShipmentTimeout"] = "00:05:00";
            settings["Sagas__DeliveryTimeout"] = "00:05:00";
            settings["Sagas__ResendAfter"] = "00:00:05";
            settings["Sagas__MaxResends"] = "8";
            return settings;
        }

        // ---- before the crash: answers take 1.5 s, so the sagas are waiting on them when the host dies ----
        var first = await StartAsync("app-before-crash", Path.Combine(_folder.Path, "state-1"), Settings(TimeSpan.FromMilliseconds(1500)));
        var api = new OrdersClient(first);
        var orders = new List<(string Id, string Type)>();
        for (var i = 1; i <= 8; i++)
        {
            var type = i % 3 == 0 ? CashOnDelivery : Prepaid;
            orders.Add((await api.CreateOrderAsync(Buyer, $"crash-{i}", Simple(Buyer, type, sku: $"sku-crash-{i}")), type));
        }
        var spread = await Eventually.PollAsync(() => StatesAsync(api, orders),
            s => s.Any(x => x.Status == "CREATED") && s.Any(x => x.Status != "CREATED"), TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));
        await first.KillAsync();
        Assert.True(first.HasExited, "the host survived SIGKILL");
        output.WriteLine($"SIGKILL of host and worker with the orders at: {Describe(orders, spread.Last)}");

        // ---- restart: a new host and worker on the same task hub and store ----
        var restart = Stopwatch.StartNew();
        var second = await StartAsync("app-after-restart", Path.Combine(_folder.Path, "state-2"), Settings(TimeSpan.FromMilliseconds(100)));
        var serving = restart.Elapsed;
        api = new OrdersClient(second);
        var done = await Eventually.PollAsync(() => StatesAsync(api, orders),
            s => s.All(x => x.Status is "DELIVERED" or "CANCELLED" or "CLOSED"), RecoveryDeadline, TimeSpan.FromMilliseconds(500));
        output.WriteLine($"restart: serving HTTP after {serving.TotalSeconds:0.0}s; every order settled after {restart.Elapsed.TotalSeconds:0.0}s: {Describe(orders, done.Last)}");
        output.WriteLine($"re-sends seen in the new host's log: {second.Lines("re-sending").Count}");

        var problems = new List<string>();
        foreach (var ((id, type), state) in orders.Zip(done.Last))
        {
            if (state.Status != "DELIVERED") problems.Add($"order {id} ({type}) is {state.Status}, not DELIVERED (sagas: {state.SagaSummary()})");
            var caughtUp = await Consistency.CaughtUpAsync(api, id, Buyer, TimeSpan.FromSeconds(30));
            problems.AddRange(Consistency.Problems(caughtUp.Last, state.Status == "DELIVERED" ? (type == Prepaid ? PrepaidUntilDelivered : CashOnDeliveryUntilDelivered) : null)
                .Select(p => $"order {id} ({type}): {p}"));
        }
        Assert.True(problems.Count == 0, $"{problems.Count} problem(s) after SIGKILL and restart:\n  - " + string.Join("\n  - ", problems) + $"\n{api.Context(80)}");
    }

    private async Task<FunctionAppProcess> StartAsync(string name, string state, Dictionary<string, string> settings)
    {
        var app = await FunctionAppProcess.StartAsync(name, settings["Orders__DataDirectory"], state, settings);
        _apps.Add(app);
        return app;
    }

    private static async Task<StoreState[]> StatesAsync(OrdersClient api, IEnumerable<(string Id, string Type)> orders) =>
        await Task.WhenAll(orders.Select(o => api.StoreStateAsync(o.Id)));

    private static string Describe(IEnumerable<(string Id, string Type)> orders, IEnumerable<StoreState> states) =>
        string.Join("; ", orders.Zip(states).Select(p => $"{p.First.Id[^6..]} {p.First.Type} {p.Second.Status}"));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var app in _apps) await app.DisposeAsync();
        _folder?.Dispose();
    }
}
