namespace Orders.Api.Requests;

public sealed record CancelOrderRequest(string Reason);

public sealed record ConfirmOrderRequest(string ReservationId, string? PaymentAuthorizationId = null);

/// <summary>A captured payment (mark-paid) or the cash collected at the door (cash-collected).</summary>
public sealed record PaymentRequest(string PaymentId, MoneyRequest Amount);

public sealed record ShipOrderRequest(string ShipmentId, string Carrier, string TrackingNumber);

public sealed record DeliverOrderRequest(string ShipmentId);

/// <summary>A refund; without <see cref="RefundId"/> the id is derived from the Idempotency-Key.</summary>
public sealed record InitiateRefundRequest(MoneyRequest Amount, string Reason, string? RefundId = null);
