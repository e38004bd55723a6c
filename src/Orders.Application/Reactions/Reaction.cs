using Orders.Domain.ValueObjects;

namespace Orders.Application.Reactions;

/// <summary>
/// Something that follows a recorded fact (<see cref="OrderReactions"/> decides which). Every reaction is safe to run
/// twice: saga starts are idempotent by their derived instance id, compensations carry the checkout saga's idempotency
/// keys, parked answers are applied through the inbox.
/// </summary>
/// <param name="OrderId">The order the fact is about.</param>
/// <param name="Lane">Which change-log consumer runs it (each lane keeps its own checkpoint).</param>
public abstract record Reaction(OrderId OrderId, ReactionLane Lane);

/// <summary>Start one of the order's sagas (<see cref="Integration.SagaNames"/>); a refund saga names its refund.</summary>
public sealed record StartSaga(OrderId OrderId, string Saga, string InstanceId, string? RefundId = null) : Reaction(OrderId, ReactionLane.SagaStarts);

/// <summary>Give back what other domains hold for a cancelled order: stock, payment authorisation, promotion codes.</summary>
public sealed record CompensateCancellation(OrderId OrderId, string Reason) : Reaction(OrderId, ReactionLane.Compensation);

/// <summary>Apply the answers parked for the order that waited for this fact (signals to its waiting saga or use cases).</summary>
public sealed record ReplayParkedAnswers(OrderId OrderId) : Reaction(OrderId, ReactionLane.ParkedAnswers);

/// <summary>
/// Tell the order's fulfillment that a refund settled: a parcel it holds because the order refused to ship while the
/// refund was pending is looked at again at once (otherwise at its next re-check). A fulfillment that holds nothing, or
/// none at all, ignores it.
/// </summary>
public sealed record SignalRefundSettled(OrderId OrderId, string RefundId) : Reaction(OrderId, ReactionLane.ParkedAnswers);

/// <summary>
/// The change-log consumers that carry out reactions, each with its own checkpoint so that one kind of reaction
/// failing (a domain that does not answer a release) never holds up another (a new order's checkout).
/// </summary>
public enum ReactionLane
{
    /// <summary>Saga starts: consumer <c>saga-starts</c>.</summary>
    SagaStarts,

    /// <summary>Compensation of cancelled orders: consumer <c>cancellation-compensator</c> (its name from before the table).</summary>
    Compensation,

    /// <summary>Parked answers applied: consumer <c>parked-answers</c> (its name from before the table).</summary>
    ParkedAnswers,
}
