using Orders.Application.Jobs;

namespace Orders.Jobs.Tests.Support;

public sealed class FakeRelayMonitor : IRelayMonitor
{
    public RelayLag Lag { get; set; } = RelayLag.None;

    public Task<RelayLag> GetLagAsync(CancellationToken cancellationToken = default) => Task.FromResult(Lag);
}
