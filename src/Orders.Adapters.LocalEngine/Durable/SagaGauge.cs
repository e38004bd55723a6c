using Orders.Application.Integration;
using Orders.Application.Ports.Outbound;
using Orders.Domain.ValueObjects;

namespace Orders.Infrastructure.Durable;

/// <summary>
/// Counts the orchestrations this engine has started and not yet seen finish, and the checkouts accepted whose saga
/// the change log's saga-starts lane has not started yet, and admits new checkouts while the two together are under
/// <see cref="Limit"/>. Fed by the engine's orchestration service decorator (created → live; completed, failed or
/// terminated → gone) and by the create endpoint (<see cref="Accepted"/>). On Azure Storage it counts only what this
/// engine started since it came up (a restarted engine does not know the instances already running in the task hub).
/// </summary>
public sealed class SagaGauge(int limit, TimeProvider? time = null) : ISagaAdmission
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly HashSet<string> _live = new(StringComparer.OrdinalIgnoreCase);
    // Checkout instance ids accepted and not started yet, with when. One whose saga is never started here (the lane
    // found the order no longer waiting for it, or another host's lane started it) stops counting after
    // AwaitingStartLimit; it cannot hold the room for ever.
    private readonly Dictionary<string, DateTimeOffset> _awaitingStart = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();

    /// <summary>The most sagas in flight (started or awaiting their start) before creates are refused; 0 means no limit.</summary>
    public int Limit { get; } = limit >= 0 ? limit : throw new ArgumentOutOfRangeException(nameof(limit), "The limit must be 0 (none) or more.");

    /// <summary>How long a refused caller is told to wait.</summary>
    public TimeSpan RetryAfterDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long an accepted checkout counts while its saga has not been started here.</summary>
    public TimeSpan AwaitingStartLimit { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Sagas started and not finished.</summary>
    public int InFlight
    {
        get { lock (_gate) return _live.Count; }
    }

    /// <summary>Checkouts accepted whose saga has not been started yet.</summary>
    public int AwaitingStart
    {
        get { lock (_gate) return Prune(); }
    }

    /// <summary>The highest <see cref="InFlight"/> seen (for the benchmark's report).</summary>
    public int Peak { get; private set; }

    /// <summary>The highest <see cref="AwaitingStart"/> seen (for the benchmark's report).</summary>
    public int PeakAwaitingStart { get; private set; }

    /// <summary>Creates refused since start.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    private long _refused;

    public void EnsureRoom()
    {
        if (Limit == 0) return;
        int count;
        lock (_gate) count = _live.Count + Prune();
        if (count < Limit) return;
        Interlocked.Increment(ref _refused);
        throw new SagasSaturatedException(count, Limit, RetryAfterDelay);
    }

    public void Accepted(OrderId orderId)
    {
        ArgumentNullException.ThrowIfNull(orderId);
        var instanceId = SagaNames.CheckoutId(orderId);
        lock (_gate)
        {
            if (_live.Contains(instanceId)) return; // the lane was quicker than the reply
            _awaitingStart[instanceId] = _time.GetUtcNow();
            if (_awaitingStart.Count > PeakAwaitingStart) PeakAwaitingStart = _awaitingStart.Count;
        }
    }

    internal void Started(string instanceId)
    {
        lock (_gate)
        {
            _awaitingStart.Remove(instanceId);
            _live.Add(instanceId);
            if (_live.Count > Peak) Peak = _live.Count;
        }
    }

    internal void Finished(string instanceId)
    {
        lock (_gate) _live.Remove(instanceId);
    }

    /// <summary>Drops accepted checkouts that waited longer than <see cref="AwaitingStartLimit"/>; returns how many remain. Under the gate.</summary>
    private int Prune()
    {
        if (_awaitingStart.Count == 0) return 0;
        var cutoff = _time.GetUtcNow() - AwaitingStartLimit;
        List<string>? stale = null;
        foreach (var (id, at) in _awaitingStart)
            if (at <= cutoff) (stale ??= []).Add(id);
        if (stale is not null) foreach (var id in stale) _awaitingStart.Remove(id);
        return _awaitingStart.Count;
    }
}
