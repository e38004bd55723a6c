using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Orders.Application.Access;
using Orders.Application.Integration;
using Orders.Application.Ports.Outbound;
using Orders.Application.UseCases.Commands;
using Orders.Domain.ValueObjects;

namespace Orders.Application.Jobs;

/// <summary>
/// Cancels orders whose payment deadline (<c>PaymentDueBy</c>, fixed at creation) has passed unpaid: every CREATED
/// order, and every CONFIRMED prepaid order (authorised, never captured). A CONFIRMED cash-on-delivery order is not
/// unpaid: it pays at the door, so it is left alone. Cancelling goes through <see cref="CancelOrder"/> like any other
/// cancel, so the domain re-checks the rules and the checkout saga, finding its confirmation refused, compensates.
/// <para>
/// Never cancels an order whose payment was captured:
/// <list type="bullet">
/// <item>before it cancels, it applies the answers parked for the order
/// (<see cref="IntegrationEventHandler.ReplayParkedAsync"/>): a capture kept for a CONFIRMED order pays it now;</item>
/// <item>a capture kept for an order still CREATED cannot apply yet (it pays the order once the checkout saga records
/// the confirmation). The buyer has paid, so the order is left alone and reported in
/// <see cref="AutoCancelReport.PaidAwaitingConfirmation"/>, not cancelled as unpaid; such orders do not count against
/// the batch. A checkout that never confirms, or that the engine lost (reconcile does not restart one past its
/// deadline: its payment wait would get no time), is detect-stuck's to flag for a person;</item>
/// <item>it cancels only the order as it scanned it (its version): one that moved in between (confirmed, paid) is
/// refused with <c>order.version-mismatch</c> and looked at again on the next run.</item>
/// </list>
/// A capture that arrives while the cancellation commits can no longer pay the order: it is returned through the refund
/// saga and the history says when it was captured (<see cref="IntegrationEventHandler"/>).
/// </para>
/// <para>
/// Idempotent: the causation id and idempotency key are <c>auto-cancel:{orderId}</c> and the reason is fixed by the
/// deadline, so a rerun is an exact replay; a cancelled order is no longer scanned at all. An order whose stored history is broken is
/// reported, flagged (<see cref="BrokenOrders"/>) and skipped: nothing is appended to a history that lies. Bounded: at most
/// <see cref="JobOptions.BatchSize"/> cancels and <see cref="JobOptions.ScanLimit"/> confirmed orders read per run.
/// </para>
/// </summary>
public sealed class AutoCancelUnpaidOrders
{
    public const string Component = "auto-cancel";

    private readonly IOrderStore _store;
    private readonly CancelOrder _cancel;
    private readonly IntegrationEventHandler _answers;
    private readonly IStuckOrderLog _stuck;
    private readonly TimeProvider _time;
    private readonly JobOptions _options;
    private readonly ILogger<AutoCancelUnpaidOrders> _logger;

    // An order's type never changes, so a confirmed COD order seen once need not be loaded again on the next runs.
    private readonly ConcurrentDictionary<OrderId, byte> _knownCashOnDelivery = new();

    public AutoCancelUnpaidOrders(IOrderStore store, CancelOrder cancel, IntegrationEventHandler answers, IStuckOrderLog stuck, TimeProvider time,
        JobOptions options, ILogger<AutoCancelUnpaidOrders> logger)
    {
        _answers = answers ?? throw new ArgumentNullException(nameof(answers));
        _stuck = stuck ?? throw new ArgumentNullException(nameof(stuck));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _cancel = cancel ?? throw new ArgumentNullException(nameof(cancel));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Validated();
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    public async Task<AutoCancelReport> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var cancelled = new List<OrderId>();
        var refused = new List<JobFinding>();
        var skipped = new List<JobFinding>();
        var paidAwaiting = new List<JobFinding>();
        var skippedCod = 0;
        var checkedCount = 0;
        var more = false;

        // Oldest first. Deadlines are not in creation order (payment windows differ), hence a scan beyond the batch.
        var candidates = new List<OrderSummary>();
        foreach (var status in (OrderStatus[])[OrderStatus.Created, OrderStatus.Confirmed])
        {
            var found = await _store.FindByStatusAsync([status], _options.ScanLimit, cancellationToken).ConfigureAwait(false);
            more |= found.Count >= _options.ScanLimit;
            candidates.AddRange(found.Where(o => o.PaymentDueBy < now));
        }

        foreach (var summary in candidates)
        {
            // Orders left alone because they are paid do not count: they would otherwise fill every batch, oldest first,
            // while confirmations run late, and no other overdue order would be cancelled (the scan bounds the run).
            if (cancelled.Count + refused.Count + skipped.Count == _options.BatchSize)
            {
                more = true;
                break;
            }
            if (summary.Status == OrderStatus.Confirmed)
            {
                // CONFIRMED: only prepaid orders are unpaid; the summary has no type, so the order is loaded (once).
                if (_knownCashOnDelivery.ContainsKey(summary.OrderId))
                {
                    skippedCod++;
                    continue;
                }
                var (order, broken) = await BrokenOrders.LoadAsync(_store, summary.OrderId, cancellationToken).ConfigureAwait(false);
                if (broken is not null)
                {
                    checkedCount++;
                    skipped.Add(await SkipAsync(summary, BrokenOrders.Kind(order), broken, now, cancellationToken).ConfigureAwait(false));
                    continue;
                }
                if (order?.Type == OrderType.CashOnDelivery)
                {
                    Remember(summary.OrderId);
                    skippedCod++;
                    continue;
                }
            }
            checkedCount++;
            await CancelAsync(summary, now, cancelled, refused, skipped, paidAwaiting, cancellationToken).ConfigureAwait(false);
        }
        return new AutoCancelReport(now, checkedCount + skippedCod, more, cancelled, refused, skippedCod, skipped) { PaidAwaitingConfirmation = paidAwaiting };
    }

