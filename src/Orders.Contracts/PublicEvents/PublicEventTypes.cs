namespace Orders.Contracts.PublicEvents;

/// <summary>
/// The CloudEvents <c>type</c> of every event Orders publishes on the <c>order-events</c> topic: <c>orders.</c>, the
/// fact in kebab case, <c>.v1</c>. A type name never changes meaning: an incompatible payload is a new <c>.v2</c> type
/// published beside the old one. Each has one payload record (<see cref="PayloadTypes"/>) and one JSON Schema
/// (<see cref="Integration.EventSchemas"/>).
/// </summary>
public static class PublicEventTypes
{
    public const string OrderCreated = "orders.order-created.v1";
    public const string OrderConfirmed = "orders.order-confirmed.v1";
    public const string OrderCancelled = "orders.order-cancelled.v1";
    public const string OrderPaid = "orders.order-paid.v1";
    public const string OrderShipped = "orders.order-shipped.v1";
    public const string OrderDelivered = "orders.order-delivered.v1";
    public const string CodCashCollected = "orders.cod-cash-collected.v1";
    public const string RefundRequested = "orders.refund-requested.v1";
    public const string OrderRefunded = "orders.order-refunded.v1";
    public const string OrderClosed = "orders.order-closed.v1";
    public const string OrderSplit = "orders.order-split.v1";
    public const string ShippingAddressChanged = "orders.shipping-address-changed.v1";
    public const string OperatorResolution = "orders.operator-resolution.v1";

    public static IReadOnlyList<string> All { get; } =
    [
        OrderCreated, OrderConfirmed, OrderCancelled, OrderPaid, OrderShipped, OrderDelivered, CodCashCollected,
        RefundRequested, OrderRefunded, OrderClosed, OrderSplit, ShippingAddressChanged, OperatorResolution,
    ];

    /// <summary>The payload record of each type: what a consumer deserialises <c>data</c> into.</summary>
    public static IReadOnlyDictionary<string, Type> PayloadTypes { get; } = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        [OrderCreated] = typeof(OrderCreatedV1),
        [OrderConfirmed] = typeof(OrderConfirmedV1),
        [OrderCancelled] = typeof(OrderCancelledV1),
        [OrderPaid] = typeof(OrderPaidV1),
        [OrderShipped] = typeof(OrderShippedV1),
        [OrderDelivered] = typeof(OrderDeliveredV1),
        [CodCashCollected] = typeof(CodCashCollectedV1),
        [RefundRequested] = typeof(RefundRequestedV1),
        [OrderRefunded] = typeof(OrderRefundedV1),
        [OrderClosed] = typeof(OrderClosedV1),
        [OrderSplit] = typeof(OrderSplitV1),
        [ShippingAddressChanged] = typeof(ShippingAddressChangedV1),
        [OperatorResolution] = typeof(OperatorResolutionV1),
    };
}

/// <summary>An order's status in public events: upper case, as in the state machine.</summary>
public static class PublicOrderStatus
{
    public const string Created = "CREATED";
    public const string Confirmed = "CONFIRMED";
    public const string Paid = "PAID";
    public const string Shipped = "SHIPPED";
    public const string Delivered = "DELIVERED";
    public const string Closed = "CLOSED";
    public const string Cancelled = "CANCELLED";
    public const string Refunded = "REFUNDED";

    /// <summary>A multi-seller order divided into one child order per seller; terminal.</summary>
    public const string Split = "SPLIT";

    public static IReadOnlyList<string> All { get; } = [Created, Confirmed, Paid, Shipped, Delivered, Closed, Cancelled, Refunded, Split];
}

/// <summary>Who caused a fact: upper case.</summary>
public static class PublicActorKind
{
    public const string Buyer = "BUYER";
    public const string Seller = "SELLER";
    public const string Operator = "OPERATOR";

    /// <summary>A saga, a job or an integration acting on the order's behalf.</summary>
    public const string System = "SYSTEM";

    public static IReadOnlyList<string> All { get; } = [Buyer, Seller, Operator, System];
}

/// <summary>How an order is paid, fixed at creation: upper case.</summary>
public static class PublicOrderType
{
    public const string Prepaid = "PREPAID";
    public const string CashOnDelivery = "CASH_ON_DELIVERY";

    public static IReadOnlyList<string> All { get; } = [Prepaid, CashOnDelivery];
}
