using Orders.Domain.ValueObjects;
using Orders.Infrastructure.Simulators;

namespace Orders.LocalHost;

/// <summary>
/// What only the local host serves: the OpenAPI document, and under /local (outside the public API, never in the
/// function app) the simulators' knobs and ledger and the jobs, so every path can be tried by hand.
/// </summary>
public static class LocalEndpoints
{
    public static void MapLocalEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var openApi = Path.Combine(AppContext.BaseDirectory, "openapi", "orders.v1.yaml");
        app.MapGet("/api/openapi.yaml", () => Results.File(openApi, "application/yaml"));

        app.MapPost("/local/simulators/{orderId}/fail/{failure}", (string orderId, string failure, SimulatorKnobs knobs) =>
        {
            if (!Enum.TryParse<SimulatedFailure>(failure, ignoreCase: true, out var parsed))
                return Results.Problem($"Unknown failure '{failure}'. One of: {string.Join(", ", Enum.GetNames<SimulatedFailure>())}.", statusCode: 400);
            knobs.Fail(OrderId.From(orderId), parsed);
            return Results.NoContent();
        });
        app.MapGet("/local/simulators/{orderId}/ledger", (string orderId, SimulatorLedger ledger) => Results.Ok(ledger.For(orderId)));
        app.MapGet("/local/simulators/{orderId}/notifications", (string orderId, SimulatedDomains simulators) =>
            Results.Ok(simulators.Notifications.Where(n => n.OrderId.Value == orderId)));
        app.MapGet("/local/engine", (EngineStats stats) => Results.Ok(stats.Read()));
        // The stuck-order log (what the jobs flagged, a broken history among them), longest flagged first.
        app.MapGet("/local/stuck-orders", async (Orders.Application.Jobs.IStuckOrderLog log, CancellationToken ct) =>
            Results.Ok(await log.ListAsync(500, ct)));
        app.MapPost("/local/jobs/{name}", async (string name, IEnumerable<ScheduledJob> jobs, JobScheduler scheduler, CancellationToken ct) =>
        {
            var job = jobs.FirstOrDefault(j => string.Equals(j.Name, name, StringComparison.OrdinalIgnoreCase));
            return job is null
                ? Results.Problem($"Unknown job '{name}'. One of: {string.Join(", ", jobs.Select(j => j.Name))}.", statusCode: 404)
                : Results.Text(await scheduler.RunNowAsync(job, ct), "application/json");
        });
    }
}

/// <summary>The saga engine's load, for people and the benchmark (GET /local/engine).</summary>
/// <param name="OrchestrationTurns">Orchestration episodes completed since start (each replays its instance's history).</param>
/// <param name="ActivitiesRun">Activities run since start.</param>
/// <param name="HostAllocatedBytes">Managed memory this process has allocated since start (GC.GetTotalAllocatedBytes).</param>
/// <param name="AwaitingStart">Checkouts accepted whose saga the change log's saga-starts lane has not started yet (they count against <paramref name="MaxSagasInFlight"/>).</param>
/// <param name="PeakAwaitingStart">The highest <paramref name="AwaitingStart"/> seen.</param>
/// <param name="GcPauseMilliseconds">Time this process has spent paused for garbage collection since start (GC.GetTotalPauseDuration).</param>
/// <param name="GcCollections">Collections since start by generation: gen0, gen1, gen2 (GC.CollectionCount; a gen2 counts in all three).</param>
public sealed record EngineSnapshot(int SagasInFlight, int PeakSagasInFlight, int MaxSagasInFlight, long CreatesRefused, long OrphanMessagesDropped,
    long OrchestrationTurns = 0, long ActivitiesRun = 0, long HostAllocatedBytes = 0, int AwaitingStart = 0, int PeakAwaitingStart = 0,
    double GcPauseMilliseconds = 0, int[]? GcCollections = null);

/// <summary>Reads the engine's current <see cref="EngineSnapshot"/>.</summary>
public sealed class EngineStats(Func<EngineSnapshot> read)
{
    public EngineSnapshot Read() => read();
}
