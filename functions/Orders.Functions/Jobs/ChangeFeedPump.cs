using Microsoft.Extensions.Logging;
using Orders.Application.Outbox;
using Orders.Application.ReadModels;

namespace Orders.Functions.Jobs;

/// <summary>What one pump run did.</summary>
/// <param name="Relayed">Events published to the order-events topic.</param>
/// <param name="RelayLag">How long the oldest relayed event had waited (null: nothing relayed).</param>
/// <param name="Projected">Events read by the read-model projector; null when the app has no read-model store.</param>
public sealed record ChangeFeedPumpReport(int Relayed, TimeSpan? RelayLag, int? Projected)
{
    public string Summary =>
        $"change feed: relayed {Relayed}{(RelayLag is { } lag ? $" (oldest waited {lag})" : "")}, " +
        (Projected is { } projected ? $"projected {projected}" : "not projected (no read-model store)");
}

/// <summary>
/// One tick of the change feed: the outbox relay publishes what was committed, then the projector (when the app has a
/// read-model store) folds it into the read models. Each reads the Cosmos DB change feed as its own consumer with its
/// own checkpoint, so neither waits for the other; a failure of one does not stop the other, and the run then fails
/// with both errors (the failed consumer's events come again next tick). Bounded per tick: at most
/// <see cref="MaxBatches"/> batches of <see cref="BatchSize"/> events per consumer, so a backlog drains over several
/// ticks instead of outliving the function timeout. Runs never overlap: the timer trigger holds a singleton lock.
/// </summary>
public sealed partial class ChangeFeedPump(OutboxRelay relay, TimeProvider time, ILogger<ChangeFeedPump> logger, OrderProjector? projector = null)
{
    public const int BatchSize = 100;
    public const int MaxBatches = 20;

    public bool Projects => projector is not null;

    public async Task<ChangeFeedPumpReport> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var failures = new List<Exception>();
        RelayReport relayed = RelayReport.Idle;
        int? projected = null;
        try
        {
            relayed = await relay.RunUntilCaughtUpAsync(BatchSize, MaxBatches, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogConsumerFailed(logger, OutboxRelay.Consumer, e);
            failures.Add(e);
        }

        if (projector is not null)
        {
            try
            {
                projected = await ProjectAsync(projector, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogConsumerFailed(logger, projector.Consumer, e);
                failures.Add(e);
            }
        }

        if (failures.Count > 0) throw new AggregateException("The change feed pump failed; the failed consumer reads the same events again next run.", failures);
        return new ChangeFeedPumpReport(relayed.Relayed, relayed.OldestAge, projected);
    }

    private async Task<int> ProjectAsync(OrderProjector readModels, CancellationToken cancellationToken)
    {
        var total = 0;
        for (var i = 0; i < MaxBatches; i++)
        {
            var read = await readModels.RunOnceAsync(BatchSize, time.GetUtcNow(), cancellationToken);
            total += read;
            if (read < BatchSize) break;
        }
        return total;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Change feed consumer {Consumer} failed; it resumes from its checkpoint next run")]
    private static partial void LogConsumerFailed(ILogger logger, string consumer, Exception exception);
}
