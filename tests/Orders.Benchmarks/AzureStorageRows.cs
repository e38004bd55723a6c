using System.Globalization;
using Orders.Infrastructure.Durable;

namespace Orders.Benchmarks;

/// <summary>
/// The Azure Storage backend tunings the benchmark compares: each is a <see cref="DurableBackend"/> (what the trivial
/// floor runs on, in this process) and the same values as the local host's <c>Orders:Durable:*</c> settings.
/// </summary>
internal sealed record AzureStorageRows(string Key, string Name, DurableBackend Tuning)
{
    public static readonly AzureStorageRows[] All =
    [
        new("default", "backend defaults (maxQueuePollingInterval 30 s)", new DurableBackend { MaxQueuePollingInterval = TimeSpan.FromSeconds(30) }),
        new("local", "the local host's settings (100 ms, 4 partitions)", new DurableBackend()),
        // Tried, not chosen (decision record 0027): one partition halves the idle polling, but a task hub's partition
        // count cannot change once created (a local hub made with 4 would strand its messages).
        new("p1", "1 partition, 100 ms polling", new DurableBackend { PartitionCount = 1 }),
        new("p4-1s", "4 partitions, 1 s polling (host.json)", new DurableBackend { MaxQueuePollingInterval = TimeSpan.FromSeconds(1) }),
    ];

    public DurableBackend Backend(string connectionString) => DurableBackend.AzureStorage(connectionString) with
    {
        MaxQueuePollingInterval = Tuning.MaxQueuePollingInterval,
        PartitionCount = Tuning.PartitionCount,
        ControlQueueBatchSize = Tuning.ControlQueueBatchSize,
        MaxConcurrentWorkItems = Tuning.MaxConcurrentWorkItems,
    };

    public string[] HostSettings() =>
    [
        $"--Orders:Durable:MaxQueuePollingInterval={Tuning.MaxQueuePollingInterval.ToString("c", CultureInfo.InvariantCulture)}",
        $"--Orders:Durable:PartitionCount={Tuning.PartitionCount}",
        $"--Orders:Durable:ControlQueueBatchSize={Tuning.ControlQueueBatchSize}",
        $"--Orders:Durable:MaxConcurrentWorkItems={Tuning.MaxConcurrentWorkItems}",
    ];
}
