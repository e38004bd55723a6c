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
    /// Trivial orchestrations per second on the same in-memory engine the local host runs (one activity each,
    /// <paramref name="concurrent"/> at a time, started and awaited through the same gRPC client).
    /// </summary>
    /// <summary>
    /// This process's CPU per trivial orchestration in the last <see cref="TrivialOrchestrationsPerSecondAsync"/> run
    /// (engine, sidecar, worker and client: 2 orchestration turns and 1 activity each): the engine's floor.
    /// </summary>
    public static double TrivialCpuMs { get; private set; } = double.NaN;

    public static async Task<double> TrivialOrchestrationsPerSecondAsync(int total, int concurrent)
    {
        await using var engine = await InProcessDurableEngine.StartAsync(registry => registry
            .AddOrchestratorFunc<int, int>("Trivial", async (context, input) => await context.CallActivityAsync<int>("Echo", input))
            .AddActivityFunc<int, int>("Echo", (_, input) => input), _ => { });
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
        TrivialCpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds / (per * concurrent);
        return per * concurrent / watch.Elapsed.TotalSeconds;
    }
}
