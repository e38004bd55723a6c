namespace Orders.Application.Jobs;

/// <summary>
/// One run of <see cref="ReconcileOrders"/>: what it repaired (each repair is safe to repeat) and what it found and
/// left for a person. A rerun after everything is consistent has <see cref="NothingToRepair"/>.
/// </summary>
public sealed record ReconcileReport(
    DateTimeOffset StartedAt,
    int Checked,
    bool MoreRemaining,
    IReadOnlyList<JobFinding> Repaired,
    IReadOnlyList<JobFinding> Reported) : JobReport(JobSchedules.Reconcile.Job, StartedAt, Checked, MoreRemaining)
{
    public bool NothingToRepair => Repaired.Count == 0;

    public override string Summary =>
        $"{Job} at {StartedAt:O}: checked {Checked}, " +
        (NothingToRepair ? "nothing to repair" : $"repaired {Repaired.Count}") +
        $", reported {Reported.Count}{(MoreRemaining ? "; more remain" : "")}";
}
