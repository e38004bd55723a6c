using System.Text.Json.Serialization;
using Orders.Domain.OrderAggregate;
using Orders.Domain.Services;
using Orders.Domain.ValueObjects;

namespace Orders.Domain.Events;

/// <summary>
/// An immutable fact about one order. Stored as the order's history (and its outbox); the type discriminator is
/// the stable event type name.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(OrderCreated), OrderCreated.TypeName)]
[JsonDerivedType(typeof(OrderConfirmed), OrderConfirmed.TypeName)]
[JsonDerivedType(typeof(OrderCancelled), OrderCancelled.TypeName)]
[JsonDerivedType(typeof(OrderPaid), OrderPaid.TypeName)]
[JsonDerivedType(typeof(OrderShipped), OrderShipped.TypeName)]
[JsonDerivedType(typeof(OrderDelivered), OrderDelivered.TypeName)]
[JsonDerivedType(typeof(CashOnDeliveryCollected), CashOnDeliveryCollected.TypeName)]
[JsonDerivedType(typeof(RefundRequested), RefundRequested.TypeName)]
[JsonDerivedType(typeof(OrderRefunded), OrderRefunded.TypeName)]
[JsonDerivedType(typeof(OrderClosed), OrderClosed.TypeName)]
[JsonDerivedType(typeof(OrderSplit), OrderSplit.TypeName)]
[JsonDerivedType(typeof(ShippingAddressChanged), ShippingAddressChanged.TypeName)]
[JsonDerivedType(typeof(OperatorResolution), OperatorResolution.TypeName)]
public abstract record OrderEvent(OrderId OrderId)
{
    [JsonIgnore]
    public abstract string Type { get; }
}

public sealed record OrderCreated(
    OrderId OrderId,
    BuyerId BuyerId,
    OrderType OrderType,
    IReadOnlyList<OrderItem> Items,
    OrderPricing Pricing,
    ShippingAddress ShippingAddress,
    TimeSpan ReturnWindow,
    DateTimeOffset PaymentDueBy,
    OrderId? SplitFrom) : OrderEvent(OrderId)
{
    public const string TypeName = "order.created";
    [JsonIgnore]
    public override string Type => TypeName;

    public bool Equals(OrderCreated? other) =>
        other is not null && OrderId == other.OrderId && BuyerId == other.BuyerId && OrderType == other.OrderType
        && Items.SequenceEqual(other.Items) && Pricing == other.Pricing && ShippingAddress == other.ShippingAddress
        && ReturnWindow == other.ReturnWindow && PaymentDueBy == other.PaymentDueBy && SplitFrom == other.SplitFrom;

    public override int GetHashCode() => HashCode.Combine(OrderId, BuyerId, Items.Count);
}

public sealed record OrderConfirmed(OrderId OrderId, string ReservationId, string? PaymentAuthorizationId) : OrderEvent(OrderId)
{
    public const string TypeName = "order.confirmed";
    [JsonIgnore]
    public override string Type => TypeName;
}

public sealed record OrderCancelled(OrderId OrderId, string Reason) : OrderEvent(OrderId)
{
    public const string TypeName = "order.cancelled";
    [JsonIgnore]
    public override string Type => TypeName;
}

/// <summary>
/// The payment captured. <see cref="CapturedAt"/> is the payments domain's own time of the capture, kept beside the
/// entry's time (when the order recorded it); null in entries recorded before it was kept.
/// </summary>
public sealed record OrderPaid(OrderId OrderId, string PaymentId, Money Amount, DateTimeOffset? CapturedAt = null) : OrderEvent(OrderId)
{
    public const string TypeName = "order.paid";
    [JsonIgnore]
    public override string Type => TypeName;
}

/// <summary>
/// The order shipped. <see cref="Replaces"/> names a lost shipment this one replaces (an operator's resolution,
/// decision 0016); absent for the first shipment, and then not written at all, so ordinary entries keep their shape.
/// </summary>
public sealed record OrderShipped(
    OrderId OrderId,
    string ShipmentId,
    string Carrier,
    string TrackingNumber,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Replaces = null) : OrderEvent(OrderId)
{
    public const string TypeName = "order.shipped";
    [JsonIgnore]
    public override string Type => TypeName;
}

