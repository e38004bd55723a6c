using System.Text.Json.Serialization;
using Orders.Domain.Common;
using Orders.Domain.ValueObjects;

namespace Orders.Orchestrations.Activities;

/// <summary>
/// What a saga needs to know about an order to decide its next step. It crosses Durable's history (the result of
/// <see cref="LoadOrderFacts"/>), so its JSON must stay readable by instances in flight: properties are never renamed
/// or removed, only added with a default; the status is written as it always was (<see cref="SagaOrderStatusConverter"/>).
/// </summary>
public sealed record OrderFacts(
    string OrderId,
    [property: JsonConverter(typeof(SagaOrderStatusConverter))] OrderStatus Status,
    bool CashOnDelivery,
    DateTimeOffset PaymentDueBy,
    string? ReservationId,
    string? AuthorizationId,
    string? ShipmentId,
    bool RefundRequested,
    bool RefundCompleted,
    bool HasPromotions,
    int SellerCount = 1,
    bool Paid = false,
    IReadOnlyList<string>? ChildOrderIds = null,
    bool ReplacementPending = false,
    int ShipmentAttempt = 0);

/// <summary>The children a split produced (empty when refused: see <see cref="RejectionCode"/>).</summary>
public sealed record SplitResult(IReadOnlyList<string> ChildOrderIds, string? RejectionCode = null);

public sealed record LoadOrderRequest(string OrderId, string? RefundId = null);

/// <summary>
/// The outcome of a command an activity applied: done (or an exact replay) with the order's status after it, or
/// refused with a code. Crosses Durable's history like <see cref="OrderFacts"/>, under the same rules.
/// </summary>
public sealed record StepResult(bool Ok, [property: JsonConverter(typeof(SagaOrderStatusConverter))] OrderStatus? Status,
    string? RejectionCode = null, string? Message = null)
{
    public static StepResult From<T>(Result<T> result, Func<T, OrderStatus> status) =>
        result.IsSuccess ? new(true, status(result.Value!)) : new(false, null, result.Rejection!.Code, result.Rejection.Message);
}

/// <summary>A request to another domain, with its idempotency key (instance id and step).</summary>
public sealed record GatewayRequest(string OrderId, string IdempotencyKey, string? Reference = null, string? Reason = null);

public sealed record ConfirmRequest(string OrderId, string ReservationId, string? AuthorizationId, string CausationId);

public sealed record CancelRequest(string OrderId, string Reason, string CausationId);

public sealed record ShipRequest(string OrderId, string ShipmentId, string Carrier, string TrackingNumber, string CausationId);

public sealed record DeliverRequest(string OrderId, string ShipmentId, string CausationId);

public sealed record RefundStepRequest(string OrderId, string RefundId, string CausationId);

public sealed record CloseRequest(string OrderId, string CausationId);

public sealed record SplitRequest(string OrderId, string CausationId);

public sealed record NotifyRequest(string OrderId, string Template, string? Detail = null);

public sealed record EscalateRequest(string OrderId, string Saga, string Problem, int Attempt);
