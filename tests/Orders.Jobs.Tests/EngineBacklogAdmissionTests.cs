using Microsoft.Extensions.Time.Testing;
using Orders.Application.Admission;
using Orders.Application.Ports.Outbound;
using Orders.Application.Reactions;
using Orders.Domain.ValueObjects;
using Orders.Jobs.Tests.Support;

namespace Orders.Jobs.Tests;

/// <summary>
/// The function app's admission (decision 0040): creates are refused while the work waiting for the saga engine is
/// too old or too much, counting the creates accepted since the saga-starts lane last read; it fails open when the
/// backlog cannot be measured.
/// </summary>
public sealed class EngineBacklogAdmissionTests
{
    private static readonly EngineBacklogLimits Limits = new()
    {
        MaxEngineLag = TimeSpan.FromSeconds(10),
        MaxWaiting = 5,
        Interval = TimeSpan.FromSeconds(2),
        StaleAfter = TimeSpan.FromSeconds(30),
        RetryAfter = TimeSpan.FromSeconds(7),
    };

    private readonly FakeTimeProvider _time = new(JobsHarness.T0);
    private readonly FakeProbe _lane = new();
    private readonly FakeProbe _engine = new();
    private readonly LogSink _logs = new();

    private EngineBacklogAdmission Admission(EngineBacklogLimits? limits = null) =>
        new(_lane, _engine, limits ?? Limits, _time, _logs.For<EngineBacklogAdmission>());

    [Fact]
    public async Task Admits_WhileLittleWaits()
    {
        var admission = Admission();
        _engine.Next = new EngineBacklog(4, TimeSpan.FromSeconds(9));
        await admission.RefreshAsync();

        admission.EnsureRoom();
        Assert.Equal(AdmissionState.Open, admission.Report().State);
    }

    [Fact]
    public async Task Refuses_WhenTheEnginesOldestMessageWaitedTooLong_WithRetryAfter()
    {
        var admission = Admission();
        _engine.Next = new EngineBacklog(1, TimeSpan.FromSeconds(11));
        await admission.RefreshAsync();

        var refused = Assert.Throws<SagasSaturatedException>(admission.EnsureRoom);

        Assert.Equal(TimeSpan.FromSeconds(7), refused.RetryAfter);
        Assert.Contains("waited 11.0 s", refused.Message, StringComparison.Ordinal);
        Assert.Equal(AdmissionState.Closed, admission.Report().State);
        Assert.Single(_logs.Named("AdmissionClosed"));
    }

    [Fact]
    public async Task Refuses_WhenTheLanesOldestUnreadChangeWaitedTooLong()
    {
        var admission = Admission();
        _lane.Next = new EngineBacklog(1, TimeSpan.FromSeconds(12));
        await admission.RefreshAsync();

        Assert.Throws<SagasSaturatedException>(admission.EnsureRoom);
    }

