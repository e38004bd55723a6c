using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Orders.Application.Integration;
using Orders.Application.Ports.Outbound;
using Orders.Application.Reactions;
using Orders.Application.ReadModels;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;

namespace Orders.Application.Jobs;

/// <summary>
/// Compares each order with what should follow from it and repairs only what is safe to repeat:
/// <list type="number">
/// <item>History: the hash chain must verify. A broken chain (or a history that cannot be read at all) is reported,
/// flagged in the stuck-order log, and nothing else is done with the order (repairing views or sagas from a history
/// that lies would spread the lie); the run goes on with the other orders.</item>
/// <item>Read models: the detail, the buyer's list item and each seller's record must be at the order's version. A
/// view behind is re-projected from the stored order with the projector's own code (<see cref="OrderProjection"/>)
/// through the conditional puts, so it can never move a view backwards or race the projector into a wrong state. A
/// view ahead of the order, or at its version with a different last entry, is reported.</item>
/// <item>Sagas: a saga the order's state waits on that does not exist is started, by the reaction table's rule and
/// start (<see cref="OrderReactions.Restart"/>: the reaction to the fact that called for it did not happen or its saga
/// was lost; starts are idempotent by instance id); one that failed, or ended without moving the order, is reported (a failed saga needs a person).
/// A CREATED order past its payment deadline gets no new checkout: auto-cancel ends it.</item>
/// <item>Outbox relay: unpublished events older than <see cref="JobOptions.RelayLagTolerance"/> are reported. They are
/// not re-published from here: the relay owns the per-order publishing order, and a second publisher would let a
/// later event of an order overtake an earlier one.</item>
/// </list>
/// Missing views and sagas of an order changed within <see cref="JobOptions.SettleTime"/> are left to the normal
/// path. Bounded: at most <see cref="JobOptions.BatchSize"/> non-terminal orders per run, statuses taking turns, each
/// run moving on through each status's oldest <see cref="JobOptions.ScanLimit"/> orders (terminal orders are not
/// visited: the store lists them oldest first without end, so a bounded scan would see the same ones forever).
/// A rerun after the repairs reports <see cref="ReconcileReport.NothingToRepair"/>.
/// <para>
/// Besides, every run re-verifies the stored history of up to <see cref="JobOptions.HistoryVerifyBatchSize"/> more
/// orders, whatever their status (<see cref="OrderRotation"/>: closed, cancelled and split orders included), and
/// reports how many histories it verified (<see cref="ReconcileReport.Verified"/>). A broken one is reported and
/// flagged like any other.
/// </para>
/// </summary>
public sealed class ReconcileOrders
{
    private readonly OrderScan _scan;
    private readonly OrderRotation _rotation;
    private readonly IOrderStore _store;
    private readonly IReadModelStore _readModels;
    private readonly ISagaProgressReader _progress;
    private readonly ISagaScheduler _scheduler;
    private readonly IRelayMonitor _relay;
    private readonly IStuckOrderLog _stuck;
    private readonly TimeProvider _time;
    private readonly JobOptions _options;
    private readonly ILogger<ReconcileOrders> _logger;

    public ReconcileOrders(IOrderStore store, IReadModelStore readModels, ISagaProgressReader progress, ISagaScheduler scheduler,
        IRelayMonitor relay, IStuckOrderLog stuck, TimeProvider time, JobOptions options, ILogger<ReconcileOrders> logger,
        JobScanPositions? positions = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _readModels = readModels ?? throw new ArgumentNullException(nameof(readModels));
        _progress = progress ?? throw new ArgumentNullException(nameof(progress));
        _scheduler = scheduler ?? throw new ArgumentNullException(nameof(scheduler));
        _relay = relay ?? throw new ArgumentNullException(nameof(relay));
        _stuck = stuck ?? throw new ArgumentNullException(nameof(stuck));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Validated();
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        positions ??= new JobScanPositions();
        _scan = positions.Orders(JobSchedules.Reconcile.Job);
        _rotation = positions.Rotation(JobSchedules.Reconcile.Job);
    }

