using Orders.Application.Jobs;
using Orders.Jobs.Tests.Support;

namespace Orders.Jobs.Tests;

public sealed class ChangeLogRelayMonitorTests
{
    [Fact]
    public async Task CountsTheEventsTheRelayHasNotCommitted_FromTheOldest()
    {
        var h = new JobsHarness();
        await h.PaidAsync("o1"); // 3 events at T0
        h.Advance(TimeSpan.FromMinutes(1));
        await h.CreatedAsync("o2");
        var monitor = new ChangeLogRelayMonitor(h.Store);

        var lag = await monitor.GetLagAsync();

        Assert.Equal(new RelayLag(4, false, JobsHarness.T0), lag);
    }

    [Fact]
    public async Task NeverMovesTheRelaysCheckpoint()
    {
        var h = new JobsHarness();
        await h.PaidAsync("o1");
        var monitor = new ChangeLogRelayMonitor(h.Store);

        await monitor.GetLagAsync();
        await monitor.GetLagAsync();

        Assert.Equal(3, (await h.Store.ReadAsync(ChangeLogRelayMonitor.DefaultRelayConsumer, 100)).Events.Count);
    }

    [Fact]
    public async Task SeesNothingPendingOnceTheRelayCommitted()
    {
        var h = new JobsHarness();
        await h.PaidAsync("o1");
        var relayed = await h.Store.ReadAsync("relay", 100);
        await h.Store.CommitAsync("relay", relayed.Checkpoint);

        Assert.Equal(RelayLag.None, await new ChangeLogRelayMonitor(h.Store).GetLagAsync());
    }

    [Fact]
    public async Task StopsCountingAtItsLimit()
    {
        var h = new JobsHarness();
        await h.PaidAsync("o1");

        var lag = await new ChangeLogRelayMonitor(h.Store, peekLimit: 2).GetLagAsync();

        Assert.Equal((2, true), (lag.Pending, lag.AtLeast));
    }
}
