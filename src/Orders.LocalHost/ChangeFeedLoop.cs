using Orders.Application.Outbox;
using Orders.Application.Ports.Outbound;

namespace Orders.LocalHost;

/// <summary>
/// The local host's change feed: it runs the same <see cref="ChangeFeedPump"/> as the function app's timer (relay,
/// read models, the reaction table's compensation and parked-answer lanes; its saga-start lane runs in
/// <see cref="SagaStartLoop"/>), then the progress log, whenever the order store commits
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

/// <summary>
/// The reaction table's saga-start lane in a loop of its own, woken by each commit of a fact that may start a saga
/// (<see cref="SignallingOrderStore"/>) and at the latest every <see cref="LocalSettings.PumpInterval"/>; the change-feed
/// loop's pump skips that lane here. A new order's checkout starts as soon as it is committed, never behind a pass of
/// relay and projections. The same <see cref="ChangeFeedPump"/> and <see cref="Orders.Application.Reactions.OrderReactions"/>
/// as the function app's timer; only the scheduling differs. Decision 0026.
/// </summary>
public sealed partial class SagaStartLoop(ChangeFeedPump pump, LocalSettings settings, SagaStartSignal signal, ILogger<SagaStartLoop> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await pump.RunSagaStartsAsync(stoppingToken).ConfigureAwait(false);
                await signal.Changes.WaitAsync(settings.PumpInterval, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // a failing run must not stop the loop; the lane resumes from its checkpoint
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogRunFailed(logger, e);
                try
                {
                    await signal.Changes.WaitAsync(settings.PumpInterval, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Starting the sagas of new facts failed; the saga-start lane resumes from its checkpoint")]
    private static partial void LogRunFailed(ILogger logger, Exception exception);
}

/// <summary>The commit signal of <see cref="SagaStartLoop"/> (a follower of the change-feed loop's).</summary>
public sealed record SagaStartSignal(ChangeSignal Changes);

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
