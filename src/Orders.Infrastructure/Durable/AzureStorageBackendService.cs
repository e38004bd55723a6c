using DurableTask.AzureStorage;
using DurableTask.Core;
using DurableTask.Core.Query;

namespace Orders.Infrastructure.Durable;

/// <summary>
/// Thin decorator over <see cref="AzureStorageOrchestrationService"/> for the sidecar (<c>TaskHubGrpcServer</c>).
/// Everything is delegated; what it adds:
/// <list type="bullet">
/// <item>Start and stop happen once each, and a stop can be awaited. The sidecar stops its dispatchers and the
/// service from a fire-and-forget <c>ApplicationStopping</c> callback, so without this nothing waits for the service to
/// drain and release its partition leases before the engine's disposal returns (a new engine on the same task hub
/// would then find the partitions still owned). The engine awaits <see cref="StopAsync(bool)"/> when disposed; the
/// sidecar's own call gets the same task.</item>
/// <item>It states the query and purge interfaces explicitly: the sidecar checks <c>client is
/// IOrchestrationServiceQueryClient</c> / <c>is IOrchestrationServicePurgeClient</c> (GetAllInstances, purge).
/// The Azure Storage service implements both (version 2.11.2), so they are delegated.</item>
/// </list>
/// </summary>
internal sealed class AzureStorageBackendService :
    IOrchestrationService,
    IOrchestrationServiceClient,
    IOrchestrationServiceQueryClient,
    IOrchestrationServicePurgeClient,
    IDisposable
{
    private readonly AzureStorageOrchestrationService inner;
    private readonly Lock gate = new();
    private Task? started;
    private Task? stopped;

    public AzureStorageBackendService(AzureStorageOrchestrationService inner) =>
        this.inner = inner ?? throw new ArgumentNullException(nameof(inner));

    public AzureStorageOrchestrationService Inner => this.inner;

    // ---- lifecycle: once each ----
    public Task StartAsync()
    {
        lock (this.gate)
        {
            if (this.stopped is not null) throw new InvalidOperationException("The Azure Storage orchestration service was stopped; start a new engine.");
            return this.started ??= this.inner.StartAsync();
        }
    }

    public Task StopAsync() => this.StopAsync(isForced: false);

    public Task StopAsync(bool isForced)
    {
        lock (this.gate)
        {
            // Never started (no worker ever connected): nothing runs and no lease is held.
            if (this.started is null) return this.stopped ??= Task.CompletedTask;
            return this.stopped ??= StopStartedAsync(this.started, isForced);
        }
    }

    private async Task StopStartedAsync(Task start, bool isForced)
    {
        try
        {
            await start.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // a start that failed left nothing to stop; its error was reported to whoever started it
        catch (Exception)
#pragma warning restore CA1031
        {
            return;
        }
        await this.inner.StopAsync(isForced).ConfigureAwait(false);
    }

    public void Dispose() => this.inner.Dispose();

    // ---- IOrchestrationService (pure delegation) ----
    public int MaxConcurrentTaskOrchestrationWorkItems => this.inner.MaxConcurrentTaskOrchestrationWorkItems;
    public int MaxConcurrentTaskActivityWorkItems => this.inner.MaxConcurrentTaskActivityWorkItems;
    public int TaskOrchestrationDispatcherCount => this.inner.TaskOrchestrationDispatcherCount;
    public int TaskActivityDispatcherCount => this.inner.TaskActivityDispatcherCount;
    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => this.inner.EventBehaviourForContinueAsNew;
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
    public Task<OrchestrationState?> WaitForOrchestrationAsync(string instanceId, string executionId, TimeSpan timeout, CancellationToken cancellationToken) => this.inner.WaitForOrchestrationAsync(instanceId, executionId, timeout, cancellationToken);
    public Task ForceTerminateTaskOrchestrationAsync(string instanceId, string reason) => this.inner.ForceTerminateTaskOrchestrationAsync(instanceId, reason);
    public Task<IList<OrchestrationState>> GetOrchestrationStateAsync(string instanceId, bool allExecutions) => this.inner.GetOrchestrationStateAsync(instanceId, allExecutions);
    public Task<OrchestrationState> GetOrchestrationStateAsync(string instanceId, string executionId) => this.inner.GetOrchestrationStateAsync(instanceId, executionId);
    public Task<string> GetOrchestrationHistoryAsync(string instanceId, string executionId) => this.inner.GetOrchestrationHistoryAsync(instanceId, executionId);
    public Task PurgeOrchestrationHistoryAsync(DateTime thresholdDateTimeUtc, OrchestrationStateTimeRangeFilterType timeRangeFilterType) => this.inner.PurgeOrchestrationHistoryAsync(thresholdDateTimeUtc, timeRangeFilterType);

    // ---- IOrchestrationServiceQueryClient / IOrchestrationServicePurgeClient ----
    public Task<OrchestrationQueryResult> GetOrchestrationWithQueryAsync(OrchestrationQuery query, CancellationToken cancellationToken) =>
        ((IOrchestrationServiceQueryClient)this.inner).GetOrchestrationWithQueryAsync(query, cancellationToken);
    public Task<PurgeResult> PurgeInstanceStateAsync(string instanceId) => ((IOrchestrationServicePurgeClient)this.inner).PurgeInstanceStateAsync(instanceId);
    public Task<PurgeResult> PurgeInstanceStateAsync(PurgeInstanceFilter purgeInstanceFilter) => ((IOrchestrationServicePurgeClient)this.inner).PurgeInstanceStateAsync(purgeInstanceFilter);
}
