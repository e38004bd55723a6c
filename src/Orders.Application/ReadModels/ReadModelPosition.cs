using Orders.Application.Jobs;
using Orders.Application.Ports.Outbound;

namespace Orders.Application.ReadModels;

/// <summary>
/// How far the read models have followed the store: the instant before which every recorded change is reflected.
/// <paramref name="unprojected"/> reads the projection's pending changes the way the projection would read them, never
/// committed (<see cref="ChangeLogRelayMonitor"/> over the projection's consumer, <see cref="Over"/>). Nothing pending
/// at a measurement is that measurement's time; otherwise the time of the oldest change the projection has not
/// applied. A read-model answer dated with it tells the truth about its age (the seller dashboard's <c>asOf</c>),
/// where the request's own time would claim "now" for data seconds behind.
/// <para>
/// One measurement serves the requests of the next <see cref="Reuse"/> (a peek is a change-feed read, which Cosmos
/// DB charges), and is never dated later than it was taken. The Cosmos change feed orders changes per partition only:
/// with more changes pending than the peek reads, the oldest of those read may be later than the oldest pending.
/// </para>
/// </summary>
public sealed class ReadModelPosition(IRelayMonitor unprojected)
{
    /// <summary>How long one measurement answers for.</summary>
    public static readonly TimeSpan Reuse = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private (DateTimeOffset MeasuredAt, DateTimeOffset Through)? _last;

    /// <summary>The position of the projection reading <paramref name="changeLog"/> as <paramref name="consumer"/> (a peek of at most <paramref name="peekLimit"/> changes).</summary>
    public static ReadModelPosition Over(IOrderChangeLog changeLog, string consumer = OrderProjector.DefaultConsumer, int peekLimit = 100) =>
        new(new ChangeLogRelayMonitor(changeLog, consumer, peekLimit));

    public async Task<DateTimeOffset> ProjectedThroughAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_lock)
            if (_last is { } last && now - last.MeasuredAt < Reuse && now >= last.MeasuredAt) return last.Through;
        var pending = await unprojected.GetLagAsync(cancellationToken).ConfigureAwait(false);
        var through = pending.OldestPendingAt is { } oldest && oldest < now ? oldest : now;
        lock (_lock) _last = (now, through);
        return through;
    }
}
