using Orders.Domain.ValueObjects;

namespace Orders.Application.Integration;

/// <summary>
/// Saga instance ids, derived from the order (and the refund), so a saga can never run twice for the same thing.
/// Event names the sagas wait for.
/// </summary>
public static class SagaNames
{
    public const string Checkout = "CheckoutSaga";
    public const string Fulfillment = "FulfillmentSaga";
    public const string Refund = "RefundSaga";

    /// <summary>What every checkout instance id starts with.</summary>
    public const string CheckoutPrefix = "checkout-";

    public static string CheckoutId(OrderId orderId) => $"{CheckoutPrefix}{orderId.Value}";

    public static string FulfillmentId(OrderId orderId) => $"fulfillment-{orderId.Value}";

    // "|" cannot occur in an order id, so one order's refunds never match another's prefix.
    public static string RefundId(OrderId orderId, string refundId) => $"{RefundPrefix(orderId)}{refundId}";

    public static string RefundPrefix(OrderId orderId) => $"refund-{orderId.Value}|";

    /// <summary>What every refund instance id starts with.</summary>
    public const string AnyRefundPrefix = "refund-";

    /// <summary>The order a refund instance id names (<see cref="RefundId"/>), or null when it is not one.</summary>
    public static OrderId? OrderOfRefund(string instanceId)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        if (!instanceId.StartsWith(AnyRefundPrefix, StringComparison.Ordinal)) return null;
        var bar = instanceId.IndexOf('|', AnyRefundPrefix.Length);
        if (bar <= AnyRefundPrefix.Length) return null;
        try
        {
            return OrderId.From(instanceId[AnyRefundPrefix.Length..bar]);
        }
        catch (Orders.Domain.Common.DomainException)
        {
            return null; // not an id this service wrote
        }
    }

    public static class Events
    {
        public const string Inventory = "inventory";
        public const string Payment = "payment";
        public const string Promotions = "promotions";
        public const string ShipmentCreated = "shipment-created";
        public const string ShipmentDispatched = "shipment-dispatched";
        public const string ShipmentOutcome = "shipment-outcome";
        public const string Reversal = "reversal";
        public const string RefundSettled = "refund-settled";
    }
}
