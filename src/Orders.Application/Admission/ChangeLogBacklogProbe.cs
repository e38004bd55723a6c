using Orders.Application.Jobs;
using Orders.Application.Ports.Outbound;

namespace Orders.Application.Admission;

/// <summary>
/// The changes a change-log consumer has not read yet (the saga-starts lane's, for admission), counted by the same
/// side-effect-free peek the relay's monitor uses (<see cref="ChangeLogRelayMonitor"/>): at most
/// <paramref name="peekLimit"/> changes, never committed, the oldest being the earliest of those read.
/// </summary>
public sealed class ChangeLogBacklogProbe(IOrderChangeLog changeLog, string consumer, TimeProvider time, int peekLimit = 100) : IEngineBacklogProbe
{
    private readonly ChangeLogRelayMonitor _unread = new(changeLog, consumer, peekLimit);

    public async Task<EngineBacklog> MeasureAsync(CancellationToken cancellationToken = default)
    {
        var unread = await _unread.GetLagAsync(cancellationToken).ConfigureAwait(false);
        if (unread.OldestPendingAt is not { } oldest) return EngineBacklog.Empty;
        var waited = time.GetUtcNow() - oldest;
        return new EngineBacklog(unread.Pending, waited > TimeSpan.Zero ? waited : TimeSpan.Zero);
    }
}
