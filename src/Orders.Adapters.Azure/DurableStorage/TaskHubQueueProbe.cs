using Azure;
using Azure.Core;
using Azure.Identity;
using Azure.Storage.Queues;
using Orders.Application.Ports.Outbound;

namespace Orders.Infrastructure.DurableStorage;

/// <summary>
/// Measures the backlog of a Durable Functions task hub on Azure Storage from its queues: the control queues
/// (<c>{hub}-control-00</c> … one per partition: starts, external events, timers, activity results) and the work-item
/// queue (<c>{hub}-workitems</c>: activities), named as DurableTask.AzureStorage names them (lower-cased hub name).
/// Per queue, two reads: its properties (the approximate message count) and a peek at its first visible message
/// (when it was inserted). Messages being processed are invisible and not counted; a message the engine put back with
/// a delay keeps its insertion time. A queue that does not exist yet (a task hub not created) counts as empty.
/// <para>
/// The same account and identity as the Functions host's <c>AzureWebJobsStorage</c>: a connection string, or the
/// identity-based form (<c>AzureWebJobsStorage__accountName</c> or <c>__queueServiceUri</c>, with a managed identity).
/// The app's identity has Storage Queue Data Contributor on the account (infra/modules/roles.bicep), which covers both
/// reads.
/// </para>
/// </summary>
public sealed class TaskHubQueueProbe : IEngineBacklogProbe
{
    private readonly QueueClient[] _queues;
    private readonly TimeProvider _time;

    public TaskHubQueueProbe(QueueServiceClient service, string taskHub, int partitionCount, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        QueueNames = Names(taskHub, partitionCount);
        _queues = [.. QueueNames.Select(service.GetQueueClient)];
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The queues read, control queues first.</summary>
    public IReadOnlyList<string> QueueNames { get; }

    /// <summary>The task hub's queue names as DurableTask.AzureStorage gives them.</summary>
    public static IReadOnlyList<string> Names(string taskHub, int partitionCount)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(taskHub);
        if (partitionCount is < 1 or > 16) throw new ArgumentOutOfRangeException(nameof(partitionCount), partitionCount, "A task hub has 1 to 16 partitions.");
        var hub = taskHub.ToLowerInvariant();
        return [.. Enumerable.Range(0, partitionCount).Select(i => $"{hub}-control-{i:00}"), $"{hub}-workitems"];
    }

    public async Task<EngineBacklog> MeasureAsync(CancellationToken cancellationToken = default)
    {
        var each = await Task.WhenAll(_queues.Select(q => MeasureAsync(q, cancellationToken))).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var oldest = each.Where(e => e.Oldest is not null).Select(e => e.Oldest!.Value).DefaultIfEmpty(now).Min();
        return new EngineBacklog(each.Sum(e => e.Count), oldest < now ? now - oldest : TimeSpan.Zero);
    }

    private static async Task<(long Count, DateTimeOffset? Oldest)> MeasureAsync(QueueClient queue, CancellationToken cancellationToken)
    {
        try
        {
            var properties = await queue.GetPropertiesAsync(cancellationToken).ConfigureAwait(false);
            var peeked = await queue.PeekMessagesAsync(1, cancellationToken).ConfigureAwait(false);
            return (properties.Value.ApproximateMessagesCountLong, peeked.Value.Length > 0 ? peeked.Value[0].InsertedOn : null);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return (0, null); // the task hub has not created this queue (yet)
        }
    }

    /// <summary>
    /// The queue service of the Functions host's storage: <paramref name="connectionString"/> when there is one (Azurite,
    /// or a key-based account), else <paramref name="queueServiceUri"/> or the account name's queue endpoint with a
    /// managed identity (<paramref name="clientId"/> for a user-assigned one).
    /// </summary>
    public static QueueServiceClient Client(string? connectionString, string? accountName, Uri? queueServiceUri, string? clientId, TokenCredential? credential = null)
    {
        // A short timeout and few retries: the admission loop measures again in seconds, and a stale figure is not acted on.
        var options = new QueueClientOptions { Retry = { MaxRetries = 1, NetworkTimeout = TimeSpan.FromSeconds(5) } };
        if (!string.IsNullOrWhiteSpace(connectionString)) return new QueueServiceClient(connectionString, options);
        var uri = queueServiceUri
            ?? (string.IsNullOrWhiteSpace(accountName) ? null : new Uri($"https://{accountName}.queue.core.windows.net"))
            ?? throw new InvalidOperationException("The storage account is not named: set AzureWebJobsStorage (a connection string) or AzureWebJobsStorage__accountName.");
        credential ??= string.IsNullOrWhiteSpace(clientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
        return new QueueServiceClient(uri, credential, options);
    }
}
