namespace Orders.Api.Requests;

public sealed record CancelOrderRequest(string Reason);

public sealed record ConfirmOrderRequest(string ReservationId, string? PaymentAuthorizationId = null);

/// <summary>A captured payment (mark-paid) or the cash collected at the door (cash-collected).</summary>
public sealed record PaymentRequest(string PaymentId, MoneyRequest Amount);

public sealed record ShipOrderRequest(string ShipmentId, string Carrier, string TrackingNumber);

public sealed record DeliverOrderRequest(string ShipmentId);

/// <summary>A refund; without <see cref="RefundId"/> the id is derived from the Idempotency-Key.</summary>
public sealed record InitiateRefundRequest(MoneyRequest Amount, string Reason, string? RefundId = null);

// Operator resolutions (decision 0016).

/// <summary>Retry a saga: <c>checkout</c>, <c>fulfillment</c> or <c>refund</c> (with <see cref="RefundId"/>).</summary>
public sealed record RetrySagaRequest(string Saga, string Reason, string? RefundId = null);

/// <summary>A parcel lost in transit: <c>refund</c> the buyer or <c>replace</c> it.</summary>
public sealed record LostParcelRequest(string ShipmentId, string Resolution, string Reason);

public sealed record RetryRefundRequest(string Reason);

public sealed record SettleRefundRequest(string Reference, string Reason);

public sealed record ResolutionReasonRequest(string Reason);

public sealed record AcknowledgeStuckRequest(string Note);
