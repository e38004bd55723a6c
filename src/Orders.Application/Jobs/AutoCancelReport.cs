using Orders.Domain.ValueObjects;

namespace Orders.Application.Jobs;

/// <summary>
/// One run of <see cref="AutoCancelUnpaidOrders"/>: the orders it cancelled, the ones that refused (they moved on
/// between the scan and the cancel, e.g. paid), how many overdue confirmed cash-on-delivery orders it left alone, and
/// the orders it skipped because their stored history is broken (flagged in the stuck-order log), and the overdue
/// orders it left alone because their payment was captured before their confirmation was recorded
/// (<see cref="PaidAwaitingConfirmation"/>).
/// </summary>
public sealed record AutoCancelReport(
    DateTimeOffset StartedAt,
    int Checked,
    bool MoreRemaining,
    IReadOnlyList<OrderId> Cancelled,
    IReadOnlyList<JobFinding> Refused,
    int SkippedCashOnDelivery,
    IReadOnlyList<JobFinding> Skipped) : JobReport(JobSchedules.AutoCancelUnpaid.Job, StartedAt, Checked, MoreRemaining)
{
    /// <summary>Overdue orders not cancelled because their payment was captured (kept until the confirmation is recorded).</summary>
    public IReadOnlyList<JobFinding> PaidAwaitingConfirmation { get; init; } = [];

    public override string Summary =>
        $"{Job} at {StartedAt:O}: checked {Checked}, cancelled {Cancelled.Count}, refused {Refused.Count}, " +
        $"skipped {SkippedCashOnDelivery} cash-on-delivery, skipped {Skipped.Count} broken, " +
        $"left {PaidAwaitingConfirmation.Count} paid awaiting confirmation{(MoreRemaining ? "; more remain" : "")}";
}
