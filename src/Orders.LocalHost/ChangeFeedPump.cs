using Orders.Application.Ports.Outbound;
using Orders.Application.ReadModels;

namespace Orders.LocalHost;

/// <summary>
/// The local host's change feed: every <see cref="LocalSettings.PumpInterval"/> it drains the store's ordered change
/// log into the read models, the outbound relay and the progress log, each a consumer with its own checkpoint.
/// The function app does the same from a timer trigger over the Cosmos DB change feed.
/// </summary>
public sealed partial class ChangeFeedPump(
    IEnumerable<IChangeConsumer> consumers,
    LocalSettings settings,
    TimeProvider clock,
    ILogger<ChangeFeedPump> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.PumpInterval, clock);
        do
        {
            foreach (var consumer in consumers)
            {
                try
                {
                    while (await consumer.RunOnceAsync(stoppingToken).ConfigureAwait(false) > 0) { }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // a failing consumer must not stop the others; it retries on the next tick from its checkpoint
                catch (Exception e)
#pragma warning restore CA1031
                {
                    LogConsumerFailed(logger, consumer.Name, e);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Change-feed consumer {Consumer} failed; it resumes from its checkpoint")]
    private static partial void LogConsumerFailed(ILogger logger, string consumer, Exception exception);
}

/// <summary>One reader of the change log: runs one batch, returns how many events it handled.</summary>
public interface IChangeConsumer
{
    string Name { get; }

    Task<int> RunOnceAsync(CancellationToken cancellationToken);
}

public sealed class ProjectionConsumer(OrderProjector projector, TimeProvider clock) : IChangeConsumer
{
    public string Name => "read-models";

    public Task<int> RunOnceAsync(CancellationToken cancellationToken) => projector.RunOnceAsync(500, clock.GetUtcNow(), cancellationToken);
}

/// <summary>Writes one structured line per fact: the order's progress, readable in the console as it happens.</summary>
public sealed partial class ProgressLogConsumer(IOrderChangeLog changeLog, ILogger<ProgressLogConsumer> logger) : IChangeConsumer
{
    public string Name => "progress-log";

    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var batch = await changeLog.ReadAsync(Name, 500, cancellationToken).ConfigureAwait(false);
        foreach (var stored in batch.Events)
        {
            var entry = stored.Entry;
            LogProgress(logger, stored.OrderId.Value, entry.Sequence, entry.Event.Type, entry.From?.ToString() ?? "-", entry.To.ToString(), entry.Reason, entry.Actor.ToString());
        }
        if (batch.Events.Count > 0) await changeLog.CommitAsync(Name, batch.Checkpoint, cancellationToken).ConfigureAwait(false);
        return batch.Events.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "order {OrderId} #{Sequence} {EventType}: {From} -> {To} ({Reason}) by {Actor}")]
    private static partial void LogProgress(ILogger logger, string orderId, long sequence, string eventType, string from, string to, string reason, string actor);
}
