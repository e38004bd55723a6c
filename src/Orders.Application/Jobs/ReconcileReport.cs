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

    /// <summary>How many orders' stored histories this run verified (those it reconciled and the rotation's, each once).</summary>
    public int Verified { get; init; }

    public override string Summary =>
        $"{Job} at {StartedAt:O}: checked {Checked}, verified {Verified} histories, " +
        (NothingToRepair ? "nothing to repair" : $"repaired {Repaired.Count}") +
        $", reported {Reported.Count}{(MoreRemaining ? "; more remain" : "")}";
}
