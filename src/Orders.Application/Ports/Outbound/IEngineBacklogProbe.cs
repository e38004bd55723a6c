namespace Orders.Application.Ports.Outbound;

/// <summary>
/// Work handed to the saga engine, or on its way there, and not yet run: on Durable's Azure Storage backend, the
/// messages in the task hub's control and work-item queues; before that, the changes the saga-starts lane has not
/// read (an accepted create starts its checkout only when that lane reaches it). Read by
/// <see cref="EngineBacklogAdmission"/>.
/// </summary>
public interface IEngineBacklogProbe
{
    /// <summary>Measures now. Throws when the backlog cannot be read.</summary>
    Task<EngineBacklog> MeasureAsync(CancellationToken cancellationToken = default);
}

/// <param name="Waiting">Items waiting (queued messages, unread changes); a lower bound where a probe counts only so far.</param>
/// <param name="OldestWait">How long the oldest of them has waited; zero when nothing waits.</param>
public sealed record EngineBacklog(long Waiting, TimeSpan OldestWait)
{
    public static readonly EngineBacklog Empty = new(0, TimeSpan.Zero);
}

/// <summary>
/// The changes a change-log consumer has not read yet (the saga-starts lane's, for admission), read the way the
/// consumer would and never committed, so its checkpoint is untouched. Counts at most <paramref name="peekLimit"/>
/// changes, so a large backlog costs one bounded read; the oldest is the earliest of those read (the Cosmos change
/// feed orders changes per partition only).
/// </summary>
public sealed class ChangeLogBacklogProbe(IOrderChangeLog changeLog, string consumer, TimeProvider time, int peekLimit = 100) : IEngineBacklogProbe
{
    private readonly int _peekLimit = peekLimit > 0 ? peekLimit : throw new ArgumentOutOfRangeException(nameof(peekLimit), peekLimit, "Count at least one change.");

    public async Task<EngineBacklog> MeasureAsync(CancellationToken cancellationToken = default)
    {
        var pending = await changeLog.ReadAsync(consumer, _peekLimit, cancellationToken).ConfigureAwait(false);
        if (pending.Events.Count == 0) return EngineBacklog.Empty;
        var waited = time.GetUtcNow() - pending.Events.Min(e => e.Entry.At);
        return new EngineBacklog(pending.Events.Count, waited > TimeSpan.Zero ? waited : TimeSpan.Zero);
    }
}
