using Microsoft.Extensions.Logging;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Orders.Infrastructure.Durable;

namespace Orders.Benchmarks;

/// <summary>The floors the figures are compared with, measured in the same run on the same machine.</summary>
internal static class Limits
{
    /// <summary>Raw SQLite commits per second: one small row per transaction, WAL, synchronous=NORMAL (the store's settings).</summary>
    public static double SqliteCommitsPerSecond(int commits)
    {
        var folder = Path.Combine(Path.GetTempPath(), "orders-bench-raw-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            using var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "raw.db")};Pooling=False");
            connection.Open();
            using (var setup = connection.CreateCommand())
            {
                setup.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL);";
                setup.ExecuteNonQuery();
            }
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO t (body) VALUES ($b)";
            var body = insert.Parameters.Add("$b", SqliteType.Text);
            body.Value = new string('x', 200);
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < commits; i++)
            {
                using var tx = connection.BeginTransaction();
                insert.Transaction = tx;
                insert.ExecuteNonQuery();
                tx.Commit();
            }
            return commits / watch.Elapsed.TotalSeconds;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Trivial orchestrations per second on the in-memory engine (one activity each, <paramref name="concurrent"/> at a
    /// time, started and awaited through the engine's client), dispatched as <paramref name="dispatch"/> says: in process
    /// (what the local host runs) or through the gRPC sidecar (what it ran before decision 0029); and this process's CPU
    /// per orchestration (engine, worker and client, and the sidecar when there is one: 2 orchestration turns and 1
    /// activity each), the engine's floor.
    /// </summary>
    public static async Task<(double PerSecond, double CpuMs)> TrivialOrchestrationsPerSecondAsync(int total, int concurrent, EngineDispatch dispatch = EngineDispatch.Direct)
    {
        await using var engine = await InProcessDurableEngine.StartAsync(registry => registry
            .AddOrchestratorFunc<int, int>("Trivial", async (context, input) => await context.CallActivityAsync<int>("Echo", input))
            .AddActivityFunc<int, int>("Echo", (_, input) => input), _ => { }, dispatch: dispatch);
        async Task Run(int from, int count)
        {
            var ids = new List<string>();
            for (var i = from; i < from + count; i++)
                ids.Add(await engine.Client.ScheduleNewOrchestrationInstanceAsync("Trivial", i, new StartOrchestrationOptions($"trivial-{i}")));
            foreach (var id in ids) await engine.Client.WaitForInstanceCompletionAsync(id);
        }
        await Run(-concurrent, concurrent); // warm-up
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var per = total / concurrent;
        await Task.WhenAll(Enumerable.Range(0, concurrent).Select(w => Run(w * per, per)));
        var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds / (per * concurrent);
        return (per * concurrent / watch.Elapsed.TotalSeconds, cpuMs);
    }

    /// <summary>ORDERS_BENCH_ENGINE_LOG=Information (or another level): the engine's own logs on the console, to see what it does.</summary>
    private static Microsoft.Extensions.Logging.ILoggerFactory? EngineLogs() =>
        Enum.TryParse<Microsoft.Extensions.Logging.LogLevel>(Environment.GetEnvironmentVariable("ORDERS_BENCH_ENGINE_LOG"), out var level)
            ? Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.SetMinimumLevel(level).AddSimpleConsole(o => o.SingleLine = true))
            : null;

    public sealed record TrivialResult(int Orchestrations, double PerSecond, double ProcessCpuMs, double AzuriteCpuMs, double P50, double P99, string RequestsPerOrchestration, double IdleRequestsPerSecond);

    /// <summary>
    /// Trivial orchestrations (one activity each) on Durable's Azure Storage backend over the given Azurite, the
    /// engine in this process with the <paramref name="backend"/>'s tuning: a closed loop of
    /// <paramref name="concurrent"/> at a time for <paramref name="length"/>. An orchestration counts as done when its
    /// orchestrator runs past the activity for real (not replaying), i.e. in its last episode: the engine's own
    /// completion wait polls the backend about every 2 s, which would measure that interval instead. CPU per
    /// orchestration: this whole process (engine, sidecar, worker, client) and Azurite, over the measured part.
    /// </summary>
    public static async Task<TrivialResult> TrivialOnAzureStorageAsync(AzuriteProcess azurite, DurableBackend backend, int concurrent, TimeSpan length)
    {
        var done = new System.Collections.Concurrent.ConcurrentDictionary<int, TaskCompletionSource>();
        await using var engine = await InProcessDurableEngine.StartAsync(registry => registry
            .AddOrchestratorFunc<int, int>("Trivial", async (context, input) =>
            {
                var echoed = await context.CallActivityAsync<int>("Echo", input);
                if (!context.IsReplaying && done.TryGetValue(input, out var signal)) signal.TrySetResult();
                return echoed;
            })
            .AddActivityFunc<int, int>("Echo", (_, input) => input), _ => { }, backend: backend, loggerFactory: EngineLogs());
        var next = 0;
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        async Task<int> Loop(TimeSpan until, Stopwatch clock, bool record)
        {
            var count = 0;
            while (clock.Elapsed < until)
            {
                var n = Interlocked.Increment(ref next);
                var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                done[n] = signal;
                var started = Stopwatch.GetTimestamp();
                await engine.Client.ScheduleNewOrchestrationInstanceAsync("Trivial", n, new StartOrchestrationOptions($"trivial-{n}"));
                await signal.Task.WaitAsync(TimeSpan.FromMinutes(2));
                done.TryRemove(n, out _);
                if (record) latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                count++;
            }
            return count;
        }
        // Warm-up: JIT, connections, partition leases acquired.
        var warm = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrent).Select(_ => Loop(TimeSpan.FromSeconds(10), warm, record: false)));
        // Storage requests this process sends (the Azure SDK's HttpClient), by service: Azurite's port says which.
        using var requests = new StorageRequestCounter(azurite.ConnectionString);
        await Task.Delay(TimeSpan.FromSeconds(2)); // idle: what polling costs with nothing to do
        var idle = requests.Take();
        var idlePerSecond = idle.Values.Sum() / 2.0;
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var cpu0 = self.TotalProcessorTime;
        var node0 = azurite.CpuTime;
        var watch = Stopwatch.StartNew();
        var counts = await Task.WhenAll(Enumerable.Range(0, concurrent).Select(_ => Loop(length, watch, record: true)));
        watch.Stop();
        self.Refresh();
        var total = counts.Sum();
        var sent = requests.Take();
        var perOrchestration = string.Join(", ", sent.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {(double)p.Value / total:F1}"));
        var l = latencies.ToArray();
        return new TrivialResult(total, total / watch.Elapsed.TotalSeconds, (self.TotalProcessorTime - cpu0).TotalMilliseconds / total,
            (azurite.CpuTime - node0).TotalMilliseconds / total, Stats.Percentile(l, 50), Stats.Percentile(l, 99), perOrchestration, idlePerSecond);
    }
}

