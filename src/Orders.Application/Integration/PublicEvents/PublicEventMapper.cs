using System.Text.Json;
using Orders.Application.Ports.Outbound;
using Orders.Contracts.Integration;
using Orders.Contracts.PublicEvents;
using Orders.Domain.Events;
using Orders.Domain.OrderAggregate;
using Orders.Domain.Services;
using Orders.Domain.ValueObjects;

namespace Orders.Application.Integration.PublicEvents;

/// <summary>
/// Turns a stored history entry into the public event Orders publishes: a CloudEvent whose id is the event id
/// (<c>{orderId}:{sequence}</c>, also the Service Bus message id), type the public type name, subject the order id,
/// time the entry's time, data the payload record (camelCase JSON), dataschema the schema's path in the contracts.
/// One switch over the domain events, exhaustive: an event without a mapping throws, and a test walks the
/// <c>[JsonDerivedType]</c> list of <see cref="OrderEvent"/> so that a new domain event cannot ship unmapped.
/// </summary>
public static class PublicEventMapper
{
    /// <summary>The public type name of each domain event type.</summary>
    public static IReadOnlyDictionary<Type, string> PublicTypes { get; } = new Dictionary<Type, string>
    {
        [typeof(OrderCreated)] = OrderCreatedV1.EventType,
        [typeof(OrderConfirmed)] = OrderConfirmedV1.EventType,
        [typeof(OrderCancelled)] = OrderCancelledV1.EventType,
        [typeof(OrderPaid)] = OrderPaidV1.EventType,
        [typeof(OrderShipped)] = OrderShippedV1.EventType,
        [typeof(OrderDelivered)] = OrderDeliveredV1.EventType,
        [typeof(CashOnDeliveryCollected)] = CodCashCollectedV1.EventType,
        [typeof(RefundRequested)] = RefundRequestedV1.EventType,
        [typeof(OrderRefunded)] = OrderRefundedV1.EventType,
        [typeof(OrderClosed)] = OrderClosedV1.EventType,
        [typeof(OrderSplit)] = OrderSplitV1.EventType,
        [typeof(ShippingAddressChanged)] = ShippingAddressChangedV1.EventType,
        [typeof(OperatorResolution)] = OperatorResolutionV1.EventType,
    };

