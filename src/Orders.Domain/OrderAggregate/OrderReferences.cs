using Orders.Domain.ValueObjects;

namespace Orders.Domain.OrderAggregate;

/// <summary>How the order was paid: a reference to what the payments domain did (never a card, never a charge).</summary>
public sealed record OrderPayment(string PaymentId, Money Amount, bool CollectedOnDelivery, DateTimeOffset RecordedAt);

/// <summary>The shipment the shipping domain created for this order.</summary>
/// <remarks>
/// <see cref="LostAt"/>: an operator recorded the parcel as lost in transit, and how it is made good
/// (<see cref="LostResolution"/>: <c>refund</c> or <c>replace</c>). A replaced shipment moves to
/// <see cref="Order.LostShipments"/> when its replacement ships.
/// </remarks>
public sealed record OrderShipment(string ShipmentId, string Carrier, string TrackingNumber, DateTimeOffset ShippedAt, DateTimeOffset? DeliveredAt,
    DateTimeOffset? LostAt = null, string? LostResolution = null)
{
    public const string ResolvedByRefund = "refund";
    public const string ResolvedByReplacement = "replace";

    public bool IsLost => LostAt is not null;

    /// <summary>Lost, and a replacement was chosen that has not shipped yet.</summary>
    public bool AwaitsReplacement => IsLost && LostResolution == ResolvedByReplacement;
}

/// <summary>A refund: requested by the order, completed when the payments domain reports the reversal.</summary>
public sealed record OrderRefund(string RefundId, Money Amount, string Reason, DateTimeOffset RequestedAt, DateTimeOffset? CompletedAt)
{
    public bool IsCompleted => CompletedAt is not null;
}
