using Orders.Domain.ValueObjects;

namespace Orders.Application.Jobs;

/// <summary>
/// What one run of a job did. Every job answers one: the host logs <see cref="Summary"/> and may return the report
/// (an HTTP-triggered manual run). <see cref="MoreRemaining"/> says the run stopped at its bound with work left.
/// </summary>
public abstract record JobReport(string Job, DateTimeOffset StartedAt, int Checked, bool MoreRemaining)
{
    /// <summary>One line for the host's log.</summary>
    public abstract string Summary { get; }
}

/// <summary>
/// One thing a job did or found about an order (or, with no order, about the system). <see cref="Kind"/> is a stable
/// code (<see cref="FindingKinds"/>) that dashboards and tests key on; <see cref="Detail"/> is for people.
/// </summary>
public sealed record JobFinding(OrderId? OrderId, string Kind, string Detail)
{
    public override string ToString() => OrderId is null ? $"{Kind}: {Detail}" : $"{OrderId} {Kind}: {Detail}";
}

/// <summary>The codes of <see cref="JobFinding.Kind"/>.</summary>
public static class FindingKinds
{
    // auto-cancel
    public const string Cancelled = "auto-cancelled";
    public const string CancelRefused = "cancel-refused";
    public const string PaidAwaitingConfirmation = "paid-awaiting-confirmation";

    // reconcile: repairs
    public const string Reprojected = "read-model-reprojected";
    public const string CheckoutRestarted = "checkout-restarted";
    public const string FulfillmentStarted = "fulfillment-started";
    public const string RefundRestarted = "refund-restarted";

    // reconcile: reports (never repaired here)
    public const string HistoryBroken = "history-broken";

    // every job: an order whose stored history cannot be read at all (reported, flagged, skipped)
    public const string OrderUnreadable = "order-unreadable";
    public const string ReadModelAhead = "read-model-ahead";
    public const string ReadModelDiverged = "read-model-diverged";
    public const string SagaFailed = "saga-failed";
    public const string SagaMissing = "saga-missing";
    public const string SagaEnded = "saga-ended";
    public const string RelayLag = "relay-lag";
}