    /// <summary>The CloudEvent to publish for <paramref name="stored"/>; <paramref name="source"/> is this service's CloudEvents source (a URI reference).</summary>
    public static CloudEvent ToCloudEvent(StoredEvent stored, string source)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        var (type, payload) = ToPublicEvent(stored);
        var data = JsonSerializer.SerializeToElement(payload, payload.GetType(), ContractJson.Options);
        return new CloudEvent(
            Id: stored.EventId,
            Source: source,
            Type: type,
            Subject: stored.OrderId.Value,
            Time: stored.Entry.At.ToUniversalTime(),
            Data: data,
            DataSchema: EventSchemas.PathOf(type),
            TraceParent: Telemetry.OrderTrace.TraceParentFor(stored.OrderId));
    }

    /// <summary>The public type name and payload record of a stored entry.</summary>
    public static (string Type, IPublicOrderEvent Payload) ToPublicEvent(StoredEvent stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var entry = stored.Entry;
        var orderId = stored.OrderId.Value;
        var sequence = entry.Sequence;
        var at = entry.At.ToUniversalTime();
        var from = entry.From is { } f ? Status(f) : null;
        var to = Status(entry.To);
        var actor = new ActorV1(ActorKindOf(entry.Actor.Kind), entry.Actor.Id);
        var causation = entry.CausationId;

        return entry.Event switch
        {
            OrderCreated e => (OrderCreatedV1.EventType, new OrderCreatedV1(
                orderId, sequence, at, from, to, actor, causation,
                BuyerId: e.BuyerId.Value,
                OrderType: OrderTypeOf(e.OrderType),
                Currency: e.Pricing.Total.Currency.Code,
                Items: e.Items.Select(Item).ToArray(),
                Pricing: Pricing(e.Pricing),
                ShippingAddress: Address(e.ShippingAddress),
                ReturnWindowSeconds: WholeSecondsRoundedUp(e.ReturnWindow),
                PaymentDueBy: e.PaymentDueBy.ToUniversalTime(),
                SplitFrom: e.SplitFrom?.Value)),
            OrderConfirmed e => (OrderConfirmedV1.EventType, new OrderConfirmedV1(
                orderId, sequence, at, from, to, actor, causation, e.ReservationId, e.PaymentAuthorizationId)),
            OrderCancelled e => (OrderCancelledV1.EventType, new OrderCancelledV1(
                orderId, sequence, at, from, to, actor, causation, e.Reason)),
            OrderPaid e => (OrderPaidV1.EventType, new OrderPaidV1(
                orderId, sequence, at, from, to, actor, causation, e.PaymentId, Amount(e.Amount))),
            OrderShipped e => (OrderShippedV1.EventType, new OrderShippedV1(
                orderId, sequence, at, from, to, actor, causation, e.ShipmentId, e.Carrier, e.TrackingNumber)),
            OrderDelivered e => (OrderDeliveredV1.EventType, new OrderDeliveredV1(
                orderId, sequence, at, from, to, actor, causation, e.ShipmentId)),
            CashOnDeliveryCollected e => (CodCashCollectedV1.EventType, new CodCashCollectedV1(
                orderId, sequence, at, from, to, actor, causation, e.PaymentId, Amount(e.Amount))),
            RefundRequested e => (RefundRequestedV1.EventType, new RefundRequestedV1(
                orderId, sequence, at, from, to, actor, causation, e.RefundId, Amount(e.Amount), e.Reason)),
            OrderRefunded e => (OrderRefundedV1.EventType, new OrderRefundedV1(
                orderId, sequence, at, from, to, actor, causation, e.RefundId, Amount(e.Amount), Amount(e.TotalRefunded), e.Full)),
            OrderClosed => (OrderClosedV1.EventType, new OrderClosedV1(
                orderId, sequence, at, from, to, actor, causation)),
            OrderSplit e => (OrderSplitV1.EventType, new OrderSplitV1(
                orderId, sequence, at, from, to, actor, causation,
                e.Children.Select(c => new SplitChildV1(c.OrderId.Value, c.SellerId.Value, Amount(c.Total))).ToArray())),
            ShippingAddressChanged e => (ShippingAddressChangedV1.EventType, new ShippingAddressChangedV1(
                orderId, sequence, at, from, to, actor, causation, Address(e.ShippingAddress))),
            OperatorResolution e => (OperatorResolutionV1.EventType, new OperatorResolutionV1(
                orderId, sequence, at, from, to, actor, causation, e.Action, e.Subject, e.Note)),
            _ => throw new InvalidOperationException(
                $"No public event for domain event {entry.Event.GetType().Name}: add a contract, a schema and a mapping."),
        };
    }

    /// <summary>The public spelling of a status (upper case, as in the state machine).</summary>
    public static string Status(OrderStatus status) => status switch
    {
        OrderStatus.Created => PublicOrderStatus.Created,
        OrderStatus.Confirmed => PublicOrderStatus.Confirmed,
        OrderStatus.Paid => PublicOrderStatus.Paid,
        OrderStatus.Shipped => PublicOrderStatus.Shipped,
        OrderStatus.Delivered => PublicOrderStatus.Delivered,
        OrderStatus.Closed => PublicOrderStatus.Closed,
        OrderStatus.Cancelled => PublicOrderStatus.Cancelled,
        OrderStatus.Refunded => PublicOrderStatus.Refunded,
        OrderStatus.Split => PublicOrderStatus.Split,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "No public spelling for this status."),
    };

    public static string ActorKindOf(ActorKind kind) => kind switch
    {
        ActorKind.Buyer => PublicActorKind.Buyer,
        ActorKind.Seller => PublicActorKind.Seller,
        ActorKind.Operator => PublicActorKind.Operator,
        ActorKind.System => PublicActorKind.System,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "No public spelling for this actor kind."),
    };

    public static string OrderTypeOf(OrderType type) => type switch
    {
        OrderType.Prepaid => PublicOrderType.Prepaid,
        OrderType.CashOnDelivery => PublicOrderType.CashOnDelivery,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "No public spelling for this order type."),
    };

    /// <summary>The return window in whole seconds, rounded up so that a consumer never sees it shorter than agreed.</summary>
    public static long WholeSecondsRoundedUp(TimeSpan span) =>
        span <= TimeSpan.Zero ? 0 : (span.Ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond;

    private static MoneyAmount Amount(Money money) => new(money.Minor, money.Currency.Code);

    private static OrderItemV1 Item(OrderItem item) => new(
        item.Line, item.Sku, item.ProductId, item.SellerId.Value, item.Title, Amount(item.UnitPrice), item.Quantity,
        new SortedDictionary<string, string>(item.Attributes.ToDictionary(), StringComparer.Ordinal), item.Hash.Value);

    private static OrderPricingV1 Pricing(OrderPricing pricing) => new(
        Amount(pricing.Subtotal), Amount(pricing.Discount), Amount(pricing.Shipping), Amount(pricing.Total),
        pricing.Lines.Select(l => new LineAllocationV1(l.Line, Amount(l.Gross), Amount(l.Discount), Amount(l.Shipping), Amount(l.Net))).ToArray(),
        pricing.Promotions.Select(p => new AppliedPromotionV1(p.Code, Amount(p.Amount))).ToArray());

    private static ShippingAddressV1 Address(ShippingAddress address) => new(
        address.Recipient, address.Line1, address.Line2, address.City, address.PostalCode, address.CountryCode);
}
