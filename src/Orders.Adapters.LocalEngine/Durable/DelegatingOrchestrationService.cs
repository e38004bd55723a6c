using DurableTask.Core;
using DurableTask.Core.Query;

namespace Orders.Infrastructure.Durable;

/// <summary>
/// An orchestration service that passes everything to another one, for decorators that change one thing (the work
/// item caps, the start/stop life cycle). It states the query and purge interfaces explicitly: the sidecar
/// (<c>TaskHubGrpcServer</c>) checks <c>client is IOrchestrationServiceQueryClient</c> /
/// <c>is IOrchestrationServicePurgeClient</c> and refuses GetAllInstances and purges otherwise.
/// </summary>
internal abstract class DelegatingOrchestrationService :
    IOrchestrationService,
    IOrchestrationServiceClient,
    IOrchestrationServiceQueryClient,
    IOrchestrationServicePurgeClient
{
    private readonly SagaGauge? _gauge;

    protected DelegatingOrchestrationService(IOrchestrationService service, SagaGauge? gauge = null)
    {
        _gauge = gauge;
        Service = service ?? throw new ArgumentNullException(nameof(service));
        Client = service as IOrchestrationServiceClient ?? throw new ArgumentException("The service must also be its own client.", nameof(service));
        Queries = service as IOrchestrationServiceQueryClient ?? throw new ArgumentException("The service must answer instance queries.", nameof(service));
        Purges = service as IOrchestrationServicePurgeClient ?? throw new ArgumentException("The service must purge instances.", nameof(service));
    }

    protected IOrchestrationService Service { get; }

    protected IOrchestrationServiceClient Client { get; }

    protected IOrchestrationServiceQueryClient Queries { get; }

    protected IOrchestrationServicePurgeClient Purges { get; }

    // ---- IOrchestrationService (pure delegation) ----
    public virtual int MaxConcurrentTaskOrchestrationWorkItems => Service.MaxConcurrentTaskOrchestrationWorkItems;
    public virtual int MaxConcurrentTaskActivityWorkItems => Service.MaxConcurrentTaskActivityWorkItems;
    public virtual Task StartAsync() => Service.StartAsync();
    public virtual Task StopAsync() => Service.StopAsync();
    public virtual Task StopAsync(bool isForced) => Service.StopAsync(isForced);
    public int TaskOrchestrationDispatcherCount => Service.TaskOrchestrationDispatcherCount;
    public int TaskActivityDispatcherCount => Service.TaskActivityDispatcherCount;
    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => Service.EventBehaviourForContinueAsNew;
    public Task CreateAsync() => Service.CreateAsync();
    public Task CreateAsync(bool recreateInstanceStore) => Service.CreateAsync(recreateInstanceStore);
    public Task CreateIfNotExistsAsync() => Service.CreateIfNotExistsAsync();
    public Task DeleteAsync() => Service.DeleteAsync();
    public Task DeleteAsync(bool deleteInstanceStore) => Service.DeleteAsync(deleteInstanceStore);
    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) => Service.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);
    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => Service.GetDelayInSecondsAfterOnProcessException(exception);
    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => Service.GetDelayInSecondsAfterOnFetchException(exception);
    public virtual Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken) => Service.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);
    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => Service.RenewTaskOrchestrationWorkItemLockAsync(workItem);
    public virtual async Task CompleteTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem, OrchestrationRuntimeState newOrchestrationRuntimeState, IList<TaskMessage> outboundMessages, IList<TaskMessage> orchestratorMessages, IList<TaskMessage> timerMessages, TaskMessage continuedAsNewMessage, OrchestrationState orchestrationState)
    {
        await Service.CompleteTaskOrchestrationWorkItemAsync(workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState).ConfigureAwait(false);
        Interlocked.Increment(ref _turns);
        if (_gauge is not null && orchestrationState?.OrchestrationStatus is OrchestrationStatus.Completed or OrchestrationStatus.Failed or OrchestrationStatus.Terminated or OrchestrationStatus.Canceled)
            _gauge.Finished(workItem.InstanceId);
    }
    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => Service.AbandonTaskOrchestrationWorkItemAsync(workItem);
    public virtual Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => Service.ReleaseTaskOrchestrationWorkItemAsync(workItem);
    public Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken) => Service.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);
    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => Service.RenewTaskActivityWorkItemLockAsync(workItem);
    public virtual Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage)
    {
        CountActivity();
        return Service.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);
    }

    /// <summary>Counts an activity run (for a decorator that completes one without passing its result on).</summary>
    protected void CountActivity() => Interlocked.Increment(ref _activities);

    private long _turns;
    private long _activities;

    /// <summary>Orchestration episodes completed (each replays the instance's history in the worker) and activities run, since start.</summary>
    public (long OrchestrationTurns, long ActivitiesRun) WorkDone => (Interlocked.Read(ref _turns), Interlocked.Read(ref _activities));
    public Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem) => Service.AbandonTaskActivityWorkItemAsync(workItem);

    // ---- IOrchestrationServiceClient ----
    public virtual async Task CreateTaskOrchestrationAsync(TaskMessage creationMessage)
    {
        await Client.CreateTaskOrchestrationAsync(creationMessage).ConfigureAwait(false);
        _gauge?.Started(creationMessage.OrchestrationInstance.InstanceId);
    }

    public virtual async Task CreateTaskOrchestrationAsync(TaskMessage creationMessage, OrchestrationStatus[] dedupeStatuses)
    {
        await Client.CreateTaskOrchestrationAsync(creationMessage, dedupeStatuses).ConfigureAwait(false);
        _gauge?.Started(creationMessage.OrchestrationInstance.InstanceId);
    }
    public virtual Task SendTaskOrchestrationMessageAsync(TaskMessage message) => Client.SendTaskOrchestrationMessageAsync(message);
    public virtual Task SendTaskOrchestrationMessageBatchAsync(params TaskMessage[] messages) => Client.SendTaskOrchestrationMessageBatchAsync(messages);
    public virtual Task<OrchestrationState?> WaitForOrchestrationAsync(string instanceId, string executionId, TimeSpan timeout, CancellationToken cancellationToken) => Client.WaitForOrchestrationAsync(instanceId, executionId, timeout, cancellationToken);
    public virtual Task ForceTerminateTaskOrchestrationAsync(string instanceId, string reason) => Client.ForceTerminateTaskOrchestrationAsync(instanceId, reason);
    public virtual Task<IList<OrchestrationState>> GetOrchestrationStateAsync(string instanceId, bool allExecutions) => Client.GetOrchestrationStateAsync(instanceId, allExecutions);
    public virtual Task<OrchestrationState> GetOrchestrationStateAsync(string instanceId, string executionId) => Client.GetOrchestrationStateAsync(instanceId, executionId);
    public Task<string> GetOrchestrationHistoryAsync(string instanceId, string executionId) => Client.GetOrchestrationHistoryAsync(instanceId, executionId);
    public Task PurgeOrchestrationHistoryAsync(DateTime thresholdDateTimeUtc, OrchestrationStateTimeRangeFilterType timeRangeFilterType) => Client.PurgeOrchestrationHistoryAsync(thresholdDateTimeUtc, timeRangeFilterType);

    // ---- IOrchestrationServiceQueryClient / IOrchestrationServicePurgeClient ----
    public virtual Task<OrchestrationQueryResult> GetOrchestrationWithQueryAsync(OrchestrationQuery query, CancellationToken cancellationToken) =>
        Queries.GetOrchestrationWithQueryAsync(query, cancellationToken);
    public virtual Task<PurgeResult> PurgeInstanceStateAsync(string instanceId) => Purges.PurgeInstanceStateAsync(instanceId);
    public virtual Task<PurgeResult> PurgeInstanceStateAsync(PurgeInstanceFilter purgeInstanceFilter) => Purges.PurgeInstanceStateAsync(purgeInstanceFilter);
}
