using Microsoft.Extensions.Logging;
using Orders.Application.Ports.Outbound;
using Orders.Domain.ValueObjects;

namespace Orders.Application.Jobs;

/// <summary>
/// Finds orders that stopped moving: past their state's service level, or whose saga failed, is missing or ended
/// without moving them. Each is recorded in the <see cref="IStuckOrderLog"/> and announced once with the structured
/// log event <c>OrderStuck</c> (again only if the reason changes); an order that moved on is unflagged
/// (<c>OrderUnstuck</c>). It never changes an order: a stuck order needs a decision, and reconcile repairs the
/// little that is safe to repair.
/// <para>
/// Each run first re-checks up to <see cref="JobOptions.BatchSize"/> flagged orders (the next ones each run), then checks
/// the orders of refund sagas that failed within <see cref="JobOptions.FailedRefundLookback"/> and are not flagged yet
/// (the engine is asked: a cancelled order can still owe a refund, and the scan does not visit cancelled orders), then
/// scans up to <see cref="JobOptions.BatchSize"/> non-terminal orders, statuses taking turns, each run moving on
/// through each status's oldest <see cref="JobOptions.ScanLimit"/> orders.
/// </para>
/// </summary>
public sealed class DetectStuckOrders
{
    private readonly OrderScan _scan;
    private readonly KeysetWalk<StuckOrder> _flaggedWalk;
    private readonly IOrderStore _store;
    private readonly ISagaProgressReader _sagas;
    private readonly IStuckOrderLog _stuck;
    private readonly IInbox _inbox;
    private readonly TimeProvider _time;
    private readonly JobOptions _options;
    private readonly ILogger<DetectStuckOrders> _logger;

    public DetectStuckOrders(IOrderStore store, ISagaProgressReader sagas, IStuckOrderLog stuck, IInbox inbox, TimeProvider time, JobOptions options,
        ILogger<DetectStuckOrders> logger, JobScanPositions? positions = null)
    {
        _inbox = inbox ?? throw new ArgumentNullException(nameof(inbox));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _sagas = sagas ?? throw new ArgumentNullException(nameof(sagas));
        _stuck = stuck ?? throw new ArgumentNullException(nameof(stuck));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Validated();
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        positions ??= new JobScanPositions();
        _scan = positions.Orders(JobSchedules.DetectStuck.Job);
        _flaggedWalk = positions.Flagged(JobSchedules.DetectStuck.Job);
    }

    public async Task<StuckOrdersReport> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var seen = new HashSet<OrderId>();
        var flagged = new List<StuckOrder>();
        var stillStuck = new List<StuckOrder>();
        var unflagged = new List<OrderId>();

        var (recheck, moreFlagged) = await FlaggedToRecheckAsync(cancellationToken).ConfigureAwait(false);
        foreach (var entry in recheck)
        {
            seen.Add(entry.OrderId);
            await CheckAsync(entry.OrderId, entry, null, now, flagged, stillStuck, unflagged, cancellationToken).ConfigureAwait(false);
        }

        // A cancelled order can still owe a refund (a capture it never took), and the walks visit non-terminal
        // orders only: a failed refund saga is found from the engine. One flagged already is the flagged walk's, and
        // one that failed longer ago than the lookback was flagged then (flags persist until the order is fine).
        var since = now - _options.FailedRefundLookback;
        foreach (var orderId in await _sagas.FindOrdersWithFailedRefundsAsync(since, _options.ScanLimit, cancellationToken).ConfigureAwait(false))
        {
            if (seen.Contains(orderId) || await _stuck.GetAsync(orderId, cancellationToken).ConfigureAwait(false) is not null) continue;
            seen.Add(orderId);
            await CheckAsync(orderId, null, null, now, flagged, stillStuck, unflagged, cancellationToken).ConfigureAwait(false);
        }

