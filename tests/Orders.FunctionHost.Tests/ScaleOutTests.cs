using System.Diagnostics;
using Orders.EndToEnd.Tests.Support;
using Orders.FunctionHost.Tests.Support;
using Xunit.Abstractions;

namespace Orders.FunctionHost.Tests;

/// <summary>
/// Scale-out on one machine, as the app runs on more than one instance in Azure: two Functions hosts (each with its
/// worker) on one Durable task hub in Azurite and one data folder (the SQLite store in WAL mode, which several
/// processes on one machine may share; the simulated domains' ledger likewise). Orders come in through both; both
/// run saga work (activities are taken from one shared work-item queue, orchestrations by the partitions each host
/// holds); then one host is SIGKILLed mid-run and the other takes over its partitions and finishes every saga.
/// </summary>
[Collection(HostsThatDie.Name)]
public sealed class ScaleOutTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Buyer = "buyer-scale";
    private const string KeepDataVariable = "ORDERS_FUNCTIONHOST_KEEP_DATA";
    private const int OrderCount = 12;
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    private readonly List<FunctionAppProcess> _apps = [];
    private TempDirectory? _folder;

    [FunctionHostFact]
    public async Task Two_hosts_share_the_sagas_and_when_one_is_killed_the_other_finishes_every_one()
    {
        _folder = TempDirectory.Create("orders-functionhost-scale");
        var data = Path.Combine(_folder.Path, "data");
        var taskHub = FunctionAppSettingsFor.NewTaskHub("Scale");
        var settings = FunctionAppSettingsFor.CrashSafe(data, taskHub, TimeSpan.FromMilliseconds(1000));

        // One after the other: the first creates the store's schema, the second finds it.
        var a = await StartAsync("app-a", Path.Combine(_folder.Path, "state-a"), settings);
        var b = await StartAsync("app-b", Path.Combine(_folder.Path, "state-b"), settings);
        var apiA = new OrdersClient(a);
        var apiB = new OrdersClient(b);

        var batch = await SagaBatch.CreateAsync(Buyer, "scale", OrderCount, apiA, apiB);
        // Both hosts work on the sagas before one dies (activities and orchestrator episodes in each host's log).
        var shared = await Eventually.PollAsync(() => Task.FromResult((A: Work(a), B: Work(b))), w => w.A > 0 && w.B > 0, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(250));
        var before = await batch.StatesAsync(apiB);
        output.WriteLine($"saga work before the kill: host A {shared.Last.A} function runs, host B {shared.Last.B}; orders: {SagaBatch.Counts(before)}");
        Assert.True(shared.Reached, $"both hosts should run saga work: A {shared.Last.A}, B {shared.Last.B}\n--- A ---\n{a.Tail(40)}\n--- B ---\n{b.Tail(40)}");

        await a.KillAsync();
        var kill = Stopwatch.StartNew();
        Assert.True(a.HasExited, "host A survived SIGKILL");
        output.WriteLine($"SIGKILL of host A and its worker with {SagaBatch.Counts(before)}");

        var done = await Eventually.PollAsync(() => batch.StatesAsync(apiB), SagaBatch.AllSettled, Deadline, TimeSpan.FromSeconds(1));
        output.WriteLine($"host B alone: every order settled {kill.Elapsed.TotalSeconds:0.0}s after the kill{(done.Reached ? "" : " (NOT all)")}: " +
            $"{SagaBatch.Counts(done.Last)} of {OrderCount}; B's saga function runs in all {Work(b)}, re-sends {b.Lines("re-sending").Count}");

        var problems = await batch.ProblemsAsync(apiB, done.Last);
        Assert.True(problems.Count == 0, $"{problems.Count} problem(s) after host A was killed:\n  - " + string.Join("\n  - ", problems) +
            $"\n{batch.Describe(done.Last)}\n{apiB.Context(80)}");
    }

    /// <summary>Saga functions (orchestrator episodes and activities) this host ran for the batch's orders.</summary>
    private static int Work(FunctionAppProcess app) =>
        app.Lines(" (Activity)' completed").Count + app.Lines(" (Orchestrator)' completed").Count + app.Lines(" (Orchestrator)' awaited").Count;

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
        // ORDERS_FUNCTIONHOST_KEEP_DATA=1 keeps the data folder (SQLite files, published-events.jsonl) for inspection.
        if (Environment.GetEnvironmentVariable(KeepDataVariable) is { Length: > 0 }) output.WriteLine($"data folder kept: {_folder?.Path}");
        else _folder?.Dispose();
    }
}