/// <summary>
/// Counts the HTTP requests this process sends to Azurite's blob, queue and table endpoints (System.Net.Http's
/// <c>http.client.request.duration</c>, one measurement per request), by service and method.
/// </summary>
internal sealed class StorageRequestCounter : IDisposable
{
    private readonly System.Diagnostics.Metrics.MeterListener _listener = new();
    private readonly Dictionary<int, string> _services = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, System.Runtime.CompilerServices.StrongBox<long>> _counts = new(StringComparer.Ordinal);

    public StorageRequestCounter(string connectionString)
    {
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries))
            if (part.Split('=', 2) is [var key, var value] && key.EndsWith("Endpoint", StringComparison.Ordinal))
                _services[new Uri(value).Port] = key[..^"Endpoint".Length].ToLowerInvariant();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "System.Net.Http" && instrument.Name == "http.client.request.duration") listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            string? method = null;
            var port = 0;
            foreach (var tag in tags)
            {
                if (tag.Key == "http.request.method") method = tag.Value as string;
                else if (tag.Key == "server.port" && tag.Value is int p) port = p;
            }
            if (_services.TryGetValue(port, out var service)) Interlocked.Increment(ref _counts.GetOrAdd($"{service} {method}", _ => new()).Value);
        });
        _listener.Start();
    }

    /// <summary>The counts since the last call (and resets them).</summary>
    public Dictionary<string, long> Take()
    {
        var taken = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, box) in _counts)
            if (Interlocked.Exchange(ref box.Value, 0) is var n and > 0) taken[key] = n;
        return taken;
    }

    public void Dispose() => _listener.Dispose();
}
