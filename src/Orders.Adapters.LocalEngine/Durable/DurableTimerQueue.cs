using DurableTask.Core;
using DurableTask.Core.History;

namespace Orders.Infrastructure.Durable;

/// <summary>
/// The in-memory engine's pending durable timers: one ordered set and one <see cref="ITimer"/> for all of them.
/// <para>
/// A saga's timers outlive most of its waits: a checkout arms a payment deadline of minutes and the payment answers
/// in milliseconds, yet the timer still fires later (Durable cannot take a timer back; the saga ignores it). Under load
/// tens of thousands were pending, each a <c>Task.Delay</c> with its state machine, timer and message, long-lived
/// enough for the GC to copy them into the oldest generation. Here each is one entry, and when its instance finishes
/// (<see cref="DropFor"/>) its timers go at once: a finished instance drops them on delivery anyway.
/// </para>
/// <para>
/// Semantics kept from the one-delay-per-timer delivery it replaces: a timer is delivered once, no earlier than its
/// <see cref="TimerFiredEvent.FireAt"/>; one already due is delivered at once. Delivery runs outside the lock.
/// </para>
/// </summary>
internal sealed class DurableTimerQueue : IDisposable
{
    /// <summary>The longest the one timer is armed for before it looks again (an <see cref="ITimer"/> takes at most ~49 days).</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromHours(1);

    private readonly Func<TaskMessage, Task> _deliver;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly SortedSet<Entry> _pending = new(Entry.Order);
    private readonly Dictionary<string, List<Entry>> _byInstance = new(StringComparer.OrdinalIgnoreCase); // as the store matches ids
    private readonly ITimer _timer;
    private DateTimeOffset _armedFor = DateTimeOffset.MaxValue;
    private long _sequence;
    private bool _disposed;

    public DurableTimerQueue(Func<TaskMessage, Task> deliver, TimeProvider? time = null)
    {
        _deliver = deliver ?? throw new ArgumentNullException(nameof(deliver));
        _time = time ?? TimeProvider.System;
        _timer = _time.CreateTimer(_ => Tick(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Timers waiting to fire.</summary>
    public int Pending
    {
        get { lock (_gate) return _pending.Count; }
    }

    /// <summary>Delivers <paramref name="timer"/> (a <see cref="TimerFiredEvent"/> message) at its fire time.</summary>
    public void Schedule(TaskMessage timer)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var fireAt = timer.Event is TimerFiredEvent fired ? new DateTimeOffset(DateTime.SpecifyKind(fired.FireAt, DateTimeKind.Utc)) : DateTimeOffset.MinValue;
        if (fireAt <= _time.GetUtcNow())
        {
            _ = _deliver(timer);
            return;
        }
        var instanceId = timer.OrchestrationInstance?.InstanceId ?? "";
        lock (_gate)
        {
            if (_disposed) return;
            var entry = new Entry(fireAt, ++_sequence, instanceId, timer);
            _pending.Add(entry);
            if (!_byInstance.TryGetValue(instanceId, out var ofInstance)) _byInstance[instanceId] = ofInstance = new List<Entry>(2);
            ofInstance.Add(entry);
            if (fireAt < _armedFor) Arm(fireAt);
        }
    }

    /// <summary>Forgets every pending timer of <paramref name="instanceId"/> (it finished: nothing would read them).</summary>
    public int DropFor(string instanceId)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        lock (_gate)
        {
            if (!_byInstance.Remove(instanceId, out var ofInstance)) return 0;
            foreach (var entry in ofInstance) _pending.Remove(entry);
            return ofInstance.Count;
        }
    }

    private void Tick()
    {
        List<TaskMessage>? due = null;
        lock (_gate)
        {
            if (_disposed) return;
            var now = _time.GetUtcNow();
            while (_pending.Min is { } first && first.FireAt <= now)
            {
                _pending.Remove(first);
                if (_byInstance.TryGetValue(first.InstanceId, out var ofInstance))
                {
                    ofInstance.Remove(first);
                    if (ofInstance.Count == 0) _byInstance.Remove(first.InstanceId);
                }
                (due ??= []).Add(first.Message);
            }
            _armedFor = DateTimeOffset.MaxValue;
            if (_pending.Min is { } next) Arm(next.FireAt);
        }
        if (due is null) return;
        foreach (var message in due) _ = _deliver(message);
    }

    // Under the lock.
    private void Arm(DateTimeOffset fireAt)
    {
        var wait = fireAt - _time.GetUtcNow();
        if (wait < TimeSpan.Zero) wait = TimeSpan.Zero;
        if (wait > LongestWait) wait = LongestWait;
        _armedFor = fireAt;
        _timer.Change(wait, Timeout.InfiniteTimeSpan);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _pending.Clear();
            _byInstance.Clear();
        }
        _timer.Dispose();
    }

    private sealed record Entry(DateTimeOffset FireAt, long Sequence, string InstanceId, TaskMessage Message)
    {
        public static readonly IComparer<Entry> Order = Comparer<Entry>.Create((a, b) =>
        {
            var byTime = a.FireAt.CompareTo(b.FireAt);
            return byTime != 0 ? byTime : a.Sequence.CompareTo(b.Sequence);
        });
    }
}
