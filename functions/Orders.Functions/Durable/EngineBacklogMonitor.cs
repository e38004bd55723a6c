using Orders.Application.Admission;
using System.Text.Json;
using Microsoft.Extensions.Hosting;

namespace Orders.Functions.Durable;

/// <summary>
/// Measures the task hub's queues for <see cref="EngineBacklogAdmission"/> every
/// <see cref="EngineBacklogLimits.Interval"/> while the worker runs: once at start, then on a timer. Each instance of
/// the app measures for itself; they all read the same queues.
/// </summary>
public sealed class EngineBacklogMonitor(EngineBacklogAdmission admission, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(admission.Limits.Interval, time);
        try
        {
            do
            {
                await admission.RefreshAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // the worker stops
        }
    }

    /// <summary>
    /// The task hub's partition count as the app's host.json gives it to the Durable extension
    /// (<c>extensions.durableTask.storageProvider.partitionCount</c>; the backend's default, 4, when absent).
    /// </summary>
    public static int PartitionCount(string hostJsonPath)
    {
        const int backendDefault = 4;
        if (!File.Exists(hostJsonPath)) return backendDefault;
        using var document = JsonDocument.Parse(File.ReadAllText(hostJsonPath), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return document.RootElement.TryGetProperty("extensions", out var extensions)
               && extensions.TryGetProperty("durableTask", out var durable)
               && durable.TryGetProperty("storageProvider", out var provider)
               && provider.TryGetProperty("partitionCount", out var count)
               && count.TryGetInt32(out var partitions)
            ? partitions
            : backendDefault;
    }
}