    private async Task<JobFinding> SkipAsync(OrderSummary summary, string kind, string detail, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var finding = await BrokenOrders.FlagAsync(_stuck, summary.OrderId, summary.Status, summary.UpdatedAt, kind, detail, now, cancellationToken)
            .ConfigureAwait(false);
        JobLog.OrderSkipped(_logger, JobSchedules.AutoCancelUnpaid.Job, summary.OrderId.Value, kind, detail);
        return finding;
    }

    private async Task CancelAsync(OrderSummary order, DateTimeOffset now, List<OrderId> cancelled, List<JobFinding> refused,
        List<JobFinding> skipped, List<JobFinding> paidAwaiting, CancellationToken cancellationToken)
    {
        var version = order.Version;
        if (await _answers.ReplayParkedAsync(order.OrderId.Value, cancellationToken).ConfigureAwait(false) > 0)
        {
            // An answer that came early (a capture) applied now: the order was paid, or moved on. Look again next run.
            var reloaded = await _store.ReadStateAsync(order.OrderId, cancellationToken).ConfigureAwait(false);
            if (reloaded is null || reloaded.View.Status != order.Status) return;
            version = reloaded.View.Version;
        }
        // Only a CREATED order's capture is early. One kept for a CONFIRMED order could not be recorded (flagged for a
        // person, e.g. the wrong amount): cancelling returns it through the refund saga, as for any cancelled order.
        if (order.Status == OrderStatus.Created
            && await _answers.CaptureKeptForAsync(order.OrderId.Value, cancellationToken).ConfigureAwait(false) is { } capture)
        {
            // Paid, not yet confirmed: "payment not received" would be false. The confirmation pays it.
            paidAwaiting.Add(new JobFinding(order.OrderId, FindingKinds.PaidAwaitingConfirmation,
                $"payment {capture.PaymentId} captured at {capture.CapturedAt:O}, kept until the order's confirmation is recorded; not cancelled"));
            JobLog.AutoCancelHeld(_logger, order.OrderId.Value, capture.PaymentId, capture.CapturedAt);
            return;
        }
        // The key makes a rerun from a stale scan (a retried timer, a second host) a replay of the cancel that was made,
        // before the version is compared.
        var key = $"{Component}:{order.OrderId.Value}";
        var request = new RequestContext(Caller.System(Component), now, key, key);
        var command = new CancelOrderCommand(order.OrderId, $"payment not received by {order.PaymentDueBy:O}");
        var result = await _cancel.ExecuteAsync(command, request, expectedVersion: version, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (result.IsSuccess)
        {
            cancelled.Add(order.OrderId);
            JobLog.OrderAutoCancelled(_logger, order.OrderId.Value, order.PaymentDueBy);
        }
        else if (result.Rejection!.Code == ApplicationRejections.Codes.HistoryBroken)
        {
            skipped.Add(await SkipAsync(order, FindingKinds.HistoryBroken, result.Rejection.Message, now, cancellationToken).ConfigureAwait(false));
        }
        else
        {
            refused.Add(new JobFinding(order.OrderId, FindingKinds.CancelRefused, $"{result.Rejection!.Code}: {result.Rejection.Message}"));
            JobLog.AutoCancelRefused(_logger, order.OrderId.Value, result.Rejection.Code);
        }
    }

    private void Remember(OrderId orderId)
    {
        // Bounded memory: forgetting costs only a reload.
        if (_knownCashOnDelivery.Count >= _options.ScanLimit) _knownCashOnDelivery.Clear();
        _knownCashOnDelivery.TryAdd(orderId, 0);
    }
}
