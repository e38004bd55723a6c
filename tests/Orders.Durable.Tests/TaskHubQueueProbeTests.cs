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

        // Three starts and no worker: each is one ExecutionStarted message in its instance's control queue.
        var client = new TaskHubClient(service);
        for (var i = 0; i < 3; i++) await client.CreateOrchestrationInstanceAsync("NeverRun", "", $"probe-{i}", null);

        var backlog = await probe.MeasureAsync();

        Assert.Equal(3, backlog.Waiting);
        Assert.InRange(backlog.OldestWait, TimeSpan.Zero, TimeSpan.FromMinutes(1));
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