    public async Task<ReconcileReport> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var run = new Run(now, [], []);
        var (scan, more) = await _scan.NextAsync(_store, _options.BatchSize, _options.ScanLimit, cancellationToken).ConfigureAwait(false);
        var verified = new HashSet<OrderId>();
        var checkedCount = await ReconcileAllAsync(scan, run, verified, cancellationToken).ConfigureAwait(false);
        await VerifyInRotationAsync(run, verified, cancellationToken).ConfigureAwait(false);
        await CheckRelayAsync(run, cancellationToken).ConfigureAwait(false);
        return new ReconcileReport(now, checkedCount, more, run.Repaired, run.Reported) { Verified = verified.Count };
    }

    /// <summary>
    /// Start-up recovery, for an engine that lost its sagas (the local host's in-memory engine after a restart):
    /// every order in a non-terminal status at the call, each reconciled exactly once, a report per
    /// <see cref="JobOptions.BatchSize"/> orders. Unlike <see cref="RunOnceAsync"/>'s bounded walk, which sees only
    /// each status's oldest <see cref="JobOptions.ScanLimit"/>, meets an order that moves into a status behind it
    /// only on its next cycle, and never says it is done while a status holds more than the scan limit, this lists
    /// every such order first, so none is missed however the restarted sagas move the others meanwhile, and it ends
    /// however many there are.
    /// The list holds only summaries (an order id, status and times each). A cancelled order that still owes money
    /// back (a capture it never took, being refunded) is on it too: its refund saga was lost with the rest.
    /// Finding those reads the state of every cancelled order once. No rotation, no relay check: those are the
    /// periodic run's.
    /// </summary>
    public async IAsyncEnumerable<ReconcileReport> RecoverAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var all = new List<OrderSummary>(await _store.FindByStatusAsync(OrderScan.NonTerminal, int.MaxValue, cancellationToken).ConfigureAwait(false));
        foreach (var cancelled in await _store.FindByStatusAsync([OrderStatus.Cancelled], int.MaxValue, cancellationToken).ConfigureAwait(false))
        {
            var state = await _store.ReadStateAsync(cancelled.OrderId, cancellationToken).ConfigureAwait(false);
            if (state?.View.Refunds.Any(r => !r.IsCompleted) == true) all.Add(cancelled);
        }
        var verified = new HashSet<OrderId>();
        // One report at least, so an empty store still says it was checked.
        for (var start = 0; start == 0 || start < all.Count; start += _options.BatchSize)
        {
            var run = new Run(_time.GetUtcNow(), [], []);
            var page = all.GetRange(start, Math.Min(_options.BatchSize, all.Count - start));
            var checkedCount = await ReconcileAllAsync(page, run, verified, cancellationToken).ConfigureAwait(false);
            yield return new ReconcileReport(run.Now, checkedCount, start + _options.BatchSize < all.Count, run.Repaired, run.Reported)
            {
                Verified = checkedCount,
            };
        }
    }

    private async Task<int> ReconcileAllAsync(IEnumerable<OrderSummary> orders, Run run, HashSet<OrderId> verified, CancellationToken cancellationToken)
    {
        var checkedCount = 0;
        foreach (var summary in orders)
        {
            if (verified.Contains(summary.OrderId)) continue;
            var (order, broken) = await BrokenOrders.LoadAsync(_store, summary.OrderId, cancellationToken).ConfigureAwait(false);
            if (order is null && broken is null) continue;
            verified.Add(summary.OrderId);
            checkedCount++;
            if (broken is not null)
            {
                var finding = await BrokenOrders.FlagAsync(_stuck, summary.OrderId, summary.Status, summary.UpdatedAt, BrokenOrders.Kind(order),
                    broken, run.Now, cancellationToken).ConfigureAwait(false);
                Report(run, finding.OrderId, finding.Kind, finding.Detail);
                continue;
            }
            await ReconcileReadModelsAsync(order!, run, cancellationToken).ConfigureAwait(false);
            await ReconcileSagasAsync(order!, run, cancellationToken).ConfigureAwait(false);
        }
        return checkedCount;
    }

    /// <summary>The next orders of the rotation through every order: their histories verified, broken ones flagged.</summary>
    private async Task VerifyInRotationAsync(Run run, HashSet<OrderId> verified, CancellationToken cancellationToken)
    {
        foreach (var orderId in await _rotation.NextAsync(_store, _options.HistoryVerifyBatchSize, cancellationToken).ConfigureAwait(false))
        {
            if (verified.Contains(orderId)) continue;
            var (order, broken) = await BrokenOrders.LoadAsync(_store, orderId, cancellationToken).ConfigureAwait(false);
            if (order is null && broken is null) continue;
            verified.Add(orderId);
            if (broken is null) continue;
            var state = await _store.ReadStateAsync(orderId, cancellationToken).ConfigureAwait(false);
            var finding = await BrokenOrders.FlagAsync(_stuck, orderId, state?.View.Status ?? order?.Status ?? OrderStatus.Created,
                state?.UpdatedAt ?? run.Now, BrokenOrders.Kind(order), broken, run.Now, cancellationToken).ConfigureAwait(false);
            Report(run, finding.OrderId, finding.Kind, finding.Detail);
        }
    }

    private async Task ReconcileReadModelsAsync(Order order, Run run, CancellationToken cancellationToken)
    {
        var detail = await _readModels.GetDetailAsync(order.Id, cancellationToken).ConfigureAwait(false);
        var buyer = await _readModels.GetBuyerItemAsync(order.BuyerId, order.Id, cancellationToken).ConfigureAwait(false);
        var views = new List<(string View, long Sequence)> { ("detail", detail?.Sequence ?? 0), ("buyer list", buyer?.Version ?? 0) };
        foreach (var seller in order.Sellers)
        {
            var record = await _readModels.GetSellerItemAsync(seller, order.Id, cancellationToken).ConfigureAwait(false);
            views.Add(($"seller {seller}", record?.Sequence ?? 0));
        }

        if (views.FirstOrDefault(v => v.Sequence > order.Version) is { View: not null } ahead)
        {
            Report(run, order.Id, FindingKinds.ReadModelAhead, $"the {ahead.View} view is at {ahead.Sequence}, the order at {order.Version}");
            return;
        }
        var behind = views.Where(v => v.Sequence < order.Version).ToArray();
        if (behind.Length == 0)
        {
            if (detail!.Entries[^1].Hash != order.History[^1].Hash)
                Report(run, order.Id, FindingKinds.ReadModelDiverged, $"the detail view's entry {detail.Sequence} is not the order's");
            return;
        }
        if (!Settled(order.History[^1].At, run.Now)) return;

        // Exactly what the projector writes after folding the last entry; every put is conditional on being newer.
        await _readModels.PutDetailAsync(OrderProjection.Detail(order), cancellationToken).ConfigureAwait(false);
        await _readModels.PutBuyerItemAsync(OrderProjection.ListItem(order), cancellationToken).ConfigureAwait(false);
        foreach (var record in OrderProjection.SellerRecords(order))
            await _readModels.PutSellerItemAsync(record, cancellationToken).ConfigureAwait(false);
        Repair(run, order.Id, FindingKinds.Reprojected,
            string.Join(", ", behind.Select(v => $"{v.View} {v.Sequence}")) + $" brought to {order.Version}");
    }

    private async Task ReconcileSagasAsync(Order order, Run run, CancellationToken cancellationToken)
    {
        var expected = SagaExpectations.For(order);
        if (expected.Count == 0) return;
        var progress = await _progress.GetProgressAsync(order.Id, cancellationToken).ConfigureAwait(false);
        foreach (var saga in expected)
        {
            var (state, instance) = SagaExpectations.StateOf(saga, progress);
            switch (state)
            {
                case SagaState.Failed:
                    Report(run, order.Id, FindingKinds.SagaFailed, $"{saga.InstanceId} is {instance!.RuntimeStatus} at step {instance.Step ?? "unknown"}; a failed saga is not restarted");
                    break;
                case SagaState.Ended:
                    Report(run, order.Id, FindingKinds.SagaEnded, $"{saga.InstanceId} completed at step {instance!.Step ?? "unknown"} but the order is still {OrderStatusNames.Of(order.Status)}");
                    break;
                case SagaState.Missing when Settled(saga.ExpectedSince, run.Now):
                    await StartMissingAsync(order, saga, run, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }

    private async Task StartMissingAsync(Order order, ExpectedSaga saga, Run run, CancellationToken cancellationToken)
    {
        if (!saga.Restartable)
        {
            Report(run, order.Id, FindingKinds.SagaMissing, $"{saga.InstanceId} does not exist and cannot be restarted from {OrderStatusNames.Of(order.Status)}");
            return;
        }
        // The reaction table's rule and start (the same the change-feed pump runs for the fact that called for it).
        // Past its payment deadline a lost checkout is not restarted, even when the buyer's capture is kept (auto-cancel
        // then leaves the order alone): the restarted saga would give its payment wait no time and cancel the paid order
        // as "payment timed out". Detect-stuck flags it for a person (cancel-checkout returns the capture).
        var (start, whyNot) = OrderReactions.Restart(order, saga, run.Now);
        if (start is null)
        {
            Report(run, order.Id, FindingKinds.SagaMissing, $"{saga.InstanceId} does not exist and {whyNot}");
            return;
        }
        await OrderReactions.StartAsync(_scheduler, start, cancellationToken).ConfigureAwait(false);
        switch (saga.Saga)
        {
            case SagaNames.Checkout:
                Repair(run, order.Id, FindingKinds.CheckoutRestarted, $"{saga.InstanceId} did not exist");
                break;
            case SagaNames.Fulfillment:
                Repair(run, order.Id, FindingKinds.FulfillmentStarted, $"{saga.InstanceId} did not exist for a {order.Type} order in {OrderStatusNames.Of(order.Status)}");
                break;
            case SagaNames.Refund:
                Repair(run, order.Id, FindingKinds.RefundRestarted, $"{saga.InstanceId} did not exist for pending refund {saga.RefundId}");
                break;
        }
    }

    private async Task CheckRelayAsync(Run run, CancellationToken cancellationToken)
    {
        var lag = await _relay.GetLagAsync(cancellationToken).ConfigureAwait(false);
        if (lag.OldestPendingAt is { } oldest && oldest + _options.RelayLagTolerance < run.Now)
            Report(run, null, FindingKinds.RelayLag,
                $"{lag.Pending}{(lag.AtLeast ? " or more" : "")} events not yet published, the oldest stored at {oldest:O}");
    }

    private bool Settled(DateTimeOffset changedAt, DateTimeOffset now) => changedAt + _options.SettleTime <= now;

    private void Repair(Run run, OrderId orderId, string kind, string detail)
    {
        run.Repaired.Add(new JobFinding(orderId, kind, detail));
        JobLog.Repaired(_logger, orderId.Value, kind, detail);
    }

    private void Report(Run run, OrderId? orderId, string kind, string detail)
    {
        run.Reported.Add(new JobFinding(orderId, kind, detail));
        JobLog.Reported(_logger, orderId?.Value, kind, detail);
    }

    private sealed record Run(DateTimeOffset Now, List<JobFinding> Repaired, List<JobFinding> Reported);
}
