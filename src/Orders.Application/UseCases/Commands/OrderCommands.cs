using Orders.Domain.OrderAggregate;
using Orders.Domain.Services;
using Orders.Domain.ValueObjects;

namespace Orders.Application.UseCases.Commands;

// The commands, as data. Their JSON form is the canonical request an idempotency key is bound to.

public sealed record CreateOrderCommand(
    BuyerId BuyerId,
    OrderType Type,
    IReadOnlyList<OrderItem> Items,
    IReadOnlyList<Promotion> Promotions,
    Money ShippingFee,
    ShippingAddress ShippingAddress,
    TimeSpan? ReturnWindow = null,
    TimeSpan? PaymentWindow = null);

public sealed record ConfirmOrderCommand(OrderId OrderId, string ReservationId, string? PaymentAuthorizationId);

public sealed record CancelOrderCommand(OrderId OrderId, string Reason);

public sealed record SplitOrderCommand(OrderId OrderId);

/// <summary>CapturedAt: the payments domain's time of the capture, kept in the entry beside the time the order records it.</summary>
public sealed record MarkOrderPaidCommand(OrderId OrderId, string PaymentId, Money Amount, DateTimeOffset? CapturedAt = null);

public sealed record RecordShipmentCommand(OrderId OrderId, string ShipmentId, string Carrier, string TrackingNumber);

public sealed record RecordDeliveryCommand(OrderId OrderId, string ShipmentId);

/// <summary>CollectedAt: the shipping domain's time of the collection, kept beside the time the order records it.</summary>
public sealed record RecordCashCollectedCommand(OrderId OrderId, string PaymentId, Money Amount, DateTimeOffset? CollectedAt = null);

public sealed record InitiateRefundCommand(OrderId OrderId, string RefundId, Money Amount, string Reason);

public sealed record RecordRefundCommand(OrderId OrderId, string RefundId);

public sealed record CloseOrderCommand(OrderId OrderId);

public sealed record ChangeShippingAddressCommand(OrderId OrderId, ShippingAddress ShippingAddress);
