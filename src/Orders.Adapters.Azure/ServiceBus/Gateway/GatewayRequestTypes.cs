namespace Orders.Infrastructure.ServiceBus.Gateway;

/// <summary>
/// The CloudEvents <c>type</c> of each request Orders sends to another domain on the requests topic
/// (<see cref="GatewayRequestOptions.RequestsTopic"/>). <c>orders.&lt;request&gt;.v&lt;major&gt;</c>: the source domain
/// first, like the events Orders publishes; the receiving domain subscribes by type (application property
/// <c>cloudEvents:type</c>, or the message's <c>Subject</c>).
/// </summary>
public static class GatewayRequestTypes
{
    public const string ReserveStock = "orders.reserve-stock.v1";
    public const string ReleaseStock = "orders.release-stock.v1";
    public const string InitiatePayment = "orders.initiate-payment.v1";
    public const string VoidPayment = "orders.void-payment.v1";
    public const string ReversePayment = "orders.reverse-payment.v1";
    public const string CreateShipment = "orders.create-shipment.v1";
    public const string DispatchShipment = "orders.dispatch-shipment.v1";
    public const string CancelShipment = "orders.cancel-shipment.v1";
    public const string RedeemPromotions = "orders.redeem-promotions.v1";
    public const string ReleasePromotions = "orders.release-promotions.v1";
    public const string Notify = "orders.notify.v1";

    /// <summary>Every request type, by the domain that acts on it.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ByDomain { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["inventory"] = [ReserveStock, ReleaseStock],
        ["payments"] = [InitiatePayment, VoidPayment, ReversePayment],
        ["shipping"] = [CreateShipment, DispatchShipment, CancelShipment],
        ["promotions"] = [RedeemPromotions, ReleasePromotions],
        ["notifications"] = [Notify],
    };
}
