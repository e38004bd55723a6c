using Microsoft.DurableTask.Client;
using Orders.Application.Jobs;

namespace Orders.Orchestrations;

/// <summary>
/// Forgets sagas that completed more than <see cref="SagaRetention.Retention"/> ago, through the engine's purge API
/// (<see cref="DurableTaskClient.PurgeInstanceAsync(string, CancellationToken)"/>): on the in-memory engine this is what
/// keeps memory bounded (it otherwise keeps every orchestration's history for ever); on Azure Storage it keeps the task
/// hub's Instances and History tables from growing without end.
/// <para>
/// Only <b>Completed</b> instances are purged, and only once their last update is older than the retention (the
/// engine's purge filter can only say "created before", which would also take a saga that ran long and finished a
/// moment ago). Failed and terminated sagas are kept: reconcile reports them for a person, and purging them would make
/// it restart them instead. What a purge changes: the order's <c>/status</c> stops listing the saga, and reconcile treats
/// a purged checkout of a prepaid CONFIRMED order still waiting for its capture as missing and starts it again (it asks
/// the payments domain again under the same idempotency key, as after a restart of the in-memory engine).
/// </para>
/// Bounded: at most <see cref="SagaRetention.BatchSize"/> purges per run (more remaining is reported).
/// </summary>
public sealed class FinishedSagaPurge(DurableTaskClient client, SagaRetention retention, TimeProvider clock)
{
    public const string JobName = "purge-sagas";

    public async Task<SagaPurgeReport> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var started = clock.GetUtcNow();
        var threshold = started - retention.Retention;
        // Collect first, purge after: the in-memory engine pages by position, which a purge during paging would shift.
        var due = new List<string>();
        var query = new OrchestrationQuery
        {
            Statuses = [OrchestrationRuntimeStatus.Completed],
            CreatedTo = threshold,
            PageSize = Math.Min(retention.BatchSize, 1000),
            FetchInputsAndOutputs = false,
        };
        var seen = 0;
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            seen++;
            if (instance.LastUpdatedAt > threshold) continue;
            due.Add(instance.InstanceId);
            if (due.Count >= retention.BatchSize) break;
        }

        var purged = 0;
        foreach (var id in due)
        {
            var result = await client.PurgeInstanceAsync(id, cancellationToken).ConfigureAwait(false);
            purged += result.PurgedInstanceCount;
        }
        return new SagaPurgeReport(started, seen, purged, retention.Retention, MoreRemaining: due.Count >= retention.BatchSize);
    }
}

/// <summary>How long finished sagas are kept, and how many one run purges.</summary>
public sealed record SagaRetention
{
    /// <summary>Keep a completed saga this long after its last update (the local host's default is 10 minutes).</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(7);

    public int BatchSize { get; init; } = 5_000;

    /// <summary>The shortest retention allowed: a saga's last timers and duplicate answers have long arrived by then.</summary>
    public static readonly TimeSpan Minimum = TimeSpan.FromMinutes(1);
}

/// <summary>What one purge run did.</summary>
public sealed record SagaPurgeReport(DateTimeOffset StartedAt, int Seen, int Purged, TimeSpan Retention, bool MoreRemaining)
    : JobReport(FinishedSagaPurge.JobName, StartedAt, Seen, MoreRemaining)
{
    public override string Summary =>
        $"purged {Purged} completed sagas older than {Retention} ({Seen} looked at{(MoreRemaining ? ", more remaining" : "")})";
}
