using Orders.Application.Ports.Outbound;

namespace Orders.Application.Jobs;

/// <summary>
/// Measures the relay's lag through the change log port: it reads the relay consumer's pending events the way the
/// relay would and never commits, so the relay's checkpoint is untouched (every adapter's read is free of side
/// effects; only <see cref="IOrderChangeLog.CommitAsync"/> moves a checkpoint). It counts at most
/// <paramref name="peekLimit"/> events, so a large backlog costs one bounded read.
/// </summary>
public sealed class ChangeLogRelayMonitor(IOrderChangeLog changeLog, string relayConsumer = ChangeLogRelayMonitor.DefaultRelayConsumer, int peekLimit = 1000)
    : IRelayMonitor
{
    /// <summary>The consumer name the outbox relay reads the change log as.</summary>
    public const string DefaultRelayConsumer = "relay";

    private readonly int _peekLimit = peekLimit > 0 ? peekLimit : throw new ArgumentOutOfRangeException(nameof(peekLimit), peekLimit, "Count at least one event.");

    public async Task<RelayLag> GetLagAsync(CancellationToken cancellationToken = default)
    {
        var pending = await changeLog.ReadAsync(relayConsumer, _peekLimit, cancellationToken).ConfigureAwait(false);
        if (pending.Events.Count == 0) return RelayLag.None;
        // The Cosmos change feed orders events per partition only, so the first is not necessarily the oldest.
        return new RelayLag(pending.Events.Count, pending.Events.Count >= _peekLimit, pending.Events.Min(e => e.Entry.At));
    }
}
