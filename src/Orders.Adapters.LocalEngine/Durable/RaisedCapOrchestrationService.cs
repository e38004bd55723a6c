using DurableTask.Core;
using DurableTask.Core.History;
using DurableTask.Core.Query;
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
/// <item>queries by instance id prefix alone (a saga client's "this order's refunds", on every status read and every
/// check of the stuck-orders job): the stock store scans every instance it holds for each one, tens of thousands after
/// a busy hour (a profile under load that caught the stuck-orders job's run had 7 % of its samples in these scans);
/// here they read a sorted index of the ids (<see cref="InstanceIdIndex"/>) and the store only for those that match.</item>
/// <item>optionally (tests), each saved episode's whole history is handed to a recorder.</item>
/// </list>
/// </summary>
internal sealed class RaisedCapOrchestrationService(InMemoryOrchestrationService inner, int maxConcurrentOrchestrations, int maxConcurrentActivities, SagaGauge? gauge = null,
    Action<string, IReadOnlyList<HistoryEvent>>? checkpoints = null)
    : DelegatingOrchestrationService(inner, gauge)
{
    private long _orphans;
    private readonly InstanceIdIndex _ids = new();

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
        // A sub-orchestration's start goes from here straight into the store (none of the sagas starts one today).
        foreach (var message in orchestratorMessages)
            if (message.Event is ExecutionStartedEvent) _ids.Add(message.OrchestrationInstance.InstanceId);
        foreach (var timer in timerMessages) _ = DeliverTimerAsync(timer);
    }

    public override async Task SendTaskOrchestrationMessageAsync(TaskMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Event is not ExecutionStartedEvent && !Exists(message.OrchestrationInstance.InstanceId))
        {
            Interlocked.Increment(ref _orphans);
            return;
        }
        await base.SendTaskOrchestrationMessageAsync(message).ConfigureAwait(false);
        if (message.Event is ExecutionStartedEvent) _ids.Add(message.OrchestrationInstance.InstanceId);
    }

    // Indexed once created: an id is dropped only when the store no longer holds it, asked under the index's lock
    // (InstanceIdIndex.RemoveIfGone), so a creation racing a purge or a query's clean-up is never lost.
    public override async Task CreateTaskOrchestrationAsync(TaskMessage creationMessage)
    {
        ArgumentNullException.ThrowIfNull(creationMessage);
        await base.CreateTaskOrchestrationAsync(creationMessage).ConfigureAwait(false);
        _ids.Add(creationMessage.OrchestrationInstance.InstanceId);
    }

    public override async Task CreateTaskOrchestrationAsync(TaskMessage creationMessage, OrchestrationStatus[] dedupeStatuses)
    {
        ArgumentNullException.ThrowIfNull(creationMessage);
        await base.CreateTaskOrchestrationAsync(creationMessage, dedupeStatuses).ConfigureAwait(false);
        _ids.Add(creationMessage.OrchestrationInstance.InstanceId);
    }

    /// <summary>Instance ids indexed for prefix queries (tests: the index follows creations and purges).</summary>
    public int IndexedInstanceIds => _ids.Count;

    public override async Task<OrchestrationQueryResult> GetOrchestrationWithQueryAsync(OrchestrationQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!ByPrefixAlone(query, out var prefix)) return await base.GetOrchestrationWithQueryAsync(query, cancellationToken).ConfigureAwait(false);
        var states = new List<OrchestrationState>();
        var ids = _ids.StartingWith(prefix, query.PageSize);
        foreach (var id in ids)
        {
            if (await Inner.GetOrchestrationStateAsync(id, executionId: null).ConfigureAwait(false) is { } state) states.Add(state);
            else _ids.RemoveIfGone(id, Exists);
        }
        // A full page may have more behind it, and ids found gone may have hidden matches past the page: the store's
        // own query answers (and pages, with its continuation token) instead.
        return ids.Count < query.PageSize
            ? new OrchestrationQueryResult(states, null)
            : await base.GetOrchestrationWithQueryAsync(query, cancellationToken).ConfigureAwait(false);
    }

    public override async Task<PurgeResult> PurgeInstanceStateAsync(string instanceId)
    {
        var result = await base.PurgeInstanceStateAsync(instanceId).ConfigureAwait(false);
        _ids.RemoveIfGone(instanceId, Exists);
        return result;
    }

    public override async Task<PurgeResult> PurgeInstanceStateAsync(PurgeInstanceFilter purgeInstanceFilter)
    {
        var result = await base.PurgeInstanceStateAsync(purgeInstanceFilter).ConfigureAwait(false);
        // The store does not say which it purged: drop every id it no longer holds (one pass per purge run).
        if (result.DeletedInstanceCount > 0) _ids.Prune(Exists);
        return result;
    }

    private static bool ByPrefixAlone(OrchestrationQuery query, out string prefix)
    {
        prefix = query.InstanceIdPrefix ?? "";
        return prefix.Length > 0 && query.ContinuationToken is null && query.PageSize > 0
            && query.RuntimeStatus is not { Count: > 0 } && query.CreatedTimeFrom is null && query.CreatedTimeTo is null
            && query.TaskHubNames is not { Count: > 0 };
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
