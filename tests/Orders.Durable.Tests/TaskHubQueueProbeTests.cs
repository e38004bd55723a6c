using Azure.Storage.Queues;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Orders.Application.Ports.Outbound;
using Orders.Infrastructure.DurableStorage;

namespace Orders.Durable.Tests;

/// <summary>
/// The function app's probe of its task hub's queues (decision 0040), against a task hub DurableTask.AzureStorage
/// itself created on Azurite: the probe reads the queues the backend made, and counts the orchestration starts
/// waiting in them while no worker runs. Needs <c>ORDERS_AZURITE</c> (./test.sh sets it); fails without it.
/// </summary>
public sealed class TaskHubQueueProbeTests : IAsyncLifetime
{
    private readonly string _taskHub = Azurite.NewTaskHub();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Azurite.DeleteTaskHubAsync(_taskHub);

    [Fact]
    public async Task ReadsTheQueuesTheBackendCreated_AndCountsTheStartsWaitingInThem()
    {
        var connectionString = await Azurite.ConnectionStringAsync();
        using var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
            TaskHubName = _taskHub,
            PartitionCount = 3,
            UseTablePartitionManagement = true,
        });
        await service.CreateIfNotExistsAsync();
        var queues = new QueueServiceClient(connectionString);
        var probe = new TaskHubQueueProbe(queues, _taskHub, partitionCount: 3);

        var created = new List<string>();
        await foreach (var queue in queues.GetQueuesAsync(prefix: _taskHub.ToLowerInvariant())) created.Add(queue.Name);
        Assert.Equal(created.Order(StringComparer.Ordinal), probe.QueueNames.Order(StringComparer.Ordinal));
        Assert.Equal(EngineBacklog.Empty, await probe.MeasureAsync());

        // Three starts and no worker: each is one ExecutionStarted message in its instance's control queue. A start
        // scheduled an hour ahead is a message too, invisible until then, like every saga's pending durable timer: it
        // is not work waiting for the engine, and is not counted.
        var client = new TaskHubClient(service);
        for (var i = 0; i < 3; i++) await client.CreateOrchestrationInstanceAsync("NeverRun", "", $"probe-{i}", null);
        await client.CreateScheduledOrchestrationInstanceAsync("NeverRun", "", "probe-later", null, DateTime.UtcNow.AddHours(1));

        var backlog = await probe.MeasureAsync();

        Assert.Equal(3, backlog.Waiting);
        Assert.InRange(backlog.OldestWait, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        var approximate = 0L;
        foreach (var name in probe.QueueNames) approximate += (await queues.GetQueueClient(name).GetPropertiesAsync()).Value.ApproximateMessagesCountLong;
        Assert.Equal(4, approximate); // what the queues' own count would have said
    }

    [Fact]
    public void ATimerThatFiredJustNow_HasWaitedSinceItFired_NotSinceItWasSet()
    {
        // The shape of a timer message as the backend wrote it to a control queue (peeked on Azurite, trimmed).
        var set = new DateTimeOffset(2026, 12, 7, 19, 10, 4, TimeSpan.Zero);
        var body = BinaryData.FromString("""
            {"$type":"DurableTask.AzureStorage.MessageData","ActivityId":"877b8449-4db1-4560-9656-96c2a6236c99",
             "TaskMessage":{"$type":"DurableTask.Core.TaskMessage","Event":{"$type":"DurableTask.Core.History.TimerFiredEvent",
               "EventType":11,"TimerId":2,"FireAt":"2026-12-07T19:10:34.0246179Z","EventId":-1,"IsPlayed":false},
               "OrchestrationInstance":{"InstanceId":"checkout-ord-1","ExecutionId":"e1"}},"SequenceNumber":7,"Episode":2}
            """);

        Assert.Equal(new DateTimeOffset(2026, 12, 7, 19, 10, 34, TimeSpan.Zero).AddTicks(246179), TaskHubQueueProbe.DueAt(body, set));
        // Any other message was due when it was inserted, and so is one that cannot be read.
        Assert.Equal(set, TaskHubQueueProbe.DueAt(BinaryData.FromString("""{"TaskMessage":{"Event":{"EventType":0}}}"""), set));
        Assert.Equal(set, TaskHubQueueProbe.DueAt(BinaryData.FromString("H4sIAAAAAAAA"), set));
        Assert.Equal(set, TaskHubQueueProbe.DueAt(BinaryData.FromString("""{"TaskMessage":{"Event":{"FireAt":"2026-12-07T19:00:00Z"}}}"""), set));
    }

    [Fact]
    public async Task ATaskHubNotCreatedYet_IsAnEmptyBacklog()
    {
        var probe = new TaskHubQueueProbe(new QueueServiceClient(await Azurite.ConnectionStringAsync()), _taskHub, partitionCount: 4);

        Assert.Equal(EngineBacklog.Empty, await probe.MeasureAsync());
    }

    [Fact]
    public void NamesTheQueuesAsTheBackendDoes()
    {
        Assert.Equal(["orders-control-00", "orders-control-01", "orders-workitems"], TaskHubQueueProbe.Names("Orders", 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => TaskHubQueueProbe.Names("Orders", 0));
    }
}
