using Orders.Application.Jobs;
using Orders.Application.Ports.Outbound;

namespace Orders.Application.ReadModels;

/// <summary>
/// How far the read models have followed the store: the instant before which every recorded change is reflected.
/// <paramref name="unprojected"/> reads the projection's pending changes the way the projection would read them, never
/// committed (<see cref="ChangeLogRelayMonitor"/> over the projection's consumer, <see cref="Over"/>). Nothing pending
/// is "now"; otherwise the time of the oldest change the projection has not applied. A read-model answer dated with
/// it tells the truth about its age (the seller dashboard's <c>asOf</c>), where the request's own time would claim
/// "now" for data seconds behind.
/// </summary>
public sealed class ReadModelPosition(IRelayMonitor unprojected)
{
    /// <summary>The position of the projection reading <paramref name="changeLog"/> as <paramref name="consumer"/> (a peek of at most <paramref name="peekLimit"/> changes).</summary>
    public static ReadModelPosition Over(IOrderChangeLog changeLog, string consumer = OrderProjector.DefaultConsumer, int peekLimit = 100) =>
        new(new ChangeLogRelayMonitor(changeLog, consumer, peekLimit));

    public async Task<DateTimeOffset> ProjectedThroughAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var pending = await unprojected.GetLagAsync(cancellationToken).ConfigureAwait(false);
        return pending.OldestPendingAt is { } oldest && oldest < now ? oldest : now;
    }
}
