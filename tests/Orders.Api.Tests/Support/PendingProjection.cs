using Orders.Application.Jobs;

namespace Orders.Api.Tests.Support;

/// <summary>A read-model projection's backlog set by a test: the oldest change it has not applied, or none.</summary>
public sealed class PendingProjection : IRelayMonitor
{
    /// <summary>The oldest change not applied yet; null: the projection is caught up.</summary>
    public DateTimeOffset? OldestPendingAt { get; set; }

    public Task<RelayLag> GetLagAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(OldestPendingAt is { } oldest ? new RelayLag(1, false, oldest) : RelayLag.None);
}
