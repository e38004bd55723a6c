using DurableTask.Core;
using DurableTask.Core.History;
using DurableTask.Core.Query;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using CoreQuery = DurableTask.Core.Query.OrchestrationQuery;
using CorePurgeFilter = DurableTask.Core.PurgeInstanceFilter;
using ClientQuery = Microsoft.DurableTask.Client.OrchestrationQuery;
using PurgeResult = Microsoft.DurableTask.Client.PurgeResult;

namespace Orders.Infrastructure.Durable.Direct;

/// <summary>
/// A <see cref="DurableTaskClient"/> straight over a Durable Task Core orchestration service client in this process:
/// what the sidecar's gRPC server does with each client call (decision 0029), without the protobuf and HTTP/2 between.
/// Starting an instance builds the same <see cref="ExecutionStartedEvent"/> message the sidecar builds; raising an
/// event, terminating, suspending and resuming send the same messages; reads map Core's <see cref="OrchestrationState"/>
/// to <see cref="OrchestrationMetadata"/> (inputs, outputs and custom status only when asked for, as over gRPC).
/// <para>
/// Not offered (each throws <see cref="NotSupportedException"/> with the reason, like the in-memory service the
/// sidecar wraps): rewinding, restarting by id, reading an instance's raw history, and entities. Orders uses none.
/// </para>
/// </summary>
internal sealed class DirectDurableTaskClient : DurableTaskClient
{
    private readonly IOrchestrationServiceClient _client;
    private readonly IOrchestrationServiceQueryClient? _queries;
    private readonly IOrchestrationServicePurgeClient? _purges;
    private readonly DataConverter _converter;

