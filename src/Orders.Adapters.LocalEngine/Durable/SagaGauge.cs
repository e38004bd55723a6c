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
    private readonly ExpiringSet _awaitingStart = new();
    // Checkouts started lately: the lane may start (and, with answers at once, finish) a saga before the create's reply
    // reports it accepted; such a late report must not count it as awaiting its start.
    private readonly ExpiringSet _startedLately = new();
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
            if (_startedLately.Contains(instanceId)) return; // the lane was quicker than the reply
            _awaitingStart.Add(instanceId, _time.GetUtcNow());
            if (_awaitingStart.Count > PeakAwaitingStart) PeakAwaitingStart = _awaitingStart.Count;
        }
    }

    internal void Started(string instanceId)
    {
        lock (_gate)
        {
            _awaitingStart.Remove(instanceId);
            if (instanceId.StartsWith(SagaNames.CheckoutPrefix, StringComparison.OrdinalIgnoreCase)) _startedLately.Add(instanceId, _time.GetUtcNow());
            _live.Add(instanceId);
            if (_live.Count > Peak) Peak = _live.Count;
        }
    }

    internal void Finished(string instanceId)
    {
        lock (_gate) _live.Remove(instanceId);
    }

    /// <summary>Drops what is older than <see cref="AwaitingStartLimit"/>; returns how many checkouts still await their start. Under the gate.</summary>
    private int Prune()
    {
        var cutoff = _time.GetUtcNow() - AwaitingStartLimit;
        _awaitingStart.Prune(cutoff);
        _startedLately.Prune(cutoff);
        return _awaitingStart.Count;
    }

    /// <summary>Ids with the time they were added, dropped oldest first in O(1) each (a queue in time order beside the map).</summary>
    private sealed class ExpiringSet
    {
        private readonly Dictionary<string, DateTimeOffset> _at = new(StringComparer.OrdinalIgnoreCase);
        private readonly Queue<(string Id, DateTimeOffset At)> _order = new();

        public int Count => _at.Count;

        public bool Contains(string id) => _at.ContainsKey(id);

        public void Add(string id, DateTimeOffset at)
        {
            _at[id] = at;
            _order.Enqueue((id, at));
        }

        public void Remove(string id) => _at.Remove(id);

        public void Prune(DateTimeOffset cutoff)
        {
            while (_order.TryPeek(out var oldest) && oldest.At <= cutoff)
            {
                _order.Dequeue();
                // Only if it was not added again since (then a later queue entry stands for it).
                if (_at.TryGetValue(oldest.Id, out var at) && at == oldest.At) _at.Remove(oldest.Id);
            }
        }
    }
}
