namespace Orders.Contracts.Integration;

// Events other domains send to Orders (their answers to our requests). Each type name is a CloudEvents "type";
// each payload has a JSON Schema in events/inbound/. All carry the order id they answer.

public static class InboundEventTypes
{
    public const string StockReserved = "inventory.stock-reserved.v1";
    public const string StockReservationFailed = "inventory.stock-reservation-failed.v1";
    public const string StockReleased = "inventory.stock-released.v1";
    public const string PaymentAuthorized = "payments.payment-authorized.v1";
    public const string PaymentDeclined = "payments.payment-declined.v1";
    public const string PaymentCaptured = "payments.payment-captured.v1";
    public const string PaymentVoided = "payments.payment-voided.v1";
    public const string PaymentReversed = "payments.payment-reversed.v1";
    public const string RefundFailed = "payments.refund-failed.v1";
    public const string ShipmentCreated = "shipping.shipment-created.v1";
    public const string ShipmentDispatched = "shipping.shipment-dispatched.v1";
    public const string ShipmentDelivered = "shipping.shipment-delivered.v1";
    public const string ShipmentLost = "shipping.shipment-lost.v1";
    public const string CashCollected = "shipping.cod-cash-collected.v1";
    public const string PromotionsRedeemed = "promotions.promotions-redeemed.v1";
    public const string PromotionRedemptionRefused = "promotions.promotion-redemption-refused.v1";
    public const string PromotionsReleased = "promotions.promotions-released.v1";

    public static IReadOnlyList<string> All { get; } =
    [
        StockReserved, StockReservationFailed, StockReleased, PaymentAuthorized, PaymentDeclined, PaymentCaptured,
        PaymentVoided, PaymentReversed, RefundFailed, ShipmentCreated, ShipmentDispatched, ShipmentDelivered, ShipmentLost,
        CashCollected, PromotionsRedeemed, PromotionRedemptionRefused, PromotionsReleased,
    ];
}

public sealed record StockReserved(string OrderId, string ReservationId);

public sealed record StockReservationFailed(string OrderId, string Reason);

public sealed record StockReleased(string OrderId, string ReservationId);

public sealed record PaymentAuthorized(string OrderId, string AuthorizationId, MoneyAmount Amount);

public sealed record PaymentDeclined(string OrderId, string Reason);

public sealed record PaymentCaptured(string OrderId, string PaymentId, MoneyAmount Amount);

public sealed record PaymentVoided(string OrderId, string AuthorizationId);

public sealed record PaymentReversed(string OrderId, string RefundId, string PaymentId, MoneyAmount Amount);

public sealed record RefundFailed(string OrderId, string RefundId, string Reason);

public sealed record ShipmentCreated(string OrderId, string ShipmentId, string Carrier, string TrackingNumber);

public sealed record ShipmentDispatched(string OrderId, string ShipmentId);

public sealed record ShipmentDelivered(string OrderId, string ShipmentId);

public sealed record ShipmentLost(string OrderId, string ShipmentId, string Reason);

public sealed record CashCollected(string OrderId, string ShipmentId, string PaymentId, MoneyAmount Amount);

// The promotions domain's answers to a redemption request. Equal by value, codes included (they travel as data).

public sealed record PromotionsRedeemed(string OrderId, string RedemptionId, IReadOnlyList<string> Codes)
{
    public bool Equals(PromotionsRedeemed? other) =>
        other is not null && OrderId == other.OrderId && RedemptionId == other.RedemptionId && Codes.SequenceEqual(other.Codes, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(OrderId, RedemptionId, Codes.Count);
}

public sealed record PromotionRedemptionRefused(string OrderId, string Reason, IReadOnlyList<string> Codes)
{
    public bool Equals(PromotionRedemptionRefused? other) =>
        other is not null && OrderId == other.OrderId && Reason == other.Reason && Codes.SequenceEqual(other.Codes, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(OrderId, Reason, Codes.Count);
}

public sealed record PromotionsReleased(string OrderId, string RedemptionId);
