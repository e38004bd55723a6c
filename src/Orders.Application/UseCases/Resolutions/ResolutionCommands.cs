using Orders.Domain.ValueObjects;

namespace Orders.Application.UseCases.Resolutions;

// The operator's resolutions (decision 0016), as data. Their JSON form is the canonical request an idempotency key is bound to.

/// <summary>Retry a saga: <see cref="Saga"/> is <c>checkout</c>, <c>fulfillment</c> or <c>refund</c> (with <see cref="RefundId"/>).</summary>
public sealed record RetrySagaCommand(OrderId OrderId, string Saga, string? RefundId, string Reason);

/// <summary>A parcel lost in transit: <see cref="Resolution"/> is <c>refund</c> or <c>replace</c>.</summary>
public sealed record ResolveLostParcelCommand(OrderId OrderId, string ShipmentId, string Resolution, string Reason);

public sealed record SettleRefundCommand(OrderId OrderId, string RefundId, string Reference, string Reason);

public sealed record CancelStuckCheckoutCommand(OrderId OrderId, string Reason);

public sealed record AcknowledgeStuckCommand(OrderId OrderId, string Note);

/// <summary>Return a payment captured that the cancelled order never took (the capture kept in the inbox).</summary>
public sealed record ReturnLateCaptureCommand(OrderId OrderId, string Reason);

/// <summary>The same, for a capture in hand (the integration handler, as it arrives).</summary>
public sealed record LateCapture(OrderId OrderId, string PaymentId, Money Amount, string Reason);
