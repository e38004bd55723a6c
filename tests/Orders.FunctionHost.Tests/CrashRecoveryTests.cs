using System.Diagnostics;
using Orders.EndToEnd.Tests.Support;
using Orders.FunctionHost.Tests.Support;
using Xunit.Abstractions;

namespace Orders.FunctionHost.Tests;

/// <summary>
/// The persistent engine through a crash: orders mid-checkout and mid-fulfillment, then SIGKILL of the Functions host
/// and its worker (every answer the simulators were about to deliver dies with the worker), then a new host on the
/// same Azurite task hub and the same store. The sagas resume from Durable's history and re-send their idempotent
/// requests when the answers do not come: every order must be DELIVERED, none cancelled, and no fact recorded twice.
/// </summary>
[Collection(HostsThatDie.Name)]
public sealed class CrashRecoveryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Buyer = "buyer-crash";
    private const int OrderCount = 14;
    private static readonly TimeSpan RecoveryDeadline = TimeSpan.FromMinutes(3);

    private readonly List<FunctionAppProcess> _apps = [];
    private TempDirectory? _folder;

    [FunctionHostFact]
    public async Task Killed_mid_saga_every_order_is_delivered_after_the_restart_none_cancelled_and_no_fact_doubled()
    {
        _folder = TempDirectory.Create("orders-functionhost-crash");
        var data = Path.Combine(_folder.Path, "data");
        var taskHub = FunctionAppSettingsFor.NewTaskHub("Crash");

        // ---- before the crash: answers take 1.5 s, so the sagas are waiting on them when the host dies ----
        var first = await StartAsync("app-before-crash", Path.Combine(_folder.Path, "state-1"), FunctionAppSettingsFor.CrashSafe(data, taskHub, TimeSpan.FromMilliseconds(1500)));
        var batch = await SagaBatch.CreateAsync(Buyer, "crash", OrderCount, new OrdersClient(first));
        var spread = await Eventually.PollAsync(() => batch.StatesAsync(new OrdersClient(first)),
            s => s.Any(x => x.Status == "CREATED") && s.Any(x => x.Status != "CREATED"), TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200));
        var before = spread.Last;
        await first.KillAsync();
        Assert.True(first.HasExited, "the host survived SIGKILL");
        output.WriteLine($"SIGKILL of host and worker with {OrderCount} orders in flight ({SagaBatch.Counts(before)}): {batch.Describe(before)}");

        // ---- restart: a new host and worker on the same task hub and store ----
        var restart = Stopwatch.StartNew();
        var second = await StartAsync("app-after-restart", Path.Combine(_folder.Path, "state-2"), FunctionAppSettingsFor.CrashSafe(data, taskHub, TimeSpan.FromMilliseconds(100)));
        var serving = restart.Elapsed;
        var api = new OrdersClient(second);
        // "All sagas progressing": every order that was not yet delivered has moved on from where the crash left it.
        var progressing = await Eventually.PollAsync(() => batch.StatesAsync(api),
            s => s.Zip(before).All(p => p.Second.Status == "DELIVERED" || p.First.Version > p.Second.Version), RecoveryDeadline, TimeSpan.FromSeconds(1));
        var allMoving = restart.Elapsed;
        var done = await Eventually.PollAsync(() => batch.StatesAsync(api), SagaBatch.AllSettled, RecoveryDeadline, TimeSpan.FromSeconds(1));
        var settled = restart.Elapsed;
        output.WriteLine($"restart: serving HTTP after {serving.TotalSeconds:0.0}s; every saga had moved on after {allMoving.TotalSeconds:0.0}s" +
            $"{(progressing.Reached ? "" : " (NOT all)")}; every order settled after {settled.TotalSeconds:0.0}s{(done.Reached ? "" : " (NOT all)")}: " +
            $"{SagaBatch.Counts(done.Last)} of {OrderCount}");
        output.WriteLine($"re-sends by the sagas after the restart (the new host's log): {second.Lines("re-sending").Count}");

        var problems = await batch.ProblemsAsync(api, done.Last);
        Assert.True(problems.Count == 0, $"{problems.Count} problem(s) after SIGKILL and restart:\n  - " + string.Join("\n  - ", problems) +
            $"\n{batch.Describe(done.Last)}\n{api.Context(80)}");
    }

    private async Task<FunctionAppProcess> StartAsync(string name, string state, Dictionary<string, string> settings)
    {
        var app = await FunctionAppProcess.StartAsync(name, settings["Orders__DataDirectory"], state, settings);
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