    public DirectDurableTaskClient(string name, IOrchestrationServiceClient client, DataConverter converter)
        : base(name)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _queries = client as IOrchestrationServiceQueryClient;
        _purges = client as IOrchestrationServicePurgeClient;
        _converter = converter ?? throw new ArgumentNullException(nameof(converter));
    }

    public override async Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null,
        StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        cancellation.ThrowIfCancellationRequested();
        var instance = new OrchestrationInstance
        {
            InstanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N"),
            ExecutionId = Guid.NewGuid().ToString(),
        };
        var started = new ExecutionStartedEvent(-1, _converter.Serialize(input))
        {
            Name = orchestratorName.Name,
            Version = options?.Version?.ToString(),
            OrchestrationInstance = instance,
            Tags = options?.Tags is { } tags ? tags.ToDictionary(t => t.Key, t => t.Value) : [],
            ScheduledStartTime = options?.StartAt?.UtcDateTime,
        };
        // Core's statuses have the same names and numbers as the client's (Running 0 … Suspended 7). None given (null):
        // no status refuses the start, so a start replaces a finished instance, as through the sidecar.
        var dedupe = options?.DedupeStatuses?.Select(s => Enum.Parse<OrchestrationStatus>(s, ignoreCase: true)).ToArray();
        await _client.CreateTaskOrchestrationAsync(new TaskMessage { Event = started, OrchestrationInstance = instance }, dedupe!).ConfigureAwait(false);
        return instance.InstanceId;
    }

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        cancellation.ThrowIfCancellationRequested();
        return _client.SendTaskOrchestrationMessageAsync(new TaskMessage
        {
            Event = new EventRaisedEvent(-1, _converter.Serialize(eventPayload)) { Name = eventName },
            OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId },
        });
    }

    public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        cancellation.ThrowIfCancellationRequested();
        return _client.ForceTerminateTaskOrchestrationAsync(instanceId, _converter.Serialize(options?.Output));
    }

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        SendAsync(instanceId, new ExecutionSuspendedEvent(-1, reason), cancellation);

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        SendAsync(instanceId, new ExecutionResumedEvent(-1, reason), cancellation);

    private Task SendAsync(string instanceId, HistoryEvent message, CancellationToken cancellation)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        cancellation.ThrowIfCancellationRequested();
        return _client.SendTaskOrchestrationMessageAsync(new TaskMessage { Event = message, OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId } });
    }

    public override async Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        cancellation.ThrowIfCancellationRequested();
        var state = await _client.GetOrchestrationStateAsync(instanceId, executionId: null).ConfigureAwait(false);
        return state is null ? null : ToMetadata(state, getInputsAndOutputs);
    }

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(ClientQuery? filter = null)
    {
        var queries = _queries ?? throw new NotSupportedException($"{_client.GetType().Name} does not answer instance queries.");
        return Pageable.Create(async (continuation, pageSize, cancellation) =>
        {
            var query = new CoreQuery
            {
                RuntimeStatus = filter?.Statuses?.Select(s => (OrchestrationStatus)s).ToList(),
                CreatedTimeFrom = filter?.CreatedFrom?.UtcDateTime,
                CreatedTimeTo = filter?.CreatedTo?.UtcDateTime,
                TaskHubNames = filter?.TaskHubNames?.ToList(),
                PageSize = pageSize ?? filter?.PageSize ?? ClientQuery.DefaultPageSize,
                ContinuationToken = continuation ?? filter?.ContinuationToken,
                InstanceIdPrefix = filter?.InstanceIdPrefix,
                FetchInputsAndOutputs = filter?.FetchInputsAndOutputs ?? false,
            };
            var result = await queries.GetOrchestrationWithQueryAsync(query, cancellation).ConfigureAwait(false);
            var page = result.OrchestrationState.Select(s => ToMetadata(s, query.FetchInputsAndOutputs)).ToList();
            return new Page<OrchestrationMetadata>(page, result.ContinuationToken);
        });
    }

    public override async Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        // Core's client can wait for completion but not for a start: poll, briefly (the in-memory store answers at once).
        while (true)
        {
            if (await GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation).ConfigureAwait(false) is { RuntimeStatus: not OrchestrationRuntimeStatus.Pending } metadata)
                return metadata;
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellation).ConfigureAwait(false);
        }
    }

    public override async Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        // An infinite timeout: the service waits until the instance completes or the caller cancels.
        var state = await _client.WaitForOrchestrationAsync(instanceId, executionId: null!, Timeout.InfiniteTimeSpan, cancellation).ConfigureAwait(false);
        cancellation.ThrowIfCancellationRequested();
        return ToMetadata(state ?? throw new InvalidOperationException($"The orchestration '{instanceId}' does not exist."), getInputsAndOutputs);
    }

    public override async Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        cancellation.ThrowIfCancellationRequested();
        var purges = _purges ?? throw new NotSupportedException($"{_client.GetType().Name} does not purge instances.");
        var result = await purges.PurgeInstanceStateAsync(instanceId).ConfigureAwait(false);
        return new PurgeResult(result.DeletedInstanceCount);
    }

    public override async Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        cancellation.ThrowIfCancellationRequested();
        var purges = _purges ?? throw new NotSupportedException($"{_client.GetType().Name} does not purge instances.");
        var coreFilter = new CorePurgeFilter(filter.CreatedFrom?.UtcDateTime ?? DateTime.MinValue, filter.CreatedTo?.UtcDateTime,
            filter.Statuses?.Select(s => (OrchestrationStatus)s));
        var result = await purges.PurgeInstanceStateAsync(coreFilter).ConfigureAwait(false);
        return new PurgeResult(result.DeletedInstanceCount);
    }

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private OrchestrationMetadata ToMetadata(OrchestrationState state, bool withPayloads) =>
        new(state.Name, state.OrchestrationInstance.InstanceId)
        {
            RuntimeStatus = (OrchestrationRuntimeStatus)state.OrchestrationStatus,
            CreatedAt = Utc(state.CreatedTime),
            LastUpdatedAt = Utc(state.LastUpdatedTime),
            SerializedInput = withPayloads ? state.Input : null,
            SerializedOutput = withPayloads ? state.Output : null,
            SerializedCustomStatus = withPayloads ? state.Status : null,
            FailureDetails = withPayloads ? Failure(state.FailureDetails) : null, // as documented: fetched with the outputs
            Tags = state.Tags is { } tags ? new Dictionary<string, string>(tags) : new Dictionary<string, string>(),
            DataConverter = _converter,
        };

    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));

    private static TaskFailureDetails? Failure(FailureDetails? details) => details is null ? null :
        new TaskFailureDetails(details.ErrorType, details.ErrorMessage, details.StackTrace, Failure(details.InnerFailure), details.Properties);
}
