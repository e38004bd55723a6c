using System.Security.Cryptography;
using Azure.Storage.Blobs;
using DurableTask.AzureStorage;
using Orders.Infrastructure.Durable;

namespace Orders.Durable.Tests;

/// <summary>
/// The storage these tests run on: Azurite, named by <c>ORDERS_AZURITE</c> (a connection string; <c>./test.sh</c>
/// starts Azurite and sets it to <c>UseDevelopmentStorage=true</c>). Without it the tests FAIL, never pass or skip:
/// a persistence test that did not run proves nothing.
/// </summary>
public static class Azurite
{
    public const string Variable = "ORDERS_AZURITE";

    public const string HowToRun =
        "These tests need Azurite (the Azure Storage emulator). Run ./test.sh, which installs Azurite 3.37.0 under .azurite/, " +
        "starts it and sets " + Variable + "; or start it yourself (npx azurite@3.37.0 --silent --inMemoryPersistence " +
        "--skipApiVersionCheck --loose --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1) and run with " +
        Variable + "=UseDevelopmentStorage=true.";

    private static readonly SemaphoreSlim ProbeGate = new(1, 1);
    private static bool _reachable;

    /// <summary>The connection string, after checking Azurite answers; fails the test with how to run it otherwise.</summary>
    public static async Task<string> ConnectionStringAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(connectionString)) Assert.Fail($"{Variable} is not set. {HowToRun}");

        await ProbeGate.WaitAsync();
        try
        {
            if (_reachable) return connectionString;
            var client = new BlobServiceClient(connectionString, new BlobClientOptions
            {
                Retry = { MaxRetries = 0, NetworkTimeout = TimeSpan.FromSeconds(5) },
            });
            try
            {
                await client.GetPropertiesAsync();
            }
            catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException or TaskCanceledException or OperationCanceledException or AggregateException)
            {
                Assert.Fail($"{Variable} is set, but its blob endpoint does not answer ({e.GetType().Name}: {e.Message}). {HowToRun}");
            }
            _reachable = true;
            return connectionString;
        }
        finally
        {
            ProbeGate.Release();
        }
    }

    /// <summary>A fresh task hub name: "t" and 16 hex digits (letters and digits only, as task hub names must be).</summary>
    public static string NewTaskHub() => "t" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>A backend on a fresh (or given) task hub, polling queues often: Azurite is local.</summary>
    public static async Task<DurableBackend> BackendAsync(string taskHub) =>
        DurableBackend.AzureStorage(await ConnectionStringAsync(), taskHub) with
        {
            MaxQueuePollingInterval = TimeSpan.FromMilliseconds(200),
            QueueVisibilityTimeout = TimeSpan.FromSeconds(20),
        };

    /// <summary>Deletes a task hub's tables, queues and containers (best effort: Azurite is thrown away anyway).</summary>
    public static async Task<string?> DeleteTaskHubAsync(string taskHub)
    {
        var connectionString = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(connectionString)) return null;
        using var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
            TaskHubName = taskHub,
            UseTablePartitionManagement = true,
        });
        try
        {
            await service.DeleteAsync().WaitAsync(TimeSpan.FromSeconds(20));
            return null;
        }
        catch (Exception e) when (e is Azure.RequestFailedException or TimeoutException or InvalidOperationException or AggregateException)
        {
            return $"task hub {taskHub} not deleted: {e.Message}";
        }
    }
}
