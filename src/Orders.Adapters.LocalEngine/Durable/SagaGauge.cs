using Orders.Application.Ports.Outbound;

namespace Orders.Infrastructure.Durable;

/// <summary>
/// Counts the orchestrations this engine has started and not yet seen finish, and admits new checkouts while the count
/// is under <see cref="Limit"/>. Fed by the engine's orchestration service decorator (created → live; completed,
/// failed or terminated → gone). On Azure Storage it counts only what this engine started since it came up (a
/// restarted engine does not know the instances already running in the task hub).
/// </summary>
public sealed class SagaGauge(int limit) : ISagaAdmission
{
    private readonly HashSet<string> _live = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();

    /// <summary>The most sagas in flight before creates are refused; 0 means no limit.</summary>
    public int Limit { get; } = limit >= 0 ? limit : throw new ArgumentOutOfRangeException(nameof(limit), "The limit must be 0 (none) or more.");

    /// <summary>How long a refused caller is told to wait.</summary>
    public TimeSpan RetryAfterDelay { get; init; } = TimeSpan.FromSeconds(1);

    public int InFlight
    {
        get { lock (_gate) return _live.Count; }
    }

    /// <summary>The highest <see cref="InFlight"/> seen (for the benchmark's report).</summary>
    public int Peak { get; private set; }

    /// <summary>Creates refused since start.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    private long _refused;

    public void EnsureRoom()
    {
        var inFlight = InFlight;
        if (Limit == 0 || inFlight < Limit) return;
        Interlocked.Increment(ref _refused);
        throw new SagasSaturatedException(inFlight, Limit, RetryAfterDelay);
    }

    internal void Started(string instanceId)
    {
        lock (_gate)
        {
            _live.Add(instanceId);
            if (_live.Count > Peak) Peak = _live.Count;
        }
    }

    internal void Finished(string instanceId)
    {
        lock (_gate) _live.Remove(instanceId);
    }
}
