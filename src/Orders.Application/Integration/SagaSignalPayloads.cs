namespace Orders.Application.Integration;

// What an integration event tells a waiting saga. Plain records: they travel through the orchestration's history.

/// <summary>The inventory's answer to a reservation request.</summary>
public sealed record InventoryAnswer(bool Reserved, string? ReservationId, string? Reason);

/// <summary>The payments domain's answer to a payment initiation.</summary>
public sealed record PaymentAnswer(bool Authorized, string? AuthorizationId, string? Reason);

/// <summary>The promotions domain's answer to a redemption: all the order's codes redeemed, or none (with why).</summary>
public sealed record PromotionsAnswer(bool Redeemed, string? RedemptionId, string? Reason);

/// <summary>The shipment exists (not yet with the carrier).</summary>
public sealed record ShipmentCreatedAnswer(string ShipmentId, string Carrier, string TrackingNumber);

/// <summary>The carrier picked the parcel up.</summary>
public sealed record ShipmentDispatchedAnswer(string ShipmentId);

/// <summary>How a journey ended: delivered, or lost with a reason.</summary>
public sealed record ShipmentOutcomeAnswer(string ShipmentId, bool Delivered, string? Reason);

/// <summary>
/// Not another domain's answer: the order recorded a refund as settled (order.refunded). A fulfillment holding a parcel
/// the order refused to ship while the refund was pending looks at the order again (fulfillment revision 3).
/// </summary>
public sealed record RefundSettledSignal(string RefundId);

/// <summary>The payments domain reversed (or failed to reverse) a refund.</summary>
public sealed record ReversalAnswer(string RefundId, bool Reversed, string? Reason);
