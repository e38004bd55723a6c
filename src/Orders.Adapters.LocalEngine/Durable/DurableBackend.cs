using System.Text.RegularExpressions;

namespace Orders.Infrastructure.Durable;

/// <summary>
/// Where the in-process engine keeps its orchestrations: in memory (the default; lost on restart) or in an Azure
/// Storage account through Durable Task's Azure Storage backend (<c>Microsoft.Azure.DurableTask.AzureStorage</c>,
/// the Durable Functions default), e.g. Azurite on a laptop (<c>UseDevelopmentStorage=true</c>). On Azure Storage
/// orchestrations, their timers and the events raised to them survive an engine restart.
/// </summary>
public sealed partial record DurableBackend
{
    /// <summary>The task hub the local host uses when none is configured.</summary>
    public const string DefaultTaskHub = "OrdersLocal";

    /// <summary>The in-memory orchestration service (the engine's default).</summary>
    public static DurableBackend InMemory { get; } = new();

    /// <summary>A storage connection string; null or empty means the in-memory engine.</summary>
    public string? AzureStorageConnectionString { get; init; }

    /// <summary>
    /// Groups the task hub's storage resources (tables <c>{hub}Instances</c>/<c>{hub}History</c>, queues
    /// <c>{hub}-control-NN</c>/<c>{hub}-workitems</c>, containers <c>{hub}-leases</c>/<c>{hub}-largemessages</c>):
    /// 3–45 letters and digits, starting with a letter. Engines on the same hub share its orchestrations.
    /// </summary>
    public string TaskHubName { get; init; } = DefaultTaskHub;

    /// <summary>Azure Storage only: concurrent orchestration and activity work items on this engine (each cap).</summary>
    public int MaxConcurrentWorkItems { get; init; } = 100;

    /// <summary>
    /// Azure Storage only: the longest an idle queue goes unpolled (the backend backs off up to this; its default is
    /// 30 s, far too slow for a laptop; Azurite is local, so polling it often costs nothing).
    /// </summary>
    public TimeSpan MaxQueuePollingInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Azure Storage only: control-queue partitions (the backend's default, 4; host.json <c>partitionCount</c>).</summary>
    public int PartitionCount { get; init; } = 4;

    /// <summary>Azure Storage only: messages fetched from a control queue at once (the backend's default, 32; host.json <c>controlQueueBatchSize</c>).</summary>
    public int ControlQueueBatchSize { get; init; } = 32;

    /// <summary>
    /// Azure Storage only: how long a dequeued message stays invisible. A message taken by an engine that then died
    /// comes back after this (the backend's default is 5 minutes).
    /// </summary>
    public TimeSpan QueueVisibilityTimeout { get; init; } = TimeSpan.FromMinutes(1);

    public bool IsAzureStorage => !string.IsNullOrWhiteSpace(AzureStorageConnectionString);

    /// <summary>The Azure Storage backend on a connection string and task hub (checked here).</summary>
    public static DurableBackend AzureStorage(string connectionString, string? taskHubName = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var backend = new DurableBackend
        {
            AzureStorageConnectionString = connectionString,
            TaskHubName = string.IsNullOrWhiteSpace(taskHubName) ? DefaultTaskHub : taskHubName.Trim(),
        };
        backend.Validate();
        return backend;
    }

    /// <summary>
    /// From the local host's settings (<c>Orders:Durable:AzureStorage</c>, <c>Orders:Durable:TaskHub</c>): no
    /// connection string means the in-memory engine; an empty task hub means <see cref="DefaultTaskHub"/>.
    /// </summary>
    public static DurableBackend FromSettings(string? azureStorageConnectionString, string? taskHubName) =>
        string.IsNullOrWhiteSpace(azureStorageConnectionString) ? InMemory : AzureStorage(azureStorageConnectionString, taskHubName);

    /// <summary>3–45 letters and digits, starting with a letter (what every storage resource name derived from it allows).</summary>
    public static bool IsValidTaskHubName(string? name) => name is not null && TaskHubNamePattern().IsMatch(name);

    /// <summary>Throws <see cref="ArgumentException"/> with the reason when the settings cannot work.</summary>
    public void Validate()
    {
        if (!IsAzureStorage) return;
        if (!IsValidTaskHubName(TaskHubName))
            throw new ArgumentException($"The task hub name '{TaskHubName}' is not valid: use 3–45 letters and digits, starting with a letter.", nameof(TaskHubName));
        if (MaxConcurrentWorkItems < 1)
            throw new ArgumentException($"{nameof(MaxConcurrentWorkItems)} must be at least 1.", nameof(MaxConcurrentWorkItems));
        if (PartitionCount is < 1 or > 16)
            throw new ArgumentException($"{nameof(PartitionCount)} must be 1 to 16.", nameof(PartitionCount));
        if (ControlQueueBatchSize is < 1 or > 32)
            throw new ArgumentException($"{nameof(ControlQueueBatchSize)} must be 1 to 32.", nameof(ControlQueueBatchSize));
        if (MaxQueuePollingInterval <= TimeSpan.Zero)
            throw new ArgumentException($"{nameof(MaxQueuePollingInterval)} must be more than zero.", nameof(MaxQueuePollingInterval));
        if (QueueVisibilityTimeout < TimeSpan.FromSeconds(1))
            throw new ArgumentException($"{nameof(QueueVisibilityTimeout)} must be at least one second.", nameof(QueueVisibilityTimeout));
    }

    /// <summary>Never prints the connection string (it may hold an account key).</summary>
    public override string ToString() => IsAzureStorage ? $"Azure Storage (task hub {TaskHubName})" : "in memory";

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,44}$", RegexOptions.CultureInvariant)]
    private static partial Regex TaskHubNamePattern();
}
