using DurableTask.Core;
using DurableTask.Core.History;
using Microsoft.Extensions.Time.Testing;
using Orders.Infrastructure.Durable;

namespace Orders.Durable.Tests;

public sealed class DurableTimerQueueTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
    private readonly List<(string Instance, int TimerId)> _delivered = [];

    private DurableTimerQueue NewQueue() => new(message =>
    {
        lock (_delivered) _delivered.Add((message.OrchestrationInstance.InstanceId, ((TimerFiredEvent)message.Event).TimerId));
        return Task.CompletedTask;
    }, _clock);

    private TaskMessage Timer(string instance, int timerId, TimeSpan after) => new()
    {
        OrchestrationInstance = new OrchestrationInstance { InstanceId = instance, ExecutionId = "e1" },
        Event = new TimerFiredEvent(-1) { TimerId = timerId, FireAt = (_clock.GetUtcNow() + after).UtcDateTime },
    };

    [Fact]
    public void Timers_AreDeliveredAtTheirTime_InOrder_EachOnce()
    {
        using var queue = NewQueue();
        queue.Schedule(Timer("a", 1, TimeSpan.FromMinutes(2)));
        queue.Schedule(Timer("b", 1, TimeSpan.FromMinutes(1)));
        queue.Schedule(Timer("a", 2, TimeSpan.Zero)); // already due: at once

        Assert.Equal([("a", 2)], _delivered);
        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Single(_delivered);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([("a", 2), ("b", 1)], _delivered);
        _clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal([("a", 2), ("b", 1), ("a", 1)], _delivered);
        Assert.Equal(0, queue.Pending);
    }

    [Fact]
    public void AFinishedInstancesTimers_AreDropped_OthersStillFire()
    {
        using var queue = NewQueue();
        queue.Schedule(Timer("done", 1, TimeSpan.FromMinutes(1)));
        queue.Schedule(Timer("DONE", 2, TimeSpan.FromMinutes(5)));
        queue.Schedule(Timer("running", 1, TimeSpan.FromMinutes(3)));

        Assert.Equal(2, queue.DropFor("done")); // ids as the store matches them: ignoring case
        _clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal([("running", 1)], _delivered);
        Assert.Equal(0, queue.Pending);
    }

    [Fact]
    public void ATimerDaysAway_IsStillDelivered_ThoughTheQueueLooksAgainEveryHour()
    {
        using var queue = NewQueue();
        queue.Schedule(Timer("long", 1, TimeSpan.FromDays(3)));

        for (var hour = 0; hour < 71; hour++) _clock.Advance(TimeSpan.FromHours(1));
        Assert.Empty(_delivered);
        _clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal([("long", 1)], _delivered);
    }
}
