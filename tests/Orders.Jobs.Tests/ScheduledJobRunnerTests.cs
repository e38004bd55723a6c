using Cronos;
using Microsoft.Extensions.Time.Testing;
using Orders.Application.Jobs;
using Orders.Jobs.Tests.Support;

namespace Orders.Jobs.Tests;

public sealed class ScheduledJobRunnerTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 3, 7, TimeSpan.Zero);

    [Fact]
    public async Task RunsTheJobAtEachOccurrenceOfTheHostsSchedule()
    {
        var time = new FakeTimeProvider(Start);
        var ranAt = new List<DateTimeOffset>();
        var runner = Runner(time, JobSchedules.AutoCancelUnpaid.Default, _ =>
        {
            ranAt.Add(time.GetUtcNow());
            return Task.CompletedTask;
        }, new LogSink());

        var occurrences = new List<DateTimeOffset?>();
        foreach (var due in new[] { At(12, 5), At(12, 10), At(12, 15) })
        {
            var run = runner.RunNextAsync(CancellationToken.None);
            time.Advance(due - time.GetUtcNow() - TimeSpan.FromTicks(1));
            Assert.False(run.IsCompleted);
            time.Advance(TimeSpan.FromTicks(1));
            occurrences.Add(await run);
        }

        Assert.Equal([At(12, 5), At(12, 10), At(12, 15)], ranAt);
        Assert.Equal([At(12, 5), At(12, 10), At(12, 15)], occurrences);
    }

    [Fact]
    public async Task DoesNotRunBeforeTheOccurrence()
    {
        var time = new FakeTimeProvider(Start);
        var runs = 0;
        var runner = Runner(time, JobSchedules.Reconcile.Default, _ => { runs++; return Task.CompletedTask; }, new LogSink());

        var run = runner.RunNextAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(56));
        Assert.False(run.IsCompleted);
        time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(At(13, 0), await run);
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task AFailedRunIsLogged_AndTheNextOccurrenceStillRuns()
    {
        var time = new FakeTimeProvider(Start);
        var logs = new LogSink();
        var attempts = 0;
        var runner = Runner(time, JobSchedules.ChangeFeed.Default, _ =>
            ++attempts == 1 ? throw new InvalidOperationException("store unavailable") : Task.CompletedTask, logs);

        var first = runner.RunNextAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(10));
        await first;
        var second = runner.RunNextAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(10));
        await second;

        Assert.Equal(2, attempts);
        Assert.Equal("test-job", Assert.Single(logs.Named("JobRunFailed")).Property("Job"));
    }

    [Fact]
    public async Task StopsQuietlyWhenTheHostStops()
    {
        var time = new FakeTimeProvider(Start);
        using var stopping = new CancellationTokenSource();
        var runner = Runner(time, JobSchedules.Reconcile.Default, _ => Task.CompletedTask, new LogSink());

        var loop = runner.RunAsync(stopping.Token);
        await stopping.CancelAsync();

        await loop.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(loop.IsCompletedSuccessfully);
    }

    private static ScheduledJobRunner Runner(TimeProvider time, string cron, Func<CancellationToken, Task> job, LogSink logs)
    {
        var schedule = CronExpression.Parse(cron, CronFormat.IncludeSeconds);
        return new ScheduledJobRunner("test-job", from => schedule.GetNextOccurrence(from, TimeZoneInfo.Utc), job, time, logs.For<ScheduledJobRunner>());
    }

    private static DateTimeOffset At(int hour, int minute) => new(2026, 1, 1, hour, minute, 0, TimeSpan.Zero);
}
