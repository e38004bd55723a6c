using Orders.Application.Outbox;
using Orders.Application.Ports.Outbound;

namespace Orders.Messaging.Tests;

public sealed class OutboxRelayTests
{
    private readonly MessagingWorld _world = new();

    /// <summary>Three events over two orders, interleaved in the log: a:1, b:1, a:2.</summary>
    private async Task<IReadOnlyList<string>> ThreeEventsAsync()
    {
        var a = await _world.CreatedAsync("key-a");
        await _world.CreatedAsync("key-b");
        await _world.ConfirmAsync(a);
        var ids = (await _world.AllEventsAsync()).Select(e => e.EventId).ToArray();
        Assert.Equal(3, ids.Length);
        return ids;
    }

    [Fact]
    public async Task ARun_PublishesEveryEventInLogOrder_AndCommits()
    {
        var logOrder = await ThreeEventsAsync();
        var publisher = new RecordingPublisher();

        var relayed = await new OutboxRelay(_world.Store, publisher).RunOnceAsync(100);

        Assert.Equal(3, relayed);
        Assert.Equal(logOrder, publisher.Published);
        Assert.Empty((await _world.Store.ReadAsync(OutboxRelay.Consumer, 100)).Events);
    }

    [Fact]
    public async Task ASecondRunAfterSuccess_PublishesNothing()
    {
        await ThreeEventsAsync();
        var publisher = new RecordingPublisher();
        var relay = new OutboxRelay(_world.Store, publisher);
        await relay.RunOnceAsync(100);

        var again = await relay.RunOnceAsync(100);

        Assert.Equal(0, again);
        Assert.Single(publisher.Calls);
    }

    [Fact]
    public async Task AFailingPublisher_CommitsNothing_AndTheNextRunRepublishesTheSameEvents()
    {
        var logOrder = await ThreeEventsAsync();
        var publisher = new RecordingPublisher { FailuresLeft = 1 };
        var relay = new OutboxRelay(_world.Store, publisher);

        await Assert.ThrowsAsync<TimeoutException>(() => relay.RunOnceAsync(100));
        Assert.Equal(3, (await _world.Store.ReadAsync(OutboxRelay.Consumer, 100)).Events.Count);

        var relayed = await relay.RunOnceAsync(100);

        Assert.Equal(3, relayed);
        Assert.Equal(2, publisher.Attempts.Count);
        Assert.Equal(logOrder, publisher.Attempts[0]);
        Assert.Equal(publisher.Attempts[0], publisher.Attempts[1]);
        Assert.Equal(0, await relay.RunOnceAsync(100));
    }

    [Fact]
    public async Task SmallBatches_RelayEverythingInOrder_OnePassAtATime()
    {
        var logOrder = await ThreeEventsAsync();
        var publisher = new RecordingPublisher();
        var relay = new OutboxRelay(_world.Store, publisher);

        Assert.Equal(2, await relay.RunOnceAsync(2));
        Assert.Equal(1, await relay.RunOnceAsync(2));
        Assert.Equal(0, await relay.RunOnceAsync(2));

        Assert.Equal(logOrder, publisher.Published);
        Assert.Equal([2, 1], publisher.Calls.Select(c => c.Count));
    }

    [Fact]
    public async Task RunningUntilCaughtUp_DrainsTheLogInBoundedPasses()
    {
        var logOrder = await ThreeEventsAsync();
        var publisher = new RecordingPublisher();

        var report = await new OutboxRelay(_world.Store, publisher).RunUntilCaughtUpAsync(batchSize: 1, maxBatches: 10);

        Assert.Equal(3, report.Relayed);
        Assert.Equal(logOrder, publisher.Published);
        Assert.Equal(3, publisher.Calls.Count); // the fourth pass read nothing and published nothing
    }

    [Fact]
    public async Task RunningUntilCaughtUp_StopsAfterMaxBatches()
    {
        await ThreeEventsAsync();
        var publisher = new RecordingPublisher();

        var report = await new OutboxRelay(_world.Store, publisher).RunUntilCaughtUpAsync(batchSize: 1, maxBatches: 2);

        Assert.Equal(2, report.Relayed);
        Assert.Single((await _world.Store.ReadAsync(OutboxRelay.Consumer, 100)).Events);
    }

    [Fact]
    public async Task TheReport_GivesTheAgeOfTheOldestRelayedEvent()
    {
        await ThreeEventsAsync(); // created at T0, T0, confirmed at T0 + 1 min
        var clock = new FixedClock(MessagingWorld.T0.AddMinutes(10));

        var report = await new OutboxRelay(_world.Store, new RecordingPublisher(), clock).RelayOnceAsync(100);

        Assert.Equal(new RelayReport(3, TimeSpan.FromMinutes(10)), report);
        Assert.Equal(RelayReport.Idle, await new OutboxRelay(_world.Store, new RecordingPublisher(), clock).RelayOnceAsync(100));
    }

    [Fact]
    public async Task AnEmptyLog_PublishesNothing()
    {
        var publisher = new RecordingPublisher();

        Assert.Equal(0, await new OutboxRelay(_world.Store, publisher).RunOnceAsync(10));
        Assert.Empty(publisher.Calls);
    }

    [Fact]
    public async Task ABatchSizeOfZero_IsRefused() =>
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => new OutboxRelay(_world.Store, new RecordingPublisher()).RunOnceAsync(0));

    private sealed class RecordingPublisher : IEventPublisher
    {
        public int FailuresLeft { get; set; }

        /// <summary>Every call's event ids, failed ones included.</summary>
        public List<IReadOnlyList<string>> Attempts { get; } = [];

        /// <summary>Successful calls' event ids.</summary>
        public List<IReadOnlyList<string>> Calls { get; } = [];

        public IEnumerable<string> Published => Calls.SelectMany(c => c);

        public Task PublishAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken = default)
        {
            var ids = events.Select(e => e.EventId).ToArray();
            Attempts.Add(ids);
            if (FailuresLeft > 0)
            {
                FailuresLeft--;
                throw new TimeoutException("Service Bus did not answer.");
            }
            Calls.Add(ids);
            return Task.CompletedTask;
        }
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
