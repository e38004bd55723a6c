using Orders.Domain.Common;

namespace Orders.Orchestrations.Activities;

/// <summary>What a saga needs to know about an order to decide its next step.</summary>
public sealed record OrderFacts(
    string OrderId,
    string Status,
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

/// <summary>The outcome of a command an activity applied: done (or an exact replay), or refused with a code.</summary>
public sealed record StepResult(bool Ok, string? Status, string? RejectionCode = null, string? Message = null)
{
    public static StepResult From<T>(Result<T> result, Func<T, string> status) =>
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
