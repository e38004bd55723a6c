using Orders.Domain.ValueObjects;

namespace Orders.Application.Jobs;

/// <summary>
/// One run of <see cref="DetectStuckOrders"/>: orders newly flagged (or flagged for a new reason), orders still
/// flagged as before, and orders unflagged because they moved on. It changes no order.
/// </summary>
public sealed record StuckOrdersReport(
    DateTimeOffset StartedAt,
    int Checked,
    bool MoreRemaining,
    IReadOnlyList<StuckOrder> Flagged,
    IReadOnlyList<StuckOrder> StillStuck,
    IReadOnlyList<OrderId> Unflagged) : JobReport(JobSchedules.DetectStuck.Job, StartedAt, Checked, MoreRemaining)
{
    public override string Summary =>
        $"{Job} at {StartedAt:O}: checked {Checked}, newly stuck {Flagged.Count}, still stuck {StillStuck.Count}, " +
        $"unflagged {Unflagged.Count}{(MoreRemaining ? "; more remain" : "")}";
}
