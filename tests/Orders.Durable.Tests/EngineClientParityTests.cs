using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Orders.Infrastructure.Durable;

namespace Orders.Durable.Tests;

/// <summary>
/// The in-memory engine dispatched in process (its own client over Durable Task Core, decision 0029) answers every
/// client call the way the same engine behind the gRPC sidecar (the SDK's gRPC client) does: each test runs on both.
/// </summary>
public sealed class EngineClientParityTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private static Task<InProcessDurableEngine> StartAsync(EngineDispatch dispatch) =>
        InProcessDurableEngine.StartAsync(registry => registry
            .AddOrchestratorFunc<string, string>("Echo", async (context, input) =>
            {
                context.SetCustomStatus(new { Step = "echoing" });
                return await context.CallActivityAsync<string>("Upper", input);
            })
            .AddActivityFunc<string, string>("Upper", (_, input) => input.ToUpperInvariant())
            .AddOrchestratorFunc<int, string>("Waits", async (context, _) => await context.WaitForExternalEvent<string>("go"))
            .AddOrchestratorFunc<int, int>("Fails", async (context, _) => await context.CallActivityAsync<int>("Throws", 0))
            .AddActivityFunc<int, int>("Throws", (_, _) => Task.FromException<int>(new InvalidOperationException("the activity refused"))),
            _ => { }, dispatch: dispatch);

    [Theory]
    [InlineData(EngineDispatch.Direct)]
    [InlineData(EngineDispatch.Sidecar)]
    public async Task AStartedInstance_RunsItsActivity_AndReportsInputOutputAndCustomStatusOnlyWhenAsked(EngineDispatch dispatch)
    {
        await using var engine = await StartAsync(dispatch);
        Assert.Equal(dispatch, engine.Dispatch);
        using var cancel = new CancellationTokenSource(Patience);

        var id = await engine.Client.ScheduleNewOrchestrationInstanceAsync("Echo", "tea", new StartOrchestrationOptions("echo-1"), cancel.Token);
        var done = await engine.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cancel.Token);

        Assert.Equal("echo-1", id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("Echo", done.Name);
        Assert.Equal("tea", done.ReadInputAs<string>());
        Assert.Equal("TEA", done.ReadOutputAs<string>());
        Assert.Contains("echoing", done.SerializedCustomStatus, StringComparison.Ordinal);
        Assert.True(done.LastUpdatedAt >= done.CreatedAt);
        var bare = await engine.Client.GetInstanceAsync(id, getInputsAndOutputs: false, cancel.Token);
        Assert.NotNull(bare);
        Assert.Null(bare.SerializedInput);
        Assert.Null(bare.SerializedOutput);
        Assert.Null(await engine.Client.GetInstanceAsync("never-started", cancellation: cancel.Token));
    }

    [Theory]
    [InlineData(EngineDispatch.Direct)]
    [InlineData(EngineDispatch.Sidecar)]
    public async Task StartingAgainUnderDedupeStatuses_IsRefused_AndWithoutThemReplacesAFinishedInstance(EngineDispatch dispatch)
    {
        await using var engine = await StartAsync(dispatch);
        using var cancel = new CancellationTokenSource(Patience);
        await engine.Client.ScheduleNewOrchestrationInstanceAsync("Echo", "a", new StartOrchestrationOptions("once"), cancel.Token);
        await engine.Client.WaitForInstanceCompletionAsync("once", cancel.Token);

        var again = new StartOrchestrationOptions("once").WithDedupeStatuses(OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Running);
        await Assert.ThrowsAnyAsync<Exception>(() => engine.Client.ScheduleNewOrchestrationInstanceAsync("Echo", "b", again, cancel.Token));
        if (dispatch == EngineDispatch.Direct)
            await Assert.ThrowsAsync<OrchestrationAlreadyExistsException>(() => engine.Client.ScheduleNewOrchestrationInstanceAsync("Echo", "b", again, cancel.Token));
        Assert.Equal("A", (await engine.Client.GetInstanceAsync("once", getInputsAndOutputs: true, cancel.Token))!.ReadOutputAs<string>());

        await engine.Client.ScheduleNewOrchestrationInstanceAsync("Echo", "c", new StartOrchestrationOptions("once"), cancel.Token);
        using var replaced = new CancellationTokenSource(Patience);
        while ((await engine.Client.GetInstanceAsync("once", getInputsAndOutputs: true, replaced.Token))!.ReadOutputAs<string>() != "C")
            await engine.Client.WaitForInstanceCompletionAsync("once", replaced.Token);
    }

    [Theory]
    [InlineData(EngineDispatch.Direct)]
    [InlineData(EngineDispatch.Sidecar)]
    public async Task AnActivityThatThrows_FailsTheInstance_WithTheFailureDetails(EngineDispatch dispatch)
    {
        await using var engine = await StartAsync(dispatch);
        using var cancel = new CancellationTokenSource(Patience);
        await engine.Client.ScheduleNewOrchestrationInstanceAsync("Fails", 0, new StartOrchestrationOptions("fails"), cancel.Token);

        var failed = await engine.Client.WaitForInstanceCompletionAsync("fails", getInputsAndOutputs: true, cancel.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, failed.RuntimeStatus);
        // Failure details come with the outputs, as OrchestrationMetadata.FailureDetails documents.
        Assert.Null((await engine.Client.GetInstanceAsync("fails", getInputsAndOutputs: false, cancel.Token))!.FailureDetails);
        Assert.NotNull(failed.FailureDetails);
        Assert.Contains("Throws", failed.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        Assert.NotNull(failed.FailureDetails.InnerFailure);
        Assert.Equal(typeof(InvalidOperationException).FullName, failed.FailureDetails.InnerFailure.ErrorType);
        Assert.Equal("the activity refused", failed.FailureDetails.InnerFailure.ErrorMessage);
    }

    [Theory]
    [InlineData(EngineDispatch.Direct)]
    [InlineData(EngineDispatch.Sidecar)]
    public async Task AWaitingInstance_CanBeSuspendedResumedAnsweredTerminatedQueriedAndPurged(EngineDispatch dispatch)
    {
        await using var engine = await StartAsync(dispatch);
        using var cancel = new CancellationTokenSource(Patience);
        var client = engine.Client;
        await client.ScheduleNewOrchestrationInstanceAsync("Waits", 0, new StartOrchestrationOptions("wait-a"), cancel.Token);
        await client.ScheduleNewOrchestrationInstanceAsync("Waits", 0, new StartOrchestrationOptions("wait-b"), cancel.Token);
        await client.ScheduleNewOrchestrationInstanceAsync("Echo", "x", new StartOrchestrationOptions("other"), cancel.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await client.WaitForInstanceStartAsync("wait-a", cancel.Token)).RuntimeStatus);
        await client.WaitForInstanceStartAsync("wait-b", cancel.Token);

        await client.SuspendInstanceAsync("wait-a", "a person looks at it", cancel.Token);
        await UntilAsync(client, "wait-a", OrchestrationRuntimeStatus.Suspended, cancel.Token);
        await client.RaiseEventAsync("wait-a", "go", "answered while suspended", cancel.Token);
        await client.ResumeInstanceAsync("wait-a", "looked at", cancel.Token);
        var answered = await client.WaitForInstanceCompletionAsync("wait-a", getInputsAndOutputs: true, cancel.Token);
        Assert.Equal("answered while suspended", answered.ReadOutputAs<string>());

        await client.TerminateInstanceAsync("wait-b", "stopped by a test", cancel.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, (await client.WaitForInstanceCompletionAsync("wait-b", cancel.Token)).RuntimeStatus);
        await client.WaitForInstanceCompletionAsync("other", cancel.Token);

        var waits = new List<string>();
        await foreach (var instance in client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = "wait-", PageSize = 1 }).WithCancellation(cancel.Token))
            waits.Add(instance.InstanceId);
        Assert.Equal(["wait-a", "wait-b"], waits.Order());
        var completed = new List<string>();
        await foreach (var instance in client.GetAllInstancesAsync(new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Completed] }).WithCancellation(cancel.Token))
            completed.Add(instance.InstanceId);
        Assert.Equal(["other", "wait-a"], completed.Order());

        Assert.Equal(1, (await client.PurgeInstanceAsync("wait-b", cancel.Token)).PurgedInstanceCount);
        Assert.Null(await client.GetInstanceAsync("wait-b", cancellation: cancel.Token));
        var purged = await client.PurgeAllInstancesAsync(new PurgeInstancesFilter(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMinutes(1),
            [OrchestrationRuntimeStatus.Completed]), cancel.Token);
        Assert.Equal(2, purged.PurgedInstanceCount);
        Assert.Null(await client.GetInstanceAsync("other", cancellation: cancel.Token));
    }

    [Theory]
    [InlineData(EngineDispatch.Direct)]
    [InlineData(EngineDispatch.Sidecar)]
    public async Task AQueryByPrefix_FindsExactlyTheInstancesThatStartWithIt_IgnoringCase_AndForgetsThePurgedOnes(EngineDispatch dispatch)
    {
        // In memory such a query reads an index of ids rather than every instance: it must answer as the store's scan does.
        await using var engine = await StartAsync(dispatch);
        using var cancel = new CancellationTokenSource(Patience);
        var client = engine.Client;
        string[] ids = ["refund-o-1-rf-a", "refund-o-1-rf-b", "refund-o-10-rf-a", "refund-o-2-rf-a", "checkout-o-1", "REFUND-O-1-RF-C"];
        foreach (var id in ids) await client.ScheduleNewOrchestrationInstanceAsync("Echo", id, new StartOrchestrationOptions(id), cancel.Token);
        foreach (var id in ids) await client.WaitForInstanceCompletionAsync(id, cancel.Token);

        async Task<string[]> PrefixAsync(string prefix, bool inputs = false)
        {
            var found = new List<string>();
            await foreach (var instance in client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = prefix, FetchInputsAndOutputs = inputs }).WithCancellation(cancel.Token))
            {
                if (inputs) Assert.Equal(instance.InstanceId.ToUpperInvariant(), instance.ReadOutputAs<string>());
                found.Add(instance.InstanceId);
            }
            return [.. found.Order(StringComparer.Ordinal)];
        }

        Assert.Equal(ids.Length, engine.IndexedInstanceIds);
        Assert.Equal(["REFUND-O-1-RF-C", "refund-o-1-rf-a", "refund-o-1-rf-b"], await PrefixAsync("refund-o-1-", inputs: true));
        Assert.Equal(["REFUND-O-1-RF-C", "refund-o-1-rf-a", "refund-o-1-rf-b", "refund-o-10-rf-a"], await PrefixAsync("refund-o-1"));
        Assert.Empty(await PrefixAsync("refund-o-3-"));
        Assert.Equal(["checkout-o-1"], await PrefixAsync("c"));

        await client.PurgeInstanceAsync("refund-o-1-rf-a", cancel.Token);
        Assert.Equal(ids.Length - 1, engine.IndexedInstanceIds);
        Assert.Equal(["REFUND-O-1-RF-C", "refund-o-1-rf-b"], await PrefixAsync("refund-o-1-"));
        // Started again after a purge: found again.
        await client.ScheduleNewOrchestrationInstanceAsync("Echo", "again", new StartOrchestrationOptions("refund-o-1-rf-a"), cancel.Token);
        await client.WaitForInstanceCompletionAsync("refund-o-1-rf-a", cancel.Token);
        Assert.Equal(["REFUND-O-1-RF-C", "refund-o-1-rf-a", "refund-o-1-rf-b"], await PrefixAsync("refund-o-1-"));

        var purged = await client.PurgeAllInstancesAsync(new PurgeInstancesFilter(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMinutes(1),
            [OrchestrationRuntimeStatus.Completed]), cancel.Token);
        Assert.Equal(ids.Length, purged.PurgedInstanceCount);
        Assert.Empty(await PrefixAsync("refund-"));
        // Memory: the index holds no id of a purged instance.
        Assert.Equal(0, engine.IndexedInstanceIds);
    }

    private static async Task UntilAsync(DurableTaskClient client, string id, OrchestrationRuntimeStatus status, CancellationToken cancellationToken)
    {
        while ((await client.GetInstanceAsync(id, cancellation: cancellationToken))?.RuntimeStatus != status)
            await Task.Delay(10, cancellationToken);
    }
}
