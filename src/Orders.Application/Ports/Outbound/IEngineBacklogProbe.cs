namespace Orders.Application.Ports.Outbound;

/// <summary>
/// Work handed to the saga engine, or on its way there, and not yet run: on Durable's Azure Storage backend, the
/// messages in the task hub's control and work-item queues; before that, the changes the saga-starts lane has not
/// read (an accepted create starts its checkout only when that lane reaches it). Read by
/// <see cref="Admission.EngineBacklogAdmission"/>.
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
