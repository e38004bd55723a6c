using Cronos;

namespace Orders.LocalHost;

/// <summary>A job the local host runs on a cron schedule (six fields, seconds first, as Azure Functions timers).</summary>
public sealed record ScheduledJob(string Name, Func<IServiceProvider, CancellationToken, Task<string>> RunAsync);

/// <summary>Runs each job at its next occurrence, one run at a time per job; a failed run is logged and retried next time.</summary>
public sealed partial class JobScheduler(
    IEnumerable<ScheduledJob> jobs,
    LocalSettings settings,
    IServiceProvider services,
    TimeProvider clock,
    ILogger<JobScheduler> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(jobs.Select(job => RunScheduleAsync(job, settings.Schedules[job.Name], stoppingToken)));

    private async Task RunScheduleAsync(ScheduledJob job, CronExpression schedule, CancellationToken stoppingToken)
    {
        DateTime? last = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var next = NextRun(schedule, now, last);
            if (next is null) return;
            try
            {
                if (next.Value > now) await Task.Delay(next.Value - now, clock, stoppingToken).ConfigureAwait(false);
                last = next;
                await RunNowAsync(job, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>
    /// The occurrence to run next: the first after <paramref name="now"/>, and always after the one last run. A timer
    /// may fire a little before its time (seen: 0.2–0.6 ms); a quick run then ends before the occurrence it was for, and
    /// "the next occurrence after now" is that same one again: the job ran two or three times within a millisecond.
    /// </summary>
    public static DateTime? NextRun(CronExpression schedule, DateTime now, DateTime? lastRun)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var after = lastRun is { } last && last > now ? last : now;
        return schedule.GetNextOccurrence(DateTime.SpecifyKind(after, DateTimeKind.Utc), TimeZoneInfo.Utc);
    }

    public async Task<string> RunNowAsync(ScheduledJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        try
        {
            await using var scope = services.CreateAsyncScope();
            var report = await job.RunAsync(scope.ServiceProvider, cancellationToken).ConfigureAwait(false);
            LogRan(logger, job.Name, report);
            return report;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // one failed run must not end the schedule
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFailed(logger, job.Name, e);
            return $"failed: {e.Message}";
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} ran: {Report}")]
    private static partial void LogRan(ILogger logger, string job, string report);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {Job} failed; it runs again at its next occurrence")]
    private static partial void LogFailed(ILogger logger, string job, Exception exception);
}
