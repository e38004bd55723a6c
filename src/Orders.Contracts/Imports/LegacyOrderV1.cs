using System.Text.Json.Serialization;
using Orders.Contracts.Integration;
using Orders.Contracts.PublicEvents;

namespace Orders.Contracts.Imports;

/// <summary>
/// One line of a legacy-order import file (<c>imports/legacy-order.v1.json</c>): an order as the legacy system kept it,
/// with its whole history. Statuses, order types, actor kinds, fact kinds and payment methods are the upper-case names
/// of the schema (<see cref="LegacyOrderFormat"/>).
/// </summary>
public sealed record LegacyOrderV1(
    string Format,
    LegacySourceV1 Source,
    string BuyerId,
    string OrderType,
    DateTimeOffset CreatedAt,
    int ReturnWindowDays,
    IReadOnlyList<LegacyItemV1> Items,
    IReadOnlyList<LegacyDiscountV1> Discounts,
    MoneyAmount ShippingFee,
    ShippingAddressV1 ShippingAddress,
    LegacyTotalsV1 Totals,
    string Status,
    string? ReservationId,
    IReadOnlyList<LegacyFactV1> History,
    IReadOnlyList<LegacyPaymentV1> Payments,
    IReadOnlyList<LegacyShipmentV1> Shipments,
    IReadOnlyList<LegacyRefundV1> Refunds);

/// <summary>The legacy system (lower-case letters and digits) and the order's id there: the import's idempotency key.</summary>
public sealed record LegacySourceV1(string System, string OrderId);

public sealed record LegacyItemV1(
    int Line,
    string Sku,
    string ProductId,
    string SellerId,
    string Title,
    MoneyAmount UnitPrice,
    int Quantity,
    IReadOnlyDictionary<string, string> Attributes,
    string? SnapshotHash);

/// <summary>A discount granted at sale, as the amount it took off (optionally only one seller's lines).</summary>
public sealed record LegacyDiscountV1(string Code, MoneyAmount Amount, string? SellerId);

public sealed record LegacyTotalsV1(MoneyAmount Subtotal, MoneyAmount Discount, MoneyAmount Shipping, MoneyAmount Total);

/// <summary>
/// One fact of the order's history, in the order it happened. <see cref="Status"/> is what the legacy system
/// recorded after it. The reference a fact needs is set; the others are absent.
/// </summary>
public sealed record LegacyFactV1(
    string SourceEventId,
    DateTimeOffset At,
    string Event,
    string Status,
    ActorV1 Actor,
    string? Reason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PaymentId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ShipmentId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RefundId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ShippingAddressV1? ShippingAddress = null);

public sealed record LegacyPaymentV1(string SourceId, string PaymentId, string Method, string? AuthorizationId, MoneyAmount Amount);

public sealed record LegacyShipmentV1(string SourceId, string ShipmentId, string Carrier, string TrackingNumber);

public sealed record LegacyRefundV1(string SourceId, string RefundId, MoneyAmount Amount, string Reason);

/// <summary>The names the format uses.</summary>
public static class LegacyOrderFormat
{
    public const string V1 = "orders.legacy-order.v1";
    public const string SchemaPath = "imports/legacy-order.v1.json";

    public static class Events
    {
        public const string Created = "CREATED";
        public const string Confirmed = "CONFIRMED";
        public const string Paid = "PAID";
        public const string Shipped = "SHIPPED";
        public const string Delivered = "DELIVERED";
        public const string CashCollected = "CASH_COLLECTED";
        public const string RefundRequested = "REFUND_REQUESTED";
        public const string Refunded = "REFUNDED";
        public const string Cancelled = "CANCELLED";
        public const string Closed = "CLOSED";
        public const string AddressChanged = "ADDRESS_CHANGED";
    }

    public static class Methods
    {
        public const string Card = "CARD";
        public const string CashOnDelivery = "CASH_ON_DELIVERY";
    }
}
