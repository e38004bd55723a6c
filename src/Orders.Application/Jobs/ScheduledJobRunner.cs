using Microsoft.Extensions.Logging;

namespace Orders.Application.Jobs;

/// <summary>
/// Runs a job at the occurrences of a schedule the host parsed (the local host parses the NCRONTAB settings with its
/// cron library and passes the next-occurrence function; the function app needs none of this: its timer trigger
/// fires). One run at a time: an occurrence missed while a run overran is skipped, not queued. A failed run is
/// logged (<c>JobRunFailed</c>) and the next occurrence runs as usual.
/// </summary>
/// <param name="nextOccurrence">The first occurrence strictly after the given UTC time, or null when there is none.</param>
public sealed class ScheduledJobRunner(
    string job,
    Func<DateTimeOffset, DateTimeOffset?> nextOccurrence,
    Func<CancellationToken, Task> runOnce,
    TimeProvider time,
    ILogger<ScheduledJobRunner> logger)
{
    public string Job { get; } = string.IsNullOrWhiteSpace(job) ? throw new ArgumentException("A job needs a name.", nameof(job)) : job;

    /// <summary>Runs at every occurrence until cancelled (then returns without throwing) or the schedule ends.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await RunNextAsync(cancellationToken).ConfigureAwait(false) is not null) { }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // the host is stopping
        }
    }

    /// <summary>
    /// Waits for the next occurrence and runs the job once; returns the occurrence, or null when the schedule has
    /// none. The wait is registered with the <see cref="TimeProvider"/> before this returns its task.
    /// </summary>
    public async Task<DateTimeOffset?> RunNextAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (nextOccurrence(now) is not { } due) return null;
        if (due > now) await Task.Delay(due - now, time, cancellationToken).ConfigureAwait(false);
        try
        {
            await runOnce(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            JobLog.RunFailed(logger, Job, e);
        }
        return due;
    }
}
