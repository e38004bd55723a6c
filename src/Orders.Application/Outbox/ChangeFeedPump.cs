using Microsoft.Extensions.Logging;
using Orders.Application.Reactions;
using Orders.Application.ReadModels;

namespace Orders.Application.Outbox;

/// <summary>What one pump run did.</summary>
/// <param name="Relayed">Events published to the order-events topic.</param>
/// <param name="RelayLag">How long the oldest relayed event had waited (null: nothing relayed).</param>
/// <param name="Projected">Events the read-model projector read.</param>
/// <param name="Compensated">Events the compensation lane of the reaction table read.</param>
/// <param name="Replayed">Events the parked-answer lane of the reaction table read.</param>
/// <param name="SagaStarts">Events the saga-start lane of the reaction table read.</param>
public sealed record ChangeFeedPumpReport(int Relayed, TimeSpan? RelayLag, int Projected, int Compensated, int Replayed = 0, int SagaStarts = 0)
{
    public string Summary =>
        $"change feed: saga-start lane read {SagaStarts}, relayed {Relayed}{(RelayLag is { } lag ? $" (oldest waited {lag})" : "")}, projected {Projected}, compensation lane read {Compensated}, parked-answer lane read {Replayed}";
}

/// <summary>
/// One tick of the change feed, the same in both hosts (the function app's timer, the local host's loop): the reaction
/// table (<see cref="OrderReactions"/>) starts the sagas new facts call for (first: they move orders on); the outbox
/// relay publishes what was committed; the projector folds it into the read models; the table's other lanes give back
/// what cancelled orders held and apply the answers that came before the fact they waited for. Each reads the change
/// log (the Cosmos DB change feed in Azure) as its own consumer with its own checkpoint, so none waits for another. A failure of one consumer does not stop the
/// others; the run then fails with every error (the failed consumer reads the same events again next tick).
/// Bounded per tick: at most <see cref="MaxBatches"/> batches of <see cref="BatchSize"/> events per consumer, so a
/// backlog drains over several ticks instead of outliving the function timeout. Runs must not overlap: the timer
/// trigger holds a singleton lock; the local host runs one loop (and, with <c>runsSagaStarts</c> false, the saga-start
/// lane in a loop of its own, <see cref="RunSagaStartsAsync"/>, so a new order's saga never waits behind a projection).
/// </summary>
public sealed partial class ChangeFeedPump(
    OutboxRelay relay,
    TimeProvider time,
    ILogger<ChangeFeedPump> logger,
    OrderProjector projector,
    OrderReactions reactions,
    bool runsSagaStarts = true)
{
    public const int BatchSize = 100;
    public const int MaxBatches = 20;

    public async Task<ChangeFeedPumpReport> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var failures = new List<Exception>();
        var started = runsSagaStarts ? await RunLaneAsync(ReactionLane.SagaStarts, failures, cancellationToken) : 0;
        var relayed = await RunAsync(OutboxRelay.Consumer, () => relay.RunUntilCaughtUpAsync(BatchSize, MaxBatches, cancellationToken), failures)
            ?? RelayReport.Idle;
        var projected = await RunAsync(projector.Consumer, () => DrainAsync(max => projector.RunOnceAsync(max, time.GetUtcNow(), cancellationToken)), failures);
        var compensated = await RunLaneAsync(ReactionLane.Compensation, failures, cancellationToken);
        var replayed = await RunLaneAsync(ReactionLane.ParkedAnswers, failures, cancellationToken);

        if (failures.Count > 0) throw new AggregateException("The change feed pump failed; the failed consumer reads the same events again next run.", failures);
        return new ChangeFeedPumpReport(relayed.Relayed, relayed.OldestAge, projected, compensated, replayed, started);
    }

    /// <summary>The saga-start lane alone, drained as in <see cref="RunOnceAsync"/>: for a host that runs it in its own loop.</summary>
    public Task<int> RunSagaStartsAsync(CancellationToken cancellationToken = default) =>
        DrainAsync(max => reactions.RunOnceAsync(ReactionLane.SagaStarts, max, cancellationToken));

    private Task<int> RunLaneAsync(ReactionLane lane, List<Exception> failures, CancellationToken cancellationToken) =>
        RunAsync(OrderReactions.ConsumerOf(lane), () => DrainAsync(max => reactions.RunOnceAsync(lane, max, cancellationToken)), failures);

    private async Task<T?> RunAsync<T>(string consumer, Func<Task<T>> run, List<Exception> failures)
    {
        try
        {
            return await run();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogConsumerFailed(logger, consumer, e);
            failures.Add(e);
            return default;
        }
    }

    private static async Task<int> DrainAsync(Func<int, Task<int>> runOnce)
    {
        var total = 0;
        for (var i = 0; i < MaxBatches; i++)
        {
            var read = await runOnce(BatchSize);
            total += read;
            if (read < BatchSize) break;
        }
        return total;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Change feed consumer {Consumer} failed; it resumes from its checkpoint next run")]
    private static partial void LogConsumerFailed(ILogger logger, string consumer, Exception exception);
}
