using System.Text.RegularExpressions;
using Orders.EndToEnd.Tests.Support;
using Orders.FunctionHost.Tests.Support;
using Xunit.Abstractions;
using static Orders.EndToEnd.Tests.Support.OrderRequests;

namespace Orders.FunctionHost.Tests;

/// <summary>
/// Two local apps (two data folders) on one storage account each run their own timers. The Functions host keeps its
/// timer locks in the storage account under its host id, and off Azure the default id is one per machine and build:
/// every host of this suite had it, so all of them shared one <c>PumpChangeFeed</c> through Azurite, and the app that
/// did not hold the lock never pumped (ScaleOutTests failed in CI with two orders never published and missing from the
/// buyer's list while the journeys' host held it). The app now requires a host id derived from its data folder.
/// </summary>
[Collection(HostsThatDie.Name)]
public sealed partial class HostIdTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    private readonly List<FunctionAppProcess> _apps = [];
    private TempDirectory? _folder;

    [FunctionHostFact]
    public async Task Two_apps_on_one_storage_account_each_pump_their_own_change_feed()
    {
        _folder = TempDirectory.Create("orders-functionhost-hostid");
        var first = await StartAsync("app-first", "first");
        var second = await StartAsync("app-second", "second");

        // The second app started while the first held its timers' locks: its own pump must still run.
        foreach (var (app, buyer) in new[] { (first, "buyer-first"), (second, "buyer-second") })
        {
            var api = new OrdersClient(app);
            var orderId = await api.CreateOrderAsync(buyer, $"hostid-{app.Name}", Simple(buyer, Prepaid, sku: $"sku-{app.Name}"));
            var relayed = await Eventually.PollAsync(async () =>
                (Published: PublishedEventsFile.Read(app.DataDirectory).ByOrder()[orderId].Any(e => e.Sequence == 1),
                 Listed: (await api.ListAllAsync($"/api/buyers/{buyer}/orders")).Any(i => (string?)i["orderId"] == orderId)),
                s => s.Published && s.Listed, Within, TimeSpan.FromMilliseconds(250));
            output.WriteLine($"{app.Name}: order {orderId} published {relayed.Last.Published}, in the buyer's list {relayed.Last.Listed}; " +
                $"pump runs in this host: {PumpRuns(app)}");
            Assert.True(relayed.Reached,
                $"{app.Name}'s change feed did not move within {Within.TotalSeconds:0} s (published: {relayed.Last.Published}, listed: {relayed.Last.Listed}, " +
                $"PumpChangeFeed runs in this host: {PumpRuns(app)}; host ids: {HostId(first)}, {HostId(second)})\n{app.Tail(40)}");
        }

        // Why: each host has the id of its own data folder.
        var ids = (First: HostId(first), Second: HostId(second));
        output.WriteLine($"host ids: {ids.First}, {ids.Second}");
        Assert.Equal(FunctionAppSettingsFor.HostIdFor(first.DataDirectory), ids.First);
        Assert.Equal(FunctionAppSettingsFor.HostIdFor(second.DataDirectory), ids.Second);
        Assert.NotEqual(ids.First, ids.Second);
    }

    private static int PumpRuns(FunctionAppProcess app) => app.Lines("Executed 'Functions.PumpChangeFeed'").Count;

    /// <summary>The id the host says it started with ("Starting Host (HostId=…").</summary>
    private static string HostId(FunctionAppProcess app)
    {
        var line = app.Lines("Starting Host (HostId=").LastOrDefault() ?? throw new InvalidOperationException($"{app.Name} never said its host id.\n{app.Tail(40)}");
        return StartingHost().Match(line).Groups[1].Value;
    }

    [GeneratedRegex(@"HostId=([^,]+),")]
    private static partial Regex StartingHost();

    private async Task<FunctionAppProcess> StartAsync(string name, string folder)
    {
        var data = Path.Combine(_folder!.Path, folder, "data");
        var settings = FunctionAppSettingsFor.Local(data, FunctionAppSettingsFor.NewTaskHub("HostId"));
        var app = await FunctionAppProcess.StartAsync(name, data, Path.Combine(_folder.Path, folder, "state"), settings);
        _apps.Add(app);
        return app;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var app in _apps) await app.DisposeAsync();
        _folder?.Dispose();
    }
}