public sealed record OrderDelivered(OrderId OrderId, string ShipmentId) : OrderEvent(OrderId)
{
    public const string TypeName = "order.delivered";
    [JsonIgnore]
    public override string Type => TypeName;
}

/// <summary>
/// Cash collected at the door for a cash-on-delivery order: it becomes the order's payment. <see cref="CollectedAt"/>
/// is the shipping domain's time of the collection, kept beside the entry's time; null in older entries.
/// </summary>
public sealed record CashOnDeliveryCollected(OrderId OrderId, string PaymentId, Money Amount, DateTimeOffset? CollectedAt = null) : OrderEvent(OrderId)
{
    public const string TypeName = "order.cod-collected";
    [JsonIgnore]
    public override string Type => TypeName;
}

/// <summary>
/// Money back was asked for. Two operator resolutions (decision 0016) ride on it, each absent (and not written)
/// otherwise: <see cref="LostShipmentId"/>, the parcel lost in transit that this refund settles (the shipment is
/// recorded as lost); <see cref="CapturedPaymentId"/>, a payment captured that the order never took before it was
/// cancelled (<see cref="Reason"/> says when it was captured), which this
/// refund returns (the capture is recorded as the order's payment, so the history shows money taken and returned).
/// </summary>
public sealed record RefundRequested(
    OrderId OrderId,
    string RefundId,
    Money Amount,
    string Reason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? LostShipmentId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CapturedPaymentId = null) : OrderEvent(OrderId)
{
    public const string TypeName = "order.refund-requested";
    [JsonIgnore]
    public override string Type => TypeName;
}

/// <summary>A refund completed. <see cref="Full"/> when everything paid has now been returned.</summary>
/// <remarks><see cref="SettlementReference"/>: an operator settled the refund outside the payments domain (a bank transfer) and recorded its reference.</remarks>
public sealed record OrderRefunded(
    OrderId OrderId,
    string RefundId,
    Money Amount,
    Money TotalRefunded,
    bool Full,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SettlementReference = null) : OrderEvent(OrderId)
{
    public const string TypeName = "order.refunded";
    [JsonIgnore]
    public override string Type => TypeName;
}

public sealed record OrderClosed(OrderId OrderId) : OrderEvent(OrderId)
{
    public const string TypeName = "order.closed";
    [JsonIgnore]
    public override string Type => TypeName;
}

public sealed record SplitChild(OrderId OrderId, SellerId SellerId, Money Total);

public sealed record OrderSplit(OrderId OrderId, IReadOnlyList<SplitChild> Children) : OrderEvent(OrderId)
{
    public const string TypeName = "order.split";
    [JsonIgnore]
    public override string Type => TypeName;

    public bool Equals(OrderSplit? other) => other is not null && OrderId == other.OrderId && Children.SequenceEqual(other.Children);

    public override int GetHashCode() => HashCode.Combine(OrderId, Children.Count);
}

public sealed record ShippingAddressChanged(OrderId OrderId, ShippingAddress ShippingAddress) : OrderEvent(OrderId)
{
    public const string TypeName = "order.shipping-address-changed";
    [JsonIgnore]
    public override string Type => TypeName;
}

/// <summary>
/// An operator acted on an order the system escalated, without changing its status: retried a saga
/// (<see cref="Actions.RetrySaga"/>, subject the saga instance), acknowledged a stuck flag
/// (<see cref="Actions.AcknowledgeStuck"/>, subject the stuck reason), or chose to replace a lost parcel
/// (<see cref="Actions.ReplaceLostParcel"/>, subject the lost shipment, which is recorded as lost). The note says why.
/// </summary>
public sealed record OperatorResolution(OrderId OrderId, string Action, string Subject, string Note) : OrderEvent(OrderId)
{
    public const string TypeName = "order.operator-resolution";
    [JsonIgnore]
    public override string Type => TypeName;

    public static class Actions
    {
        public const string RetrySaga = "retry-saga";
        public const string AcknowledgeStuck = "acknowledge-stuck";
        public const string ReplaceLostParcel = "replace-lost-parcel";
    }
}
