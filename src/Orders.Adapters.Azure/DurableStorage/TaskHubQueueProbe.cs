using Azure;
using Azure.Core;
using Azure.Identity;
using System.Text.Json;
using Azure.Storage.Queues;
using Orders.Application.Ports.Outbound;

namespace Orders.Infrastructure.DurableStorage;

/// <summary>
/// Measures the backlog of a Durable Functions task hub on Azure Storage from its queues: the control queues
/// (<c>{hub}-control-00</c> … one per partition: starts, external events, timers, activity results) and the work-item
/// queue (<c>{hub}-workitems</c>: activities), named as DurableTask.AzureStorage names them (lower-cased hub name).
/// <para>
/// Only messages that are due count. A durable timer (and a scheduled start) is a message the backend puts in a control
/// queue with a visibility delay until it fires; every running saga keeps one or two, for minutes or days. The
/// queue's approximate message count includes them, so it is not read. A peek returns visible messages only: up to
/// <see cref="PeekLimit"/> per queue are counted, and each one's wait is measured from when it became due, not from
/// when it was inserted (a timer that fired just now was inserted when it was set: its <c>FireAt</c>, or a scheduled
/// start's <c>ScheduledStartTime</c>, is in the message). Messages being processed are invisible and not counted; a
/// queue that does not exist yet (a task hub not created) is empty.
/// </para>
/// <para>
/// The same account and identity as the Functions host's <c>AzureWebJobsStorage</c>: a connection string, or the
/// identity-based form (<c>AzureWebJobsStorage__accountName</c> or <c>__queueServiceUri</c>, with a managed identity).
/// The app's identity has Storage Queue Data Contributor on the account (infra/modules/roles.bicep), which covers a
/// peek. One request per queue per measurement.
/// </para>
/// </summary>
public sealed class TaskHubQueueProbe : IEngineBacklogProbe
{
    /// <summary>The most messages one peek returns (the storage service's limit).</summary>
    public const int PeekLimit = 32;

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
        var each = await Task.WhenAll(_queues.Select(q => DueSinceAsync(q, cancellationToken))).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var due = each.SelectMany(d => d).ToList();
        var oldest = due.Count > 0 ? due.Min() : now;
        return new EngineBacklog(due.Count, oldest < now ? now - oldest : TimeSpan.Zero);
    }

    /// <summary>When each visible message of the queue became due (at most <see cref="PeekLimit"/>).</summary>
    private static async Task<DateTimeOffset[]> DueSinceAsync(QueueClient queue, CancellationToken cancellationToken)
    {
        try
        {
            var peeked = await queue.PeekMessagesAsync(PeekLimit, cancellationToken).ConfigureAwait(false);
            return [.. peeked.Value.Where(m => m.InsertedOn is not null).Select(m => DueAt(m.Body, m.InsertedOn!.Value))];
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return []; // the task hub has not created this queue (yet)
        }
    }

    /// <summary>
    /// When a message became due: its timer's <c>FireAt</c> or its scheduled start's <c>ScheduledStartTime</c> when later
    /// than its insertion (DurableTask.AzureStorage's message JSON: <c>TaskMessage.Event</c>), else its insertion.
    /// </summary>
    public static DateTimeOffset DueAt(BinaryData body, DateTimeOffset insertedOn)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            using var message = JsonDocument.Parse(body.ToMemory());
            if (message.RootElement.ValueKind == JsonValueKind.Object
                && message.RootElement.TryGetProperty("TaskMessage", out var task) && task.ValueKind == JsonValueKind.Object
                && task.TryGetProperty("Event", out var history) && history.ValueKind == JsonValueKind.Object)
                foreach (var name in (string[])["FireAt", "ScheduledStartTime"])
                    if (history.TryGetProperty(name, out var at) && at.ValueKind == JsonValueKind.String && at.TryGetDateTimeOffset(out var due) && due > insertedOn)
                        return due;
        }
        catch (JsonException)
        {
            // not JSON we know (a compressed large message, another writer's message): its insertion is the best guess
        }
        return insertedOn;
    }

    /// <summary>
    /// The queue service of the Functions host's storage: <paramref name="connectionString"/> when there is one (Azurite,
    /// or a key-based account), else <paramref name="queueServiceUri"/> or the account name's queue endpoint with a
    /// managed identity (<paramref name="clientId"/> for a user-assigned one).
    /// </summary>
    public static QueueServiceClient Client(string? connectionString, string? accountName, Uri? queueServiceUri, string? clientId)
    {
        // A short timeout and few retries: the admission loop measures again in seconds, and a stale figure is not acted on.
        var options = new QueueClientOptions { Retry = { MaxRetries = 1, NetworkTimeout = TimeSpan.FromSeconds(5) } };
        if (!string.IsNullOrWhiteSpace(connectionString)) return new QueueServiceClient(connectionString, options);
        var uri = queueServiceUri
            ?? (string.IsNullOrWhiteSpace(accountName) ? null : new Uri($"https://{accountName}.queue.core.windows.net"))
            ?? throw new InvalidOperationException("The storage account is not named: set AzureWebJobsStorage (a connection string) or AzureWebJobsStorage__accountName.");
        TokenCredential credential = string.IsNullOrWhiteSpace(clientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
        return new QueueServiceClient(uri, credential, options);
    }
}
