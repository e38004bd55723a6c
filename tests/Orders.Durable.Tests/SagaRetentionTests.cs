using System.Diagnostics;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Orders.Application.Ports.Outbound;
using Orders.Domain.ValueObjects;
using Orders.Infrastructure.Durable;
using Orders.Orchestrations;

namespace Orders.Durable.Tests;

/// <summary>
/// Bounded memory on the in-memory engine: completed orchestrations are purged after their retention (failed and
/// running ones are kept), messages for purged instances leave nothing behind, and the gauge counts what is in flight.
/// </summary>
public sealed class SagaRetentionTests : IAsyncLifetime
{
    private InProcessDurableEngine _engine = null!;
    private readonly TaskCompletionSource _slowActivity = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _slowActivityStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SagaGauge _gauge = new(limit: 2);

    public async Task InitializeAsync() =>
        _engine = await InProcessDurableEngine.StartAsync(registry => registry
            .AddOrchestratorFunc<int, int>("Done", (_, input) => Task.FromResult(input))
            .AddOrchestratorFunc<int, string>("Waits", async (context, _) => await context.WaitForExternalEvent<string>("go"))
            .AddOrchestratorFunc<int, int>("Fails", (_, _) => Task.FromException<int>(new InvalidOperationException("boom")))
            .AddOrchestratorFunc<int, SagaOutcome>("Escalates", (_, _) => Task.FromResult(new SagaOutcome(SagaResult.Escalated, "no answer from payments")))
            .AddOrchestratorFunc<int, SagaOutcome>("Returns", (_, _) => Task.FromResult(new SagaOutcome(SagaResult.Returned)))
            .AddOrchestratorFunc<int, int>("CallsASlowActivity", (context, input) => context.CallActivityAsync<int>("Slow", input))
            .AddActivityFunc<int, int>("Slow", async (_, input) =>
            {
                _slowActivityStarted.TrySetResult();
                await _slowActivity.Task;
                return input;
            })
            .AddOrchestratorFunc<int, string>("WaitsWithTimer", async (context, seconds) =>
            {
                using var cancel = new CancellationTokenSource();
                var timer = context.CreateTimer(TimeSpan.FromSeconds(seconds), cancel.Token);
                var answer = context.WaitForExternalEvent<string>("go");
                var first = await Task.WhenAny(timer, answer);
                if (first == answer) cancel.Cancel();
                return first == answer ? answer.Result : "timed out";
            }), _ => { }, gauge: _gauge);

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    [Fact]
    public async Task CompletedSagasPastTheirRetention_ArePurged_FailedAndRunningOnesAreKept()
    {
        await StartAsync("Done", "done-1");
        await StartAsync("Fails", "fails-1");
        await StartAsync("Waits", "waits-1");
        await UntilAsync("done-1", m => m.RuntimeStatus == OrchestrationRuntimeStatus.Completed);
        await UntilAsync("fails-1", m => m.RuntimeStatus == OrchestrationRuntimeStatus.Failed);
        await UntilAsync("waits-1", m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);

        var report = await Purge(inAnHour: true).RunOnceAsync();

        Assert.Equal(1, report.Purged);
        Assert.Null(await _engine.Client.GetInstanceAsync("done-1"));
        Assert.Equal(OrchestrationRuntimeStatus.Failed, (await _engine.Client.GetInstanceAsync("fails-1"))!.RuntimeStatus);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await _engine.Client.GetInstanceAsync("waits-1"))!.RuntimeStatus);
    }

    [Fact]
    public async Task TheOrdersOfFailedTerminatedAndEscalatedRefundSagas_AreFoundOnTheEngine_EachOnce()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string Refund(string order, string refund) => Orders.Application.Integration.SagaNames.RefundId(OrderId.From(order), refund);
        await StartAsync("Fails", Refund("ord-failed", "r1"));
        await StartAsync("Fails", Refund("ord-failed", "r2"));
        await StartAsync("Waits", Refund("ord-terminated", "r1"));
        await StartAsync("Waits", Refund("ord-running", "r1"));
        await StartAsync("Escalates", Refund("ord-escalated", "r1"));   // gave up: completed, the refund still pending
        await StartAsync("Returns", Refund("ord-returned", "r1"));      // completed and done
        await StartAsync("Fails", "checkout-ord-other");
        await _engine.Client.TerminateInstanceAsync(Refund("ord-terminated", "r1"), "stopped by a test", cancel.Token);
        foreach (var id in new[] { Refund("ord-failed", "r1"), Refund("ord-failed", "r2"), Refund("ord-terminated", "r1"), Refund("ord-escalated", "r1"),
                     Refund("ord-returned", "r1"), "checkout-ord-other" })
            await _engine.Client.WaitForInstanceCompletionAsync(id, cancel.Token);
        var sagas = new DurableSagaClient(_engine.Client, new SagaOptions());

        var found = await sagas.FindOrdersWithFailedRefundsAsync(DateTimeOffset.UtcNow.AddHours(-1), 10, cancel.Token);
        var one = await sagas.FindOrdersWithFailedRefundsAsync(DateTimeOffset.UtcNow.AddHours(-1), 1, cancel.Token);
        var createdLater = await sagas.FindOrdersWithFailedRefundsAsync(DateTimeOffset.UtcNow.AddHours(1), 10, cancel.Token);

        Assert.Equal(["ord-escalated", "ord-failed", "ord-terminated"], found.Select(o => o.Value).Order(StringComparer.Ordinal));
        Assert.Single(one);
        Assert.Empty(createdLater);
    }

    [Fact]
    public async Task CompletedSagasWithinTheirRetention_AreKept()
    {
        await StartAsync("Done", "done-2");
        await UntilAsync("done-2", m => m.RuntimeStatus == OrchestrationRuntimeStatus.Completed);

        var report = await Purge(inAnHour: false).RunOnceAsync();

        Assert.Equal(0, report.Purged);
        Assert.NotNull(await _engine.Client.GetInstanceAsync("done-2"));
    }

    [Fact]
    public async Task AnEventRaisedToAPurgedSaga_IsDropped_AndTheEngineCarriesOn()
    {
        await StartAsync("Done", "done-3");
        await UntilAsync("done-3", m => m.RuntimeStatus == OrchestrationRuntimeStatus.Completed);
        await Purge(inAnHour: true).RunOnceAsync();

        await _engine.Client.RaiseEventAsync("done-3", "go", "late duplicate answer");

        Assert.Equal(1, _engine.OrphanMessagesDropped);
        Assert.Null(await _engine.Client.GetInstanceAsync("done-3"));
        await StartAsync("Done", "done-4");
        await UntilAsync("done-4", m => m.RuntimeStatus == OrchestrationRuntimeStatus.Completed);
    }

    [Fact]
    public async Task ASagasPendingTimers_AreDroppedWhenItFinishes_NotDeliveredLater()
    {
        await StartAsync("WaitsWithTimer", "timer-1", input: 600);
        await UntilAsync("timer-1", m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running && _engine.PendingTimers == 1);

        await _engine.Client.RaiseEventAsync("timer-1", "go", "answer");
        await UntilAsync("timer-1", m => m.RuntimeStatus == OrchestrationRuntimeStatus.Completed);

        // Its 10-minute timer was cancelled by the saga but cannot be taken back from Durable: it went with the saga.
        Assert.Equal(0, _engine.PendingTimers);
        Assert.Equal(1, (await Purge(inAnHour: true).RunOnceAsync()).Purged);
        Assert.Equal(0, _engine.OrphanMessagesDropped);
        Assert.Null(await _engine.Client.GetInstanceAsync("timer-1"));
    }

    [Fact]
    public async Task ARunningSagasTimer_StillFires()
    {
        await StartAsync("WaitsWithTimer", "timer-2", input: 1);

        var done = await _engine.Client.WaitForInstanceCompletionAsync("timer-2", getInputsAndOutputs: true);

        Assert.Equal("timed out", done.ReadOutputAs<string>());
        Assert.Equal(0, _engine.PendingTimers);
    }

    [Fact]
    public async Task AFinishedSaga_KeepsOnlyItsFinalRecord_WhichAnswersReadsQueriesWaitsAndPurges()
    {
        await StartAsync("Done", "kept-1", input: 7);
        await StartAsync("Fails", "kept-2");
        await _engine.Client.WaitForInstanceCompletionAsync("kept-1");
        await _engine.Client.WaitForInstanceCompletionAsync("kept-2");
        await UntilAsync("kept-2", _ => _engine.FinishedInstances == 2);

        var read = await _engine.Client.GetInstanceAsync("kept-1", getInputsAndOutputs: true);
        var waited = await _engine.Client.WaitForInstanceCompletionAsync("kept-1", getInputsAndOutputs: true);
        var byPrefix = await ListAsync(new OrchestrationQuery { InstanceIdPrefix = "KEPT-" });
        var failed = await ListAsync(new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Failed] });
        var paged = await ListAsync(new OrchestrationQuery { InstanceIdPrefix = "kept-", Statuses = [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed], PageSize = 1 });

        Assert.Equal((OrchestrationRuntimeStatus.Completed, 7, 7), (read!.RuntimeStatus, read.ReadInputAs<int>(), read.ReadOutputAs<int>()));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, waited.RuntimeStatus);
        Assert.Equal(["kept-1", "kept-2"], byPrefix.Order(StringComparer.Ordinal));
        Assert.Equal(["kept-2"], failed);
        Assert.Equal(["kept-1", "kept-2"], paged.Order(StringComparer.Ordinal));

        // Started again under the same id, it is a new instance; refused where the caller says a finished one blocks it.
        await Assert.ThrowsAsync<DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException>(() => _engine.Client.ScheduleNewOrchestrationInstanceAsync("Done", 8,
            new StartOrchestrationOptions("kept-1") { DedupeStatuses = [nameof(OrchestrationRuntimeStatus.Completed)] }));
        await StartAsync("Done", "kept-1", input: 9);
        var again = await _engine.Client.WaitForInstanceCompletionAsync("kept-1", getInputsAndOutputs: true);
        Assert.Equal(9, again.ReadOutputAs<int>());

        var purged = await _engine.Client.PurgeAllInstancesAsync(new PurgeInstancesFilter(Statuses: [OrchestrationRuntimeStatus.Failed]));
        Assert.Equal(1, purged.PurgedInstanceCount);
        Assert.Null(await _engine.Client.GetInstanceAsync("kept-2"));
        Assert.NotNull(await _engine.Client.GetInstanceAsync("kept-1"));
    }

    [Fact]
    public async Task AnswersRaisedRightBehindTheLastOne_LeaveNothingBehind_AndTheSameIdStartsAgain()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        for (var i = 0; i < 5; i++)
        {
            var id = $"dup-{i}";
            await StartAsync("Waits", id);
            await UntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);
            // The second answer reaches the saga while its last episode runs (or just after): the store holds it and
            // runs the finished instance once more to discard it.
            await _engine.Client.RaiseEventAsync(id, "go", "first", cancel.Token);
            await _engine.Client.RaiseEventAsync(id, "go", "duplicate", cancel.Token);
            var first = await _engine.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cancel.Token);
            Assert.Equal("first", first.ReadOutputAs<string>());

            await StartAsync("Waits", id);
            await UntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);
            await _engine.Client.RaiseEventAsync(id, "go", "again", cancel.Token);
            var again = await _engine.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cancel.Token);
            Assert.Equal("again", again.ReadOutputAs<string>());
        }
        Assert.Equal(0, _engine.OrphanMessagesDropped);
    }

    [Fact]
    public async Task ALateActivityResultOrASecondTermination_ForAFinishedSaga_IsDropped_NotCountedAsAnOrphan()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await StartAsync("CallsASlowActivity", "late-1", input: 5);
        await _slowActivityStarted.Task.WaitAsync(cancel.Token);
        // Terminated by an operator while its activity runs: the activity's result comes back to a finished saga.
        await _engine.Client.TerminateInstanceAsync("late-1", cancellation: cancel.Token);
        await _engine.Client.WaitForInstanceCompletionAsync("late-1", cancel.Token);
        var activitiesBefore = _engine.WorkDone.ActivitiesRun;

        _slowActivity.SetResult();
        while (_engine.WorkDone.ActivitiesRun == activitiesBefore) await Task.Delay(20, cancel.Token);
        await _engine.Client.TerminateInstanceAsync("late-1", cancellation: cancel.Token);
        // Whatever the engine had queued before this start has been handled once it completes.
        await StartAsync("Done", "after-late-1");
        await _engine.Client.WaitForInstanceCompletionAsync("after-late-1", cancel.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Terminated, (await _engine.Client.GetInstanceAsync("late-1", cancellation: cancel.Token))!.RuntimeStatus);
        Assert.Equal(0, _engine.OrphanMessagesDropped);
        Assert.Equal(1, (await _engine.Client.PurgeInstanceAsync("late-1", cancellation: cancel.Token)).PurgedInstanceCount);
        Assert.Null(await _engine.Client.GetInstanceAsync("late-1", cancellation: cancel.Token));
    }

    private async Task<List<string>> ListAsync(OrchestrationQuery query)
    {
        var ids = new List<string>();
        await foreach (var instance in _engine.Client.GetAllInstancesAsync(query)) ids.Add(instance.InstanceId);
        return ids;
    }

    [Fact]
    public async Task TheGauge_CountsSagasInFlight_AndRefusesAtItsLimit()
    {
        await StartAsync("Waits", "waits-a");
        await StartAsync("Waits", "waits-b");
        await UntilAsync("waits-b", m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);

        Assert.Equal(2, _gauge.InFlight);
        var refused = Assert.Throws<SagasSaturatedException>(_gauge.EnsureRoom);
        Assert.Equal(2, refused.Limit);
        Assert.True(refused.RetryAfter > TimeSpan.Zero);

        await _engine.Client.RaiseEventAsync("waits-a", "go", "answer");
        await UntilAsync("waits-a", m => m.RuntimeStatus == OrchestrationRuntimeStatus.Completed);
        Assert.Equal(1, _gauge.InFlight);
        _gauge.EnsureRoom();
    }

    [Fact]
    public async Task AcceptedCheckouts_CountUntilTheirSagaStarts_SoCreatesCannotOutrunTheSagaStarts()
    {
        // Two creates accepted, neither saga started yet (the change log's saga-starts lane is behind): already full.
        _gauge.Accepted(OrderId.From("o1"));
        _gauge.Accepted(OrderId.From("o2"));
        Assert.Equal(2, _gauge.AwaitingStart);
        Assert.Equal(0, _gauge.InFlight);
        Assert.Equal(2, Assert.Throws<SagasSaturatedException>(_gauge.EnsureRoom).InFlight);

        // Its saga starts: it moves from awaiting to in flight, still counted once.
        await StartAsync("Waits", "checkout-o1");
        await UntilAsync("checkout-o1", m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);
        Assert.Equal(1, _gauge.AwaitingStart);
        Assert.Equal(1, _gauge.InFlight);
        Assert.Throws<SagasSaturatedException>(_gauge.EnsureRoom);

        // It finishes: room again, while o2 still waits for its start.
        await _engine.Client.RaiseEventAsync("checkout-o1", "go", "answer");
        await UntilAsync("checkout-o1", m => m.RuntimeStatus == OrchestrationRuntimeStatus.Completed);
        Assert.Equal(0, _gauge.InFlight);
        Assert.Equal(1, _gauge.AwaitingStart);
        _gauge.EnsureRoom();

        // The lane can start (and finish) a saga before the create's reply reports it accepted: not counted then.
        await StartAsync("Waits", "checkout-o3");
        await _engine.Client.RaiseEventAsync("checkout-o3", "go", "answer");
        await UntilAsync("checkout-o3", m => m.RuntimeStatus == OrchestrationRuntimeStatus.Completed);
        _gauge.Accepted(OrderId.From("o3"));
        Assert.Equal(1, _gauge.AwaitingStart);
    }

    [Fact]
    public void AnAcceptedCheckoutWhoseSagaNeverStartsHere_StopsCountingAfterTheLimit()
    {
        var clock = new MovableClock(DateTimeOffset.UtcNow);
        var gauge = new SagaGauge(limit: 1, clock) { AwaitingStartLimit = TimeSpan.FromMinutes(2) };
        gauge.Accepted(OrderId.From("o1"));
        Assert.Throws<SagasSaturatedException>(gauge.EnsureRoom);

        clock.Now += TimeSpan.FromMinutes(1);
        Assert.Throws<SagasSaturatedException>(gauge.EnsureRoom);

        clock.Now += TimeSpan.FromMinutes(1);
        gauge.EnsureRoom();
        Assert.Equal(0, gauge.AwaitingStart);
        Assert.Equal(1, gauge.PeakAwaitingStart);
    }

    private FinishedSagaPurge Purge(bool inAnHour) =>
        new(_engine.Client, new SagaRetention { Retention = TimeSpan.FromMinutes(10) },
            new FixedClock(DateTimeOffset.UtcNow + (inAnHour ? TimeSpan.FromHours(1) : TimeSpan.Zero)));

    private Task StartAsync(string name, string id, int input = 0) =>
        _engine.Client.ScheduleNewOrchestrationInstanceAsync(name, input, new StartOrchestrationOptions(id));

    private async Task UntilAsync(string id, Func<OrchestrationMetadata, bool> until)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            if (await _engine.Client.GetInstanceAsync(id) is { } m && until(m)) return;
            await Task.Delay(20);
        }
        Assert.Fail($"{id} did not reach the expected state within 15 s");
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class MovableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