    [Fact]
    public async Task Refuses_WhenTooManyWait_LaneAndEngineTogether()
    {
        var admission = Admission();
        _lane.Next = new EngineBacklog(2, TimeSpan.FromSeconds(1));
        _engine.Next = new EngineBacklog(3, TimeSpan.FromSeconds(1));
        await admission.RefreshAsync();

        var refused = Assert.Throws<SagasSaturatedException>(admission.EnsureRoom);
        Assert.Contains("5 items are waiting", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CountsCreatesAcceptedSinceTheLaneRead_WithoutWaitingForTheNextMeasurement()
    {
        var admission = Admission();
        await admission.RefreshAsync(); // nothing waits
        for (var i = 0; i < 4; i++)
        {
            admission.EnsureRoom();
            admission.Accepted(OrderId.From($"o{i}"));
        }
        admission.EnsureRoom(); // 4 waiting: room for one more

        admission.Accepted(OrderId.From("o4"));

        Assert.Throws<SagasSaturatedException>(admission.EnsureRoom);

        // The lane read them all: room again.
        _time.Advance(TimeSpan.FromSeconds(2));
        await admission.RefreshAsync();
        admission.EnsureRoom();
    }

    [Fact]
    public async Task AcceptedCreatesTheLaneHasNotReached_KeepCounting_AndTheirWaitGrows()
    {
        var admission = Admission(Limits with { MaxWaiting = 0 });
        await admission.RefreshAsync();
        admission.Accepted(OrderId.From("early"));
        _time.Advance(TimeSpan.FromSeconds(3));
        admission.Accepted(OrderId.From("late"));
        _time.Advance(TimeSpan.FromSeconds(1));
        // The lane has read up to the later one: its oldest unread change is 1 s old.
        _lane.Next = new EngineBacklog(1, TimeSpan.FromSeconds(1));
        await admission.RefreshAsync();

        Assert.Contains("1 items waiting", admission.Report().Description, StringComparison.Ordinal);

        // No new measurement (the last is still usable): the counted create's own wait closes admission.
        _time.Advance(TimeSpan.FromSeconds(9));
        admission.EnsureRoom(); // accepted 10 s ago
        _time.Advance(TimeSpan.FromSeconds(1));
        var refused = Assert.Throws<SagasSaturatedException>(admission.EnsureRoom);
        Assert.Contains("waited 11.0 s", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdmitsUnmeasured_BeforeTheFirstMeasurement_AndOnceTheLastIsStale_SayingWhy()
    {
        var admission = Admission();
        admission.EnsureRoom();
        Assert.Equal(AdmissionState.Unmeasured, admission.Report().State);

        _engine.Next = new EngineBacklog(100, TimeSpan.FromMinutes(5));
        await admission.RefreshAsync();
        Assert.Throws<SagasSaturatedException>(admission.EnsureRoom);

        _engine.Failure = new InvalidOperationException("the queues do not answer");
        _time.Advance(TimeSpan.FromSeconds(20));
        await admission.RefreshAsync();
        Assert.Throws<SagasSaturatedException>(admission.EnsureRoom); // the last figure is 20 s old: still acted on

        _time.Advance(TimeSpan.FromSeconds(11));
        await admission.RefreshAsync();
        admission.EnsureRoom(); // 31 s old: not acted on

        var report = admission.Report();
        Assert.Equal(AdmissionState.Unmeasured, report.State);
        // The health report names the part that failed; the dependency's own text (here "the queues do not answer";
        // on Azurite, the SDK's retry advice) is for the log only.
        Assert.Contains("the engine's queued work could not be read: it failed (InvalidOperationException)", report.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("the queues do not answer", report.Description, StringComparison.Ordinal);
        var logged = Assert.Single(_logs.Named("EngineBacklogUnreadable")); // once per distinct failure, not per attempt
        Assert.Contains("the queues do not answer", logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreadableBacklog_IsReportedByTheKindOfFault_WithoutTheDependencysText()
    {
        // As the Azure SDK reports a queue that does not answer in time: its retries' faults wrapped in one.
        var admission = Admission();
        _engine.Failure = new AggregateException("Retry failed after 2 tries. Retry settings can be adjusted in ClientOptions.Retry",
            new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout of 0:00:05 (http://127.0.0.1:20001)"));
        await admission.RefreshAsync();

        var report = admission.Report();

        Assert.Equal("The engine's backlog has not been measured for 30 s (the engine's queued work could not be read: it timed out); creates are admitted.",
            report.Description);
        _lane.Failure = new HttpRequestException("Connection refused (localhost:8081)");
        await admission.RefreshAsync();
        Assert.Contains("neither the saga-starts lane's unread changes nor the engine's queued work could be read: it could not be reached",
            admission.Report().Description, StringComparison.Ordinal);
        Assert.DoesNotContain("8081", admission.Report().Description, StringComparison.Ordinal);

        // A store fault says what its store says callers may read.
        _engine.Failure = null;
        _lane.Failure = new StoreUnavailableException(StoreFault.Slow, "Cosmos DB did not answer (orders.documents.azure.com:443)");
        await admission.RefreshAsync();
        Assert.EndsWith("(the saga-starts lane's unread changes could not be read: it did not answer in time); creates are admitted.",
            admission.Report().Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogsWhenItClosesAndReopens_OncePerChange()
    {
        var admission = Admission();
        _engine.Next = new EngineBacklog(10, TimeSpan.FromSeconds(1));
        await admission.RefreshAsync();
        await admission.RefreshAsync();
        _engine.Next = EngineBacklog.Empty;
        await admission.RefreshAsync();
        await admission.RefreshAsync();

        Assert.Single(_logs.Named("AdmissionClosed"));
        Assert.Single(_logs.Named("AdmissionReopened"));
    }

    [Fact]
    public void Limits_AreChecked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EngineBacklogLimits { MaxEngineLag = TimeSpan.Zero }.Validated());
        Assert.Throws<ArgumentOutOfRangeException>(() => new EngineBacklogLimits { MaxWaiting = -1 }.Validated());
        Assert.Throws<ArgumentOutOfRangeException>(() => new EngineBacklogLimits { StaleAfter = TimeSpan.FromSeconds(1) }.Validated());
        Assert.Throws<ArgumentOutOfRangeException>(() => new EngineBacklogLimits { RetryAfter = TimeSpan.Zero }.Validated());
    }

    [Fact]
    public async Task TheLaneProbe_CountsUnreadChanges_FromTheOldest_AndNeverCommits()
    {
        var h = new JobsHarness();
        await h.CreatedAsync("o1");
        h.Advance(TimeSpan.FromSeconds(30));
        await h.CreatedAsync("o2");
        h.Advance(TimeSpan.FromSeconds(5));
        var consumer = OrderReactions.ConsumerOf(ReactionLane.SagaStarts);
        var probe = new ChangeLogBacklogProbe(h.Store, consumer, h.Time);

        Assert.Equal(new EngineBacklog(2, TimeSpan.FromSeconds(35)), await probe.MeasureAsync());
        Assert.Equal(new EngineBacklog(1, TimeSpan.FromSeconds(35)), await new ChangeLogBacklogProbe(h.Store, consumer, h.Time, peekLimit: 1).MeasureAsync());

        var read = await h.Store.ReadAsync(consumer, 100);
        Assert.Equal(2, read.Events.Count); // the probe's reads moved nothing
        await h.Store.CommitAsync(consumer, read.Checkpoint);
        Assert.Equal(EngineBacklog.Empty, await probe.MeasureAsync());
    }

    private sealed class FakeProbe : IEngineBacklogProbe
    {
        public EngineBacklog Next { get; set; } = EngineBacklog.Empty;

        public Exception? Failure { get; set; }

        public Task<EngineBacklog> MeasureAsync(CancellationToken cancellationToken = default) =>
            Failure is { } failure ? Task.FromException<EngineBacklog>(failure) : Task.FromResult(Next);
    }
}
