using Orders.Domain.ValueObjects;

namespace Orders.Application.Ports.Outbound;

// Requests the order sends to other domains. Each carries an idempotency key (derived by the saga from its instance
// id and step), so a request sent twice is acted on once. The answers arrive later as integration events.

public sealed record StockLine(string Sku, int Quantity, SellerId SellerId);

public sealed record ReserveStock(OrderId OrderId, IReadOnlyList<StockLine> Lines, string IdempotencyKey);

/// <summary>Release stock held for the order: the given reservation, or (null) whatever a late answer may have reserved.</summary>
public sealed record ReleaseStock(OrderId OrderId, string? ReservationId, string Reason, string IdempotencyKey);

public sealed record InitiatePayment(OrderId OrderId, BuyerId BuyerId, Money Amount, string IdempotencyKey);

/// <summary>Void the order's authorisation: the given one, or (null) any a late answer may have made.</summary>
public sealed record VoidPayment(OrderId OrderId, string? AuthorizationId, string Reason, string IdempotencyKey);

public sealed record ReversePayment(OrderId OrderId, string PaymentId, string RefundId, Money Amount, string IdempotencyKey);

public sealed record CreateShipment(OrderId OrderId, ShippingAddress Address, IReadOnlyList<StockLine> Lines, bool CashOnDelivery, Money CollectAmount, string IdempotencyKey);

/// <summary>Hand the parcel to the carrier; a cash-on-delivery parcel carries the amount to collect at the door.</summary>
public sealed record DispatchShipment(OrderId OrderId, string ShipmentId, bool CashOnDelivery, Money CollectAmount, string IdempotencyKey);

public sealed record CancelShipment(OrderId OrderId, string ShipmentId, string Reason, string IdempotencyKey);

/// <summary>A promotion code an order was priced with and what it took off the order (frozen at creation).</summary>
public sealed record PromotionUse(string Code, Money Amount);

/// <summary>Redeem the order's codes, all or none: the promotions domain answers redeemed or refused (with why).</summary>
public sealed record RedeemPromotions(OrderId OrderId, BuyerId BuyerId, IReadOnlyList<PromotionUse> Promotions, string IdempotencyKey);

/// <summary>Give the order's codes back: the given redemption, or (null) whatever a late answer may have redeemed.</summary>
public sealed record ReleasePromotions(OrderId OrderId, string? RedemptionId, IReadOnlyList<string> Codes, string Reason, string IdempotencyKey);

public sealed record Notification(OrderId OrderId, string Recipient, string Template, IReadOnlyDictionary<string, string> Data);
