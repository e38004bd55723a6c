using Orders.Domain.ValueObjects;

namespace Orders.Application.Jobs;

/// <summary>
/// An order flagged as stuck: in <see cref="Status"/> since <see cref="Since"/>, why (<see cref="Reason"/>, a stable
/// code from <see cref="StuckReasons"/>, and <see cref="Detail"/> for people), first detected at <see cref="DetectedAt"/>.
/// </summary>
public sealed record StuckOrder(OrderId OrderId, OrderStatus Status, DateTimeOffset Since, string Reason, string Detail, DateTimeOffset DetectedAt);

/// <summary>Why an order is stuck, most severe first (an order with several problems is flagged for the first).</summary>
public static class StuckReasons
{
    /// <summary>
    /// An answer from another domain arrived early, was kept, and can no longer apply (a payment captured for an order
    /// cancelled meanwhile): money may have been taken, and a person must return it. Kept until that answer is gone.
    /// </summary>
    public const string AnswerCannotApply = "answer-cannot-apply";

    /// <summary>
    /// The order's stored history does not verify or cannot be read: no job acts on it, commands are refused, and it
    /// stays flagged (even when its status is terminal) until a person has repaired the data.
    /// </summary>
    public const string HistoryBroken = "history-broken";

    /// <summary>The saga that moves the order on failed or was terminated: it needs a person.</summary>
    public const string SagaFailed = "saga-failed";

    /// <summary>The saga that should move the order on does not exist.</summary>
    public const string SagaMissing = "saga-missing";

    /// <summary>The saga finished, but the order is still waiting for it (it escalated, or was told to skip).</summary>
    public const string SagaEnded = "saga-ended";

    /// <summary>Nothing moved the order on within its state's service level.</summary>
    public const string ServiceLevelExceeded = "service-level-exceeded";
}
