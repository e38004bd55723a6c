using DurableTask.Core;
using DurableTask.Core.Query;
using Microsoft.DurableTask.Testing.Sidecar;

namespace Orders.Infrastructure.Durable;

/// <summary>
/// Thin decorator over the InProcessTestHost's <see cref="InMemoryOrchestrationService"/> that only changes the
/// concurrency caps the sidecar dispatchers read (<c>MaxConcurrentTaskOrchestrationWorkItems</c> /
/// <c>MaxConcurrentTaskActivityWorkItems</c>; the stock service returns <c>Environment.ProcessorCount</c> and the
/// dispatcher sleeps 500 ms every time the cap is reached).
/// It MUST also implement <see cref="IOrchestrationServiceQueryClient"/> and <see cref="IOrchestrationServicePurgeClient"/>:
/// TaskHubGrpcServer does <c>client is IOrchestrationServiceQueryClient</c> / <c>is IOrchestrationServicePurgeClient</c>
/// and throws NotSupportedException for GetAllInstancesAsync / Purge*Async otherwise.
/// </summary>
internal sealed class RaisedCapOrchestrationService :
    IOrchestrationService,
    IOrchestrationServiceClient,
    IOrchestrationServiceQueryClient,
    IOrchestrationServicePurgeClient
{
    private readonly InMemoryOrchestrationService inner;

    public RaisedCapOrchestrationService(InMemoryOrchestrationService inner, int maxConcurrentOrchestrations, int maxConcurrentActivities)
    {
        this.inner = inner ?? throw new ArgumentNullException(nameof(inner));
        this.MaxConcurrentTaskOrchestrationWorkItems = maxConcurrentOrchestrations;
        this.MaxConcurrentTaskActivityWorkItems = maxConcurrentActivities;
    }

    public InMemoryOrchestrationService Inner => this.inner;

    // ---- the only behavioural change ----
    public int MaxConcurrentTaskOrchestrationWorkItems { get; }
    public int MaxConcurrentTaskActivityWorkItems { get; }

    // ---- IOrchestrationService (pure delegation) ----
    public int TaskOrchestrationDispatcherCount => this.inner.TaskOrchestrationDispatcherCount;
    public int TaskActivityDispatcherCount => this.inner.TaskActivityDispatcherCount;
    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => this.inner.EventBehaviourForContinueAsNew;
    public Task StartAsync() => this.inner.StartAsync();
    public Task StopAsync() => this.inner.StopAsync();
    public Task StopAsync(bool isForced) => this.inner.StopAsync(isForced);
    public Task CreateAsync() => this.inner.CreateAsync();
    public Task CreateAsync(bool recreateInstanceStore) => this.inner.CreateAsync(recreateInstanceStore);
    public Task CreateIfNotExistsAsync() => this.inner.CreateIfNotExistsAsync();
    public Task DeleteAsync() => this.inner.DeleteAsync();
    public Task DeleteAsync(bool deleteInstanceStore) => this.inner.DeleteAsync(deleteInstanceStore);
    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) => this.inner.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);
    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => this.inner.GetDelayInSecondsAfterOnProcessException(exception);
    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => this.inner.GetDelayInSecondsAfterOnFetchException(exception);
    public Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken) => this.inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);
    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => this.inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);
    public Task CompleteTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem, OrchestrationRuntimeState newOrchestrationRuntimeState, IList<TaskMessage> outboundMessages, IList<TaskMessage> orchestratorMessages, IList<TaskMessage> timerMessages, TaskMessage continuedAsNewMessage, OrchestrationState orchestrationState)
        => this.inner.CompleteTaskOrchestrationWorkItemAsync(workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);
    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => this.inner.AbandonTaskOrchestrationWorkItemAsync(workItem);
    public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => this.inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);
    public Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken) => this.inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);
    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => this.inner.RenewTaskActivityWorkItemLockAsync(workItem);
    public Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage) => this.inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);
    public Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem) => this.inner.AbandonTaskActivityWorkItemAsync(workItem);

    // ---- IOrchestrationServiceClient ----
    public Task CreateTaskOrchestrationAsync(TaskMessage creationMessage) => this.inner.CreateTaskOrchestrationAsync(creationMessage);
    public Task CreateTaskOrchestrationAsync(TaskMessage creationMessage, OrchestrationStatus[] dedupeStatuses) => this.inner.CreateTaskOrchestrationAsync(creationMessage, dedupeStatuses);
    public Task SendTaskOrchestrationMessageAsync(TaskMessage message) => this.inner.SendTaskOrchestrationMessageAsync(message);
    public Task SendTaskOrchestrationMessageBatchAsync(params TaskMessage[] messages) => this.inner.SendTaskOrchestrationMessageBatchAsync(messages);
    public Task<OrchestrationState> WaitForOrchestrationAsync(string instanceId, string executionId, TimeSpan timeout, CancellationToken cancellationToken) => this.inner.WaitForOrchestrationAsync(instanceId, executionId, timeout, cancellationToken);
    public Task ForceTerminateTaskOrchestrationAsync(string instanceId, string reason) => this.inner.ForceTerminateTaskOrchestrationAsync(instanceId, reason);
    public Task<IList<OrchestrationState>> GetOrchestrationStateAsync(string instanceId, bool allExecutions) => this.inner.GetOrchestrationStateAsync(instanceId, allExecutions);
    public Task<OrchestrationState> GetOrchestrationStateAsync(string instanceId, string executionId) => this.inner.GetOrchestrationStateAsync(instanceId, executionId);
    public Task<string> GetOrchestrationHistoryAsync(string instanceId, string executionId) => this.inner.GetOrchestrationHistoryAsync(instanceId, executionId);
    public Task PurgeOrchestrationHistoryAsync(DateTime thresholdDateTimeUtc, OrchestrationStateTimeRangeFilterType timeRangeFilterType) => this.inner.PurgeOrchestrationHistoryAsync(thresholdDateTimeUtc, timeRangeFilterType);

    // ---- IOrchestrationServiceQueryClient / IOrchestrationServicePurgeClient ----
    public Task<OrchestrationQueryResult> GetOrchestrationWithQueryAsync(OrchestrationQuery query, CancellationToken cancellationToken) => this.inner.GetOrchestrationWithQueryAsync(query, cancellationToken);
    public Task<PurgeResult> PurgeInstanceStateAsync(string instanceId) => this.inner.PurgeInstanceStateAsync(instanceId);
    public Task<PurgeResult> PurgeInstanceStateAsync(PurgeInstanceFilter purgeInstanceFilter) => this.inner.PurgeInstanceStateAsync(purgeInstanceFilter);
}