        var (scan, more) = await _scan.NextAsync(_store, _options.BatchSize, _options.ScanLimit, cancellationToken).ConfigureAwait(false);
        foreach (var summary in scan.Where(s => seen.Add(s.OrderId)))
        {
            var existing = await _stuck.GetAsync(summary.OrderId, cancellationToken).ConfigureAwait(false);
            await CheckAsync(summary.OrderId, existing, summary, now, flagged, stillStuck, unflagged, cancellationToken).ConfigureAwait(false);
        }
        // A run sees a batch, not every order: the gauge is what this run found flagged (the log holds the full list).
        Telemetry.OrdersTelemetry.StuckOrders.Record(flagged.Count + stillStuck.Count);
        return new StuckOrdersReport(now, seen.Count, more || moreFlagged, flagged, stillStuck, unflagged);
    }

    /// <summary>
    /// The next batch of flagged orders, moving on from run to run like the order scan, so that every flagged order
    /// is re-checked in time, including those that ended (which the scan of non-terminal orders no longer sees).
    /// </summary>
    private async Task<(IReadOnlyList<StuckOrder> Batch, bool MoreRemaining)> FlaggedToRecheckAsync(CancellationToken cancellationToken)
    {
        var list = await _stuck.ListAsync(_flaggedWalk.ReadCount(_options.BatchSize, _options.ScanLimit), cancellationToken).ConfigureAwait(false);
        var start = _flaggedWalk.Start(list, _options.ScanLimit);
        var batch = list.Skip(start).Take(Math.Min(_options.BatchSize, Math.Min(list.Count, _options.ScanLimit) - start)).ToArray();
        var remaining = _flaggedWalk.MoveTo(list, start, batch.Length, _options.ScanLimit);
        return (batch, remaining || list.Count > _options.ScanLimit);
    }

    /// <summary>
    /// Judges one order. A broken history comes first and holds whatever the status (even a terminal one): such an
    /// order is flagged <see cref="StuckReasons.HistoryBroken"/> and nothing else is asked of it.
    /// </summary>
    private async Task CheckAsync(OrderId orderId, StuckOrder? existing, OrderSummary? summary, DateTimeOffset now,
        List<StuckOrder> flagged, List<StuckOrder> stillStuck, List<OrderId> unflagged, CancellationToken cancellationToken)
    {
        var (order, broken) = await BrokenOrders.LoadAsync(_store, orderId, cancellationToken).ConfigureAwait(false);
        var verdict = broken is not null
            ? new StuckOrder(orderId, summary?.Status ?? existing?.Status ?? order!.Status,
                summary?.UpdatedAt ?? existing?.Since ?? order!.History[^1].At, StuckReasons.HistoryBroken, broken, now)
            : order is null || (order.IsTerminal && !order.PendingRefunds.Any())
                ? null
                : StuckOrderRules.Evaluate(order, await _sagas.GetProgressAsync(orderId, cancellationToken).ConfigureAwait(false), now, _options);

        if (verdict is null && existing?.Reason == StuckReasons.AnswerCannotApply && order is not null
            && (await _inbox.ParkedForAsync(orderId.Value, cancellationToken).ConfigureAwait(false)).Count > 0)
        {
            // An answer that can never apply is still kept (money to return): the order stays flagged, whatever its state.
            stillStuck.Add(existing);
            return;
        }

        if (verdict is null)
        {
            if (existing is not null && await _stuck.UnflagAsync(orderId, cancellationToken).ConfigureAwait(false))
            {
                unflagged.Add(orderId);
                JobLog.OrderUnstuck(_logger, orderId.Value, (order is null ? "missing" : OrderStatusNames.Of(order.Status)));
            }
            return;
        }

        if (existing is not null && existing.Status == verdict.Status && existing.Reason == verdict.Reason
            && (verdict.Reason != StuckReasons.HistoryBroken || existing.Detail == verdict.Detail))
        {
            // Same problem as before: keep when it was first seen, and announce nothing new.
            var kept = verdict with { DetectedAt = existing.DetectedAt };
            if (kept != existing) await _stuck.FlagAsync(kept, cancellationToken).ConfigureAwait(false);
            stillStuck.Add(kept);
            return;
        }

        await _stuck.FlagAsync(verdict, cancellationToken).ConfigureAwait(false);
        flagged.Add(verdict);
        JobLog.OrderStuck(_logger, orderId.Value, OrderStatusNames.Of(verdict.Status), verdict.Reason, verdict.Detail, verdict.Since);
    }
}
