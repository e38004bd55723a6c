using Cronos;
using Orders.LocalHost;

namespace Orders.Architecture.Tests;

/// <summary>
/// The local host's job schedule: a timer that fires a little early must not run a job again for the occurrence it
/// has just run (seen driving the host: auto-cancel every second ran three times within a millisecond).
/// </summary>
public sealed class JobScheduleTests
{
    private static readonly CronExpression EverySecond = CronExpression.Parse("* * * * * *", CronFormat.IncludeSeconds);
    private static readonly DateTime Occurrence = new(2026, 12, 7, 21, 18, 20, DateTimeKind.Utc);

    [Fact]
    public void TheOccurrenceAfterOneJustRun_IsTheNextOne_ThoughTheClockStillReadsBeforeIt()
    {
        var early = Occurrence.AddTicks(-4_000); // 0.4 ms before: the timer fired early and the run was quick

        Assert.Equal(Occurrence, JobScheduler.NextRun(EverySecond, early, lastRun: null));
        Assert.Equal(Occurrence.AddSeconds(1), JobScheduler.NextRun(EverySecond, early, lastRun: Occurrence));
    }

    [Fact]
    public void ARunThatTookLongerThanThePeriod_GoesOnFromNow_WithoutCatchingUp()
    {
        var late = Occurrence.AddSeconds(3.5);

        Assert.Equal(Occurrence.AddSeconds(4), JobScheduler.NextRun(EverySecond, late, lastRun: Occurrence));
    }
}
