using System.Collections.Concurrent;
using System.Globalization;
using DurableTask.Core;
using DurableTask.Core.Exceptions;
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
/// <item>a finished instance (completed, failed, terminated) keeps only its final status record
/// (<see cref="OrchestrationState"/>: name, status, input, output, times), not its history: the store is told to purge
/// it as soon as its last episode is released, and the record answers every read, query, wait and purge after that
/// until the instance is purged for good (after its retention) or started again. Under load the store held tens of
/// thousands of finished histories, each event wrapped in a JSON node, for the whole retention (ten minutes by default):
/// most of the host's heap, copied by the GC from young to old generations (decision 0039).</item>
/// <item>durable timers: one <see cref="DurableTimerQueue"/> instead of a <c>Task.Delay</c> per timer, and a finished
/// instance's pending timers are dropped when it finishes.</item>
/// <item>optionally (tests), each saved episode's whole history is handed to a recorder.</item>
/// </list>
/// </summary>
internal sealed class RaisedCapOrchestrationService : DelegatingOrchestrationService
{
    private long _orphans;
    private readonly InstanceIdIndex _ids = new();
    private readonly Action<string, IReadOnlyList<HistoryEvent>>? _checkpoints;
    private readonly DurableTimerQueue _timers;

    /// <summary>Finished instances, by id (as the store matches ids: ignoring case): their final status records.</summary>
    private readonly ConcurrentDictionary<string, OrchestrationState> _finished = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Instances whose last episode completed and is not yet released, and whether the store may purge them at the
    /// release: not when a message reached the instance during that episode, before the store marked it finished. The
    /// store then holds the message and runs the instance once more after the release (to discard it); purged in
    /// between, that run would recreate the instance in the store, and a start of the same id meanwhile would never be
    /// dispatched. It is purged at the release of that last run instead.
    /// </summary>
    private readonly ConcurrentDictionary<string, bool> _purgeAtRelease = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Instances whose episode is running (locked by a work item), and whether a message reached one meanwhile.</summary>
    private readonly ConcurrentDictionary<string, bool> _locked = new(StringComparer.OrdinalIgnoreCase);

    private const string FinishedPage = "finished:";
    private const string StorePage = "store:";

    public RaisedCapOrchestrationService(InMemoryOrchestrationService inner, int maxConcurrentOrchestrations, int maxConcurrentActivities, SagaGauge? gauge = null,
        Action<string, IReadOnlyList<HistoryEvent>>? checkpoints = null)
        : base(inner, gauge)
    {
        Inner = inner;
        MaxConcurrentTaskOrchestrationWorkItems = maxConcurrentOrchestrations;
        MaxConcurrentTaskActivityWorkItems = maxConcurrentActivities;
        _checkpoints = checkpoints;
        _timers = new DurableTimerQueue(SendTaskOrchestrationMessageAsync);
    }

    public InMemoryOrchestrationService Inner { get; }

    public override int MaxConcurrentTaskOrchestrationWorkItems { get; }

    public override int MaxConcurrentTaskActivityWorkItems { get; }

    /// <summary>Messages dropped because their instance no longer existed.</summary>
    public long OrphanMessagesDropped => Interlocked.Read(ref _orphans);

    /// <summary>Durable timers waiting to fire (tests, benchmarks).</summary>
    public int PendingTimers => _timers.Pending;

    /// <summary>Finished instances kept as their final status record only (tests, benchmarks).</summary>
    public int FinishedInstances => _finished.Count;

    /// <summary>Stops the timers (the engine is being disposed).</summary>
    public void StopTimers() => _timers.Dispose();

