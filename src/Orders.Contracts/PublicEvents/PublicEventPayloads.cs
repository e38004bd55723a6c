using Orders.Contracts.Integration;

namespace Orders.Contracts.PublicEvents;

// The payload ("data") of each public event: flat, explicit, one record per type; the JSON Schema of each is in
// events/<name>.v1.json. Every record starts with the common members of IPublicOrderEvent, in the same order.

/// <summary>
/// An order was created (status CREATED; <see cref="FromStatus"/> is always null). The whole contract is here: buyer,
/// way of paying, items as sold, frozen prices, address, return window and payment deadline. <see cref="SplitFrom"/>
/// is the parent's id when the order is a child of a split, else null.
/// <see cref="ReturnWindowSeconds"/> is the return window in whole seconds (rounded up), counted from delivery.
/// </summary>
public sealed record OrderCreatedV1(
    string OrderId,
    long Sequence,
    DateTimeOffset OccurredAt,
    string? FromStatus,
    string ToStatus,
    ActorV1 Actor,
    string CausationId,
    string BuyerId,
    string OrderType,
    string Currency,
    IReadOnlyList<OrderItemV1> Items,
    OrderPricingV1 Pricing,
    ShippingAddressV1 ShippingAddress,
    long ReturnWindowSeconds,
    DateTimeOffset PaymentDueBy,
    string? SplitFrom) : IPublicOrderEvent
{
    public const string EventType = PublicEventTypes.OrderCreated;
}

/// <summary>
/// CREATED → CONFIRMED: stock reserved, and the payment authorised (prepaid) or cash on delivery accepted
/// (<see cref="PaymentAuthorizationId"/> null).
/// </summary>
public sealed record OrderConfirmedV1(
    string OrderId,
    long Sequence,
    DateTimeOffset OccurredAt,
    string? FromStatus,
    string ToStatus,
    ActorV1 Actor,
    string CausationId,
    string ReservationId,
    string? PaymentAuthorizationId) : IPublicOrderEvent
{
    public const string EventType = PublicEventTypes.OrderConfirmed;
}

/// <summary>CREATED/CONFIRMED → CANCELLED, with the reason given.</summary>
public sealed record OrderCancelledV1(
    string OrderId,
    long Sequence,
    DateTimeOffset OccurredAt,
    string? FromStatus,
    string ToStatus,
    ActorV1 Actor,
    string CausationId,
    string Reason) : IPublicOrderEvent
{
    public const string EventType = PublicEventTypes.OrderCancelled;
}

/// <summary>CONFIRMED → PAID: the payments domain captured the order's total.</summary>
public sealed record OrderPaidV1(
    string OrderId,
    long Sequence,
    DateTimeOffset OccurredAt,
    string? FromStatus,
    string ToStatus,
    ActorV1 Actor,
    string CausationId,
    string PaymentId,
    MoneyAmount Amount) : IPublicOrderEvent
{
    public const string EventType = PublicEventTypes.OrderPaid;
}

/// <summary>PAID → SHIPPED (prepaid) or CONFIRMED → SHIPPED (cash on delivery).</summary>
public sealed record OrderShippedV1(
    string OrderId,
    long Sequence,
    DateTimeOffset OccurredAt,
    string? FromStatus,
    string ToStatus,
    ActorV1 Actor,
    string CausationId,
    string ShipmentId,
    string Carrier,
    string TrackingNumber) : IPublicOrderEvent
{
    public const string EventType = PublicEventTypes.OrderShipped;
}

/// <summary>SHIPPED → DELIVERED. The return window starts at <see cref="OccurredAt"/>.</summary>
public sealed record OrderDeliveredV1(
    string OrderId,
    long Sequence,
    DateTimeOffset OccurredAt,
    string? FromStatus,
    string ToStatus,
    ActorV1 Actor,
    string CausationId,
    string ShipmentId) : IPublicOrderEvent
{
    public const string EventType = PublicEventTypes.OrderDelivered;
}

/// <summary>The cash collected at the door of a cash-on-delivery order, recorded as its payment. No status change.</summary>
public sealed record CodCashCollectedV1(
    string OrderId,
    long Sequence,
    DateTimeOffset OccurredAt,
    string? FromStatus,
    string ToStatus,
    ActorV1 Actor,
    string CausationId,
    string PaymentId,
    MoneyAmount Amount) : IPublicOrderEvent
{
    public const string EventType = PublicEventTypes.CodCashCollected;
}

/// <summary>A refund was requested (the refund saga now reverses the payment). No status change.</summary>
public sealed record RefundRequestedV1(
    string OrderId,
    long Sequence,
    DateTimeOffset OccurredAt,
    string? FromStatus,
    string ToStatus,
    ActorV1 Actor,
    string CausationId,
    string RefundId,
    MoneyAmount Amount,
    string Reason) : IPublicOrderEvent
{
    public const string EventType = PublicEventTypes.RefundRequested;
}

/// <summary>
/// A requested refund completed. <see cref="TotalRefunded"/> is everything refunded so far, this one included;
/// <see cref="Full"/> is true when that is everything paid (the order is then REFUNDED). A partial refund changes no
/// status.
/// </summary>
public sealed record OrderRefundedV1(
    string OrderId,
    long Sequence,
    DateTimeOffset OccurredAt,
    string? FromStatus,
    string ToStatus,
    ActorV1 Actor,
    string CausationId,
    string RefundId,
    MoneyAmount Amount,
    MoneyAmount TotalRefunded,
    bool Full) : IPublicOrderEvent
{
    public const string EventType = PublicEventTypes.OrderRefunded;
}

/// <summary>DELIVERED/REFUNDED → CLOSED: the contract is done.</summary>
public sealed record OrderClosedV1(
    string OrderId,
    long Sequence,
    DateTimeOffset OccurredAt,
    string? FromStatus,
    string ToStatus,
    ActorV1 Actor,
    string CausationId) : IPublicOrderEvent
{
    public const string EventType = PublicEventTypes.OrderClosed;
}

/// <summary>
/// CREATED → SPLIT: a multi-seller order became one child order per seller (each child has its own
/// <c>orders.order-created.v1</c> with <c>splitFrom</c> = this order). The children's totals sum to this order's total.
/// </summary>
public sealed record OrderSplitV1(
    string OrderId,
    long Sequence,
    DateTimeOffset OccurredAt,
    string? FromStatus,
    string ToStatus,
    ActorV1 Actor,
    string CausationId,
    IReadOnlyList<SplitChildV1> Children) : IPublicOrderEvent
{
    public const string EventType = PublicEventTypes.OrderSplit;
}

/// <summary>The order now ships to a new address (only before it ships). No status change.</summary>
public sealed record ShippingAddressChangedV1(
    string OrderId,
    long Sequence,
    DateTimeOffset OccurredAt,
    string? FromStatus,
    string ToStatus,
    ActorV1 Actor,
    string CausationId,
    ShippingAddressV1 ShippingAddress) : IPublicOrderEvent
{
    public const string EventType = PublicEventTypes.ShippingAddressChanged;
}

/// <summary>An operator acted on an escalated order without changing its status (retry a saga, acknowledge a stuck flag, replace a lost parcel).</summary>
public sealed record OperatorResolutionV1(
    string OrderId,
    long Sequence,
    DateTimeOffset OccurredAt,
    string? FromStatus,
    string ToStatus,
    ActorV1 Actor,
    string CausationId,
    string Action,
    string Subject,
    string Note) : IPublicOrderEvent
{
    public const string EventType = PublicEventTypes.OperatorResolution;
}
