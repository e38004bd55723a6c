namespace Orders.Application.Jobs;

/// <summary>How far the outbox relay is behind: events stored but not yet published.</summary>
public interface IRelayMonitor
{
    Task<RelayLag> GetLagAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// <see cref="Pending"/> events not yet published (<see cref="AtLeast"/> when counting stopped at its limit), the
/// oldest stored at <see cref="OldestPendingAt"/> (null when none is pending).
/// </summary>
public sealed record RelayLag(int Pending, bool AtLeast, DateTimeOffset? OldestPendingAt)
{
    public static RelayLag None { get; } = new(0, false, null);
}