    public override async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        while (true)
        {
            var item = await base.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken).ConfigureAwait(false);
            if (item is null) return null!;
            if (item.OrchestrationRuntimeState.ExecutionStartedEvent is not null
                || item.NewMessages.Any(m => m.Event is ExecutionStartedEvent))
            {
                _locked[item.InstanceId] = false;
                return item;
            }
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
        _checkpoints?.Invoke(workItem.InstanceId, [.. newOrchestrationRuntimeState.Events]);
        var id = workItem.InstanceId;
        var finished = orchestrationState is not null && IsFinished(orchestrationState.OrchestrationStatus) && continuedAsNewMessage is null;
        if (finished)
        {
            // Recorded before the store marks it finished (and wakes its waiters), so no read finds neither; its
            // timers go with it.
            _finished[id] = orchestrationState!;
            _timers.DropFor(id);
        }
        // Messages to other instances: one that is gone would be recreated empty by the store; a finished one drops it.
        var toOthers = new List<TaskMessage>(orchestratorMessages.Count);
        foreach (var message in orchestratorMessages)
        {
            if (!Accepts(message)) continue;
            if (message.Event is ExecutionStartedEvent) Starting(message.OrchestrationInstance.InstanceId);
            toOthers.Add(message);
        }
        try
        {
            await base.CompleteTaskOrchestrationWorkItemAsync(workItem, newOrchestrationRuntimeState, outboundMessages, toOthers, [],
                continuedAsNewMessage!, orchestrationState!).ConfigureAwait(false);
        }
        catch
        {
            if (finished) _finished.TryRemove(new KeyValuePair<string, OrchestrationState>(id, orchestrationState!));
            throw;
        }
        // A sub-orchestration's start goes from here straight into the store (none of the sagas starts one today).
        foreach (var message in toOthers)
        {
            if (message.Event is not ExecutionStartedEvent) continue;
            Started(message.OrchestrationInstance.InstanceId, message.OrchestrationInstance.ExecutionId);
            _ids.Add(message.OrchestrationInstance.InstanceId);
        }
        if (!finished)
        {
            foreach (var timer in timerMessages) _timers.Schedule(timer);
            return;
        }
        // Started again under the same id while this episode ran: the new instance is the store's, not a record here.
        if (Inner.GetOrchestrationStateAsync(id, executionId: null).GetAwaiter().GetResult() is { } now
            && now.OrchestrationInstance.ExecutionId != orchestrationState!.OrchestrationInstance.ExecutionId)
        {
            _finished.TryRemove(new KeyValuePair<string, OrchestrationState>(id, orchestrationState));
            return;
        }
        _purgeAtRelease[id] = !(_locked.TryGetValue(id, out var reached) && reached);
    }

    public override async Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        _locked.TryRemove(workItem.InstanceId, out _);
        await base.ReleaseTaskOrchestrationWorkItemAsync(workItem).ConfigureAwait(false);
        if (!_purgeAtRelease.TryRemove(workItem.InstanceId, out var purgeNow)) return;
        // The store purges only an instance that is still finished: one started again meanwhile stays.
        if (purgeNow) await Inner.PurgeInstanceStateAsync(workItem.InstanceId).ConfigureAwait(false);
        // The store runs it once more for the message that reached it: purged at that run's release. (If the message
        // came after the store marked it finished, the store dropped it and no run comes: kept until its retention.)
        else _purgeAtRelease.TryAdd(workItem.InstanceId, true);
    }

    public override async Task SendTaskOrchestrationMessageAsync(TaskMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var instanceId = message.OrchestrationInstance.InstanceId;
        if (!Accepts(message)) return;
        if (message.Event is ExecutionStartedEvent) Starting(instanceId);
        await base.SendTaskOrchestrationMessageAsync(message).ConfigureAwait(false);
        if (message.Event is ExecutionStartedEvent)
        {
            Started(instanceId, message.OrchestrationInstance.ExecutionId);
            _ids.Add(instanceId);
        }
    }

    public override Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage)
    {
        ArgumentNullException.ThrowIfNull(responseMessage);
        if (Accepts(responseMessage)) return base.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);
        CountActivity(); // it ran; its instance finished or is gone, so its result has nobody to go to
        return Task.CompletedTask;
    }

    // The store's own termination message, sent through this decorator (a finished or purged instance drops it).
    public override Task ForceTerminateTaskOrchestrationAsync(string instanceId, string reason) =>
        SendTaskOrchestrationMessageAsync(new TaskMessage
        {
            OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId },
            Event = new ExecutionTerminatedEvent(-1, reason),
        });

    // Indexed once created: an id is dropped only when the store no longer holds it, asked under the index's lock
    // (InstanceIdIndex.RemoveIfGone), so a creation racing a purge or a query's clean-up is never lost.
    public override async Task CreateTaskOrchestrationAsync(TaskMessage creationMessage)
    {
        ArgumentNullException.ThrowIfNull(creationMessage);
        // The store refuses a start over a pending or running instance only; a finished one is started again.
        Starting(creationMessage.OrchestrationInstance.InstanceId);
        await base.CreateTaskOrchestrationAsync(creationMessage).ConfigureAwait(false);
        Started(creationMessage.OrchestrationInstance.InstanceId, creationMessage.OrchestrationInstance.ExecutionId);
        _ids.Add(creationMessage.OrchestrationInstance.InstanceId);
    }

    public override async Task CreateTaskOrchestrationAsync(TaskMessage creationMessage, OrchestrationStatus[] dedupeStatuses)
    {
        ArgumentNullException.ThrowIfNull(creationMessage);
        var instanceId = creationMessage.OrchestrationInstance.InstanceId;
        // The store would refuse a start over an instance in one of these states; a finished one lives here now.
        if (dedupeStatuses is not null && _finished.TryGetValue(instanceId, out var finished) && dedupeStatuses.Contains(finished.OrchestrationStatus))
            throw new OrchestrationAlreadyExistsException($"An orchestration with id '{instanceId}' already exists. It's in the {finished.OrchestrationStatus} state.");
        Starting(instanceId);
        await base.CreateTaskOrchestrationAsync(creationMessage, dedupeStatuses!).ConfigureAwait(false);
        Started(instanceId, creationMessage.OrchestrationInstance.ExecutionId);
        _ids.Add(instanceId);
    }

    public override async Task<IList<OrchestrationState>> GetOrchestrationStateAsync(string instanceId, bool allExecutions)
    {
        var states = await base.GetOrchestrationStateAsync(instanceId, allExecutions).ConfigureAwait(false);
        return states is { Count: > 0 } && states[0] is not null ? states : [_finished.GetValueOrDefault(instanceId)!];
    }

    public override async Task<OrchestrationState> GetOrchestrationStateAsync(string instanceId, string executionId) =>
        await base.GetOrchestrationStateAsync(instanceId, executionId).ConfigureAwait(false) ?? Finished(instanceId, executionId)!;

    public override async Task<OrchestrationState?> WaitForOrchestrationAsync(string instanceId, string executionId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (Finished(instanceId, executionId) is { } done && !InStore(instanceId)) return done;
        var waiting = base.WaitForOrchestrationAsync(instanceId, executionId, timeout, cancellationToken);
        // The store's waiter is registered now: an instance that finished (and left the store) just before it would
        // never wake it, so look here again.
        if (!waiting.IsCompleted && Finished(instanceId, executionId) is { } justDone && !InStore(instanceId)) return justDone;
        return await waiting.ConfigureAwait(false);
    }

    /// <summary>Instance ids indexed for prefix queries (tests: the index follows creations and purges).</summary>
    public int IndexedInstanceIds => _ids.Count;

    public override async Task<OrchestrationQueryResult> GetOrchestrationWithQueryAsync(OrchestrationQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (ByPrefixAlone(query, out var prefix))
        {
            var states = new List<OrchestrationState>();
            var ids = _ids.StartingWith(prefix, query.PageSize);
            foreach (var id in ids)
            {
                if (await GetOrchestrationStateAsync(id, executionId: null!).ConfigureAwait(false) is { } state) states.Add(state);
                else _ids.RemoveIfGone(id, Exists);
            }
            // A full page may have more behind it, and ids found gone may have hidden matches past the page: the
            // general query answers (and pages, with its continuation token) instead.
            if (ids.Count < query.PageSize) return new OrchestrationQueryResult(states, null);
        }
        return await QueryBothAsync(query, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A query over the finished records first, then the store's own query. Continuation tokens say which: the
    /// finished records are paged by position, as the store pages its instances.
    /// </summary>
    private async Task<OrchestrationQueryResult> QueryBothAsync(OrchestrationQuery query, CancellationToken cancellationToken)
    {
        var token = query.ContinuationToken;
        if (token is null || token.StartsWith(FinishedPage, StringComparison.Ordinal))
        {
            var skip = token is null ? 0 : int.Parse(token.AsSpan(FinishedPage.Length), CultureInfo.InvariantCulture);
            var size = Math.Max(1, query.PageSize);
            var page = new List<OrchestrationState>();
            var scanned = skip;
            foreach (var (_, state) in _finished.Skip(skip))
            {
                scanned++;
                if (!Matches(query, state)) continue;
                page.Add(state);
                if (page.Count >= size) break;
            }
            if (page.Count >= size) return new OrchestrationQueryResult(page, FinishedPage + scanned.ToString(CultureInfo.InvariantCulture));
            if (page.Count > 0) return new OrchestrationQueryResult(page, StorePage);
            token = null;
        }
        else if (token.StartsWith(StorePage, StringComparison.Ordinal))
        {
            token = token.Length == StorePage.Length ? null : token[StorePage.Length..];
        }
        else throw new ArgumentException($"Not a continuation token of this engine: '{token}'.", nameof(query));

        var ofStore = await base.GetOrchestrationWithQueryAsync(WithToken(query, token), cancellationToken).ConfigureAwait(false);
        // An instance between its last episode and its purge is in both: listed once, from the record.
        var notListed = ofStore.OrchestrationState.Where(state => !_finished.ContainsKey(state.OrchestrationInstance.InstanceId)).ToList();
        return new OrchestrationQueryResult(notListed, ofStore.ContinuationToken is { } next ? StorePage + next : null);
    }

    public override async Task<PurgeResult> PurgeInstanceStateAsync(string instanceId)
    {
        var result = await base.PurgeInstanceStateAsync(instanceId).ConfigureAwait(false);
        var purged = result.DeletedInstanceCount + (_finished.TryRemove(instanceId, out _) && result.DeletedInstanceCount == 0 ? 1 : 0);
        _purgeAtRelease.TryRemove(instanceId, out _);
        _ids.RemoveIfGone(instanceId, Exists);
        return new PurgeResult(purged);
    }

    public override async Task<PurgeResult> PurgeInstanceStateAsync(PurgeInstanceFilter purgeInstanceFilter)
    {
        ArgumentNullException.ThrowIfNull(purgeInstanceFilter);
        // A record whose instance the store still holds (between its last episode and its purge) is one instance:
        // counted once, whichever removes it.
        var fromRecords = new List<string>();
        foreach (var (id, state) in _finished)
            if (Matches(purgeInstanceFilter, state) && _finished.TryRemove(new KeyValuePair<string, OrchestrationState>(id, state))) fromRecords.Add(id);
        var alsoInStore = fromRecords.Where(InStore).ToList();
        var result = await base.PurgeInstanceStateAsync(purgeInstanceFilter).ConfigureAwait(false);
        var purged = result.DeletedInstanceCount + fromRecords.Count - alsoInStore.Count(id => !InStore(id));
        foreach (var id in fromRecords) _purgeAtRelease.TryRemove(id, out _);
        // The store does not say which it purged: drop every id it no longer holds (one pass per purge run).
        if (purged > 0) _ids.Prune(Exists);
        return new PurgeResult(purged);
    }

    private static bool ByPrefixAlone(OrchestrationQuery query, out string prefix)
    {
        prefix = query.InstanceIdPrefix ?? "";
        return prefix.Length > 0 && query.ContinuationToken is null && query.PageSize > 0
            && query.RuntimeStatus is not { Count: > 0 } && query.CreatedTimeFrom is null && query.CreatedTimeTo is null
            && query.TaskHubNames is not { Count: > 0 };
    }

    // The store's own filter (InMemoryOrchestrationService): created time, status, id prefix ignoring case.
    private static bool Matches(OrchestrationQuery query, OrchestrationState state) =>
        (query.CreatedTimeFrom is not { } from || from <= state.CreatedTime)
        && (query.CreatedTimeTo is not { } to || to >= state.CreatedTime)
        && (query.RuntimeStatus is not { Count: > 0 } statuses || statuses.Contains(state.OrchestrationStatus))
        && (query.InstanceIdPrefix is not { } prefix || state.OrchestrationInstance.InstanceId.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));

    private static bool Matches(PurgeInstanceFilter filter, OrchestrationState state) =>
        filter.CreatedTimeFrom <= state.CreatedTime
        && (filter.CreatedTimeTo is not { } to || to >= state.CreatedTime)
        && (filter.RuntimeStatus is not { } statuses || !statuses.Any() || statuses.Contains(state.OrchestrationStatus));

    private static OrchestrationQuery WithToken(OrchestrationQuery query, string? token) => new()
    {
        RuntimeStatus = query.RuntimeStatus,
        CreatedTimeFrom = query.CreatedTimeFrom,
        CreatedTimeTo = query.CreatedTimeTo,
        TaskHubNames = query.TaskHubNames,
        PageSize = query.PageSize,
        ContinuationToken = token,
        InstanceIdPrefix = query.InstanceIdPrefix,
        FetchInputsAndOutputs = query.FetchInputsAndOutputs,
    };

    public override async Task SendTaskOrchestrationMessageBatchAsync(params TaskMessage[] messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var message in messages) await SendTaskOrchestrationMessageAsync(message).ConfigureAwait(false);
    }

    private static bool IsFinished(OrchestrationStatus status) =>
        status is OrchestrationStatus.Completed or OrchestrationStatus.Failed or OrchestrationStatus.Terminated or OrchestrationStatus.Canceled;

    /// <summary>
    /// Whether <paramref name="message"/> goes on to the store: a start always; anything else only to an instance the
    /// store holds. A finished instance drops it, as the store does; for one that is gone it is an orphan (the store
    /// would create an empty entry for it that no purge removes). Notes it on an instance whose episode is running.
    /// </summary>
    private bool Accepts(TaskMessage message)
    {
        var instanceId = message.OrchestrationInstance.InstanceId;
        if (message.Event is not ExecutionStartedEvent && !InStore(instanceId))
        {
            if (!_finished.ContainsKey(instanceId)) Interlocked.Increment(ref _orphans);
            return false;
        }
        _locked.TryUpdate(instanceId, true, false);
        return true;
    }

    // About to be started (again): whatever finished under this id is over.
    private void Starting(string instanceId)
    {
        _finished.TryRemove(instanceId, out _);
        _purgeAtRelease.TryRemove(instanceId, out _);
    }

    // Started (again) as execution `executionId`: a record of another execution that finished meanwhile is over. The
    // new execution's own record stays: it may have run and finished already (a saga that fails at once does).
    private void Started(string instanceId, string? executionId)
    {
        if (executionId is not null && _finished.TryGetValue(instanceId, out var state) && state.OrchestrationInstance.ExecutionId != executionId)
            _finished.TryRemove(new KeyValuePair<string, OrchestrationState>(instanceId, state));
    }

    private OrchestrationState? Finished(string instanceId, string? executionId) =>
        _finished.TryGetValue(instanceId, out var state) && (executionId is null || executionId == state.OrchestrationInstance.ExecutionId) ? state : null;

    private bool InStore(string instanceId) => Inner.GetOrchestrationStateAsync(instanceId, executionId: null).GetAwaiter().GetResult() is not null;

    private bool Exists(string instanceId) => InStore(instanceId) || _finished.ContainsKey(instanceId);
}
