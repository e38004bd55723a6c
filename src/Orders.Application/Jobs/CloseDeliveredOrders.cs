using Microsoft.Extensions.Logging;
using Orders.Application.Access;
using Orders.Application.Ports.Outbound;
using Orders.Application.UseCases.Commands;
using Orders.Domain.ValueObjects;

namespace Orders.Application.Jobs;

/// <summary>
/// Closes the contracts that are done: DELIVERED orders whose return window has passed (cash-on-delivery ones once the
/// cash is recorded, none with a refund pending) and REFUNDED orders the refund saga did not close. It asks the
/// CloseOrder use case, which applies the closure policy; an order not yet closable is simply left for a later run.
/// Idempotent: the causation id is per order, and closing a closed order is a replay. An order whose stored history is
/// broken is reported, flagged (<see cref="BrokenOrders"/>) and skipped; the run goes on with the others.
/// </summary>
public sealed class CloseDeliveredOrders(IOrderStore store, CloseOrder close, IStuckOrderLog stuck, TimeProvider time, JobOptions options,
    ILogger<CloseDeliveredOrders> logger)
{
    public const string Component = "auto-close";

    public async Task<AutoCloseReport> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var now = time.GetUtcNow();
        var closed = new List<OrderId>();
        var notYet = 0;
        var skipped = new List<JobFinding>();
        var found = await store.FindByStatusAsync([OrderStatus.Delivered, OrderStatus.Refunded], options.ScanLimit, cancellationToken).ConfigureAwait(false);
        var more = found.Count >= options.ScanLimit;
        foreach (var summary in found)
        {
            if (closed.Count == options.BatchSize)
            {
                more = true;
                break;
            }
            var result = await close.ExecuteAsync(new CloseOrderCommand(summary.OrderId),
                new RequestContext(Caller.System(Component), now, $"{Component}:{summary.OrderId.Value}"), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (result.IsSuccess) closed.Add(summary.OrderId);
            else if (result.Rejection!.Code == ApplicationRejections.Codes.HistoryBroken)
            {
                skipped.Add(await BrokenOrders.FlagAsync(stuck, summary.OrderId, summary.Status, summary.UpdatedAt, FindingKinds.HistoryBroken,
                    result.Rejection.Message, now, cancellationToken).ConfigureAwait(false));
                JobLog.OrderSkipped(logger, JobSchedules.AutoClose.Job, summary.OrderId.Value, FindingKinds.HistoryBroken, result.Rejection.Message);
            }
            else notYet++;
        }
        return new AutoCloseReport(now, found.Count, more, closed, notYet, skipped);
    }
}

/// <summary>
/// One run of <see cref="CloseDeliveredOrders"/>: what it closed, how many were not closable yet, and the orders it
/// skipped because their stored history is broken (flagged in the stuck-order log).
/// </summary>
public sealed record AutoCloseReport(DateTimeOffset StartedAt, int Checked, bool MoreRemaining, IReadOnlyList<OrderId> Closed, int NotYetClosable,
    IReadOnlyList<JobFinding> Skipped)
    : JobReport(JobSchedules.AutoClose.Job, StartedAt, Checked, MoreRemaining)
{
    public override string Summary =>
        $"{Job} at {StartedAt:O}: checked {Checked}, closed {Closed.Count}, not yet closable {NotYetClosable}, skipped {Skipped.Count} broken{(MoreRemaining ? "; more remain" : "")}";
}
