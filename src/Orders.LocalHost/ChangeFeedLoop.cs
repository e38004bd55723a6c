using Orders.Application.Outbox;
using Orders.Application.Ports.Outbound;

namespace Orders.LocalHost;

/// <summary>
/// The local host's change feed: it runs the same <see cref="ChangeFeedPump"/> as the function app's timer (relay,
/// read models, cancellation compensator, parked answers), then the progress log, whenever the order store commits
/// (<see cref="ChangeSignal"/>), and at the latest every <see cref="LocalSettings.PumpInterval"/> (for changes that
/// did not come through this process's store). A failed pass is logged; each consumer resumes from its own
/// checkpoint on the next one.
/// </summary>
public sealed partial class ChangeFeedLoop(
    ChangeFeedPump pump,
    ProgressLogConsumer progress,
    LocalSettings settings,
    ChangeSignal changes,
    ILogger<ChangeFeedLoop> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await pump.RunOnceAsync(stoppingToken).ConfigureAwait(false);
                while (await progress.RunOnceAsync(stoppingToken).ConfigureAwait(false) > 0) { }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // a failing tick must not stop the loop; every consumer retries from its checkpoint
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogTickFailed(logger, e);
            }
            try
            {
                await changes.WaitAsync(settings.PumpInterval, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A change-feed tick failed; its consumers resume from their checkpoints")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);
}

/// <summary>Writes one structured line per fact: the order's progress, readable in the console as it happens.</summary>
public sealed partial class ProgressLogConsumer(IOrderChangeLog changeLog, ILogger<ProgressLogConsumer> logger)
{
    public const string Consumer = "progress-log";

    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var batch = await changeLog.ReadAsync(Consumer, 500, cancellationToken).ConfigureAwait(false);
        foreach (var stored in batch.Events)
        {
            var entry = stored.Entry;
            LogProgress(logger, stored.OrderId.Value, entry.Sequence, entry.Event.Type, entry.From?.ToString() ?? "-", entry.To.ToString(), entry.Reason, entry.Actor.ToString());
        }
        if (batch.Events.Count > 0) await changeLog.CommitAsync(Consumer, batch.Checkpoint, cancellationToken).ConfigureAwait(false);
        return batch.Events.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "order {OrderId} #{Sequence} {EventType}: {From} -> {To} ({Reason}) by {Actor}")]
    private static partial void LogProgress(ILogger logger, string orderId, long sequence, string eventType, string from, string to, string reason, string actor);
}
