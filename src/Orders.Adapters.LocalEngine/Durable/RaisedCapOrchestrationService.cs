using DurableTask.Core;
using DurableTask.Core.History;
using Microsoft.DurableTask.Testing.Sidecar;

namespace Orders.Infrastructure.Durable;

/// <summary>
/// Thin decorator over the InProcessTestHost's <see cref="InMemoryOrchestrationService"/>. It changes:
/// <list type="bullet">
/// <item>the concurrency caps the sidecar dispatchers read (<c>MaxConcurrentTaskOrchestrationWorkItems</c> /
/// <c>MaxConcurrentTaskActivityWorkItems</c>; the stock service returns <c>Environment.ProcessorCount</c> and the
/// dispatcher sleeps 500 ms every time the cap is reached);</item>
/// <item>what happens to messages for an instance that is gone (purged after its retention, see
/// <c>FinishedSagaPurge</c>). The stock store would create an empty entry for it that never goes away, and hand the
/// dispatcher a work item with no history. Here a raised event or termination for an unknown instance is dropped (as
/// Durable's Azure Storage backend does), a durable timer is delivered only if its instance still exists when it fires,
/// and a work item without history that slips through anyway is released and skipped
/// (<see cref="OrphanMessagesDropped"/> counts all three).</item>
/// <item>optionally (tests), each saved episode's whole history is handed to a recorder.</item>
/// </list>
/// </summary>
internal sealed class RaisedCapOrchestrationService(InMemoryOrchestrationService inner, int maxConcurrentOrchestrations, int maxConcurrentActivities, SagaGauge? gauge = null,
    Action<string, IReadOnlyList<HistoryEvent>>? checkpoints = null)
    : DelegatingOrchestrationService(inner, gauge)
{
    private long _orphans;

    public InMemoryOrchestrationService Inner { get; } = inner;

    public override int MaxConcurrentTaskOrchestrationWorkItems { get; } = maxConcurrentOrchestrations;

    public override int MaxConcurrentTaskActivityWorkItems { get; } = maxConcurrentActivities;

    /// <summary>Messages dropped because their instance no longer existed.</summary>
    public long OrphanMessagesDropped => Interlocked.Read(ref _orphans);

    public override async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        while (true)
        {
            var item = await base.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken).ConfigureAwait(false);
            if (item is null) return null!;
            if (item.OrchestrationRuntimeState.ExecutionStartedEvent is not null
                || item.NewMessages.Any(m => m.Event is ExecutionStartedEvent)) return item;
            Interlocked.Add(ref _orphans, item.NewMessages.Count);
            await Inner.ReleaseTaskOrchestrationWorkItemAsync(item).ConfigureAwait(false);
        }
    }

    public override async Task CompleteTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem, OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages, IList<TaskMessage> orchestratorMessages, IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage, OrchestrationState orchestrationState)
    {
        // Told before the episode is saved: saving it wakes whoever waits for the instance's completion, and a waiter
        // must find the final history already told (a replay test read it a moment too early once, in CI).
        checkpoints?.Invoke(workItem.InstanceId, [.. newOrchestrationRuntimeState.Events]);
        await base.CompleteTaskOrchestrationWorkItemAsync(workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, [],
            continuedAsNewMessage, orchestrationState).ConfigureAwait(false);
        foreach (var timer in timerMessages) _ = DeliverTimerAsync(timer);
    }

    public override Task SendTaskOrchestrationMessageAsync(TaskMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Event is not ExecutionStartedEvent && !Exists(message.OrchestrationInstance.InstanceId))
        {
            Interlocked.Increment(ref _orphans);
            return Task.CompletedTask;
        }
        return base.SendTaskOrchestrationMessageAsync(message);
    }

    public override async Task SendTaskOrchestrationMessageBatchAsync(params TaskMessage[] messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var message in messages) await SendTaskOrchestrationMessageAsync(message).ConfigureAwait(false);
    }

    private async Task DeliverTimerAsync(TaskMessage timer)
    {
        var fireAt = timer.Event is TimerFiredEvent fired ? fired.FireAt : DateTime.UtcNow;
        var wait = fireAt - DateTime.UtcNow;
        if (wait > TimeSpan.Zero) await Task.Delay(wait).ConfigureAwait(false);
        await SendTaskOrchestrationMessageAsync(timer).ConfigureAwait(false);
    }

    private bool Exists(string instanceId) => Inner.GetOrchestrationStateAsync(instanceId, executionId: null).GetAwaiter().GetResult() is not null;
}
