using Orders.Domain.ValueObjects;

namespace Orders.Domain.OrderAggregate;

/// <summary>How the order was paid: a reference to what the payments domain did (never a card, never a charge).</summary>
public sealed record OrderPayment(string PaymentId, Money Amount, bool CollectedOnDelivery, DateTimeOffset RecordedAt);

/// <summary>The shipment the shipping domain created for this order.</summary>
public sealed record OrderShipment(string ShipmentId, string Carrier, string TrackingNumber, DateTimeOffset ShippedAt, DateTimeOffset? DeliveredAt);

/// <summary>A refund: requested by the order, completed when the payments domain reports the reversal.</summary>
public sealed record OrderRefund(string RefundId, Money Amount, string Reason, DateTimeOffset RequestedAt, DateTimeOffset? CompletedAt)
{
    public bool IsCompleted => CompletedAt is not null;
}
