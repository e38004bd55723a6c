using Orders.Application.Access;
using Orders.Application.Integration;
using Orders.Application.Ports.Outbound;
using Orders.Domain.Common;
using Orders.Domain.OrderAggregate;

namespace Orders.Application.UseCases.Resolutions;

/// <summary>
/// An operator resolves a parcel lost in transit: <c>refund</c> records the loss and a full refund in one fact and
/// starts the refund saga (which reverses the payment and closes the order: SHIPPED → REFUNDED → CLOSED);
/// <c>replace</c> records the loss and runs the fulfillment saga again, which ships a new parcel for the same order
/// and waits for its delivery. Refused while the fulfillment saga still waits on the carrier.
/// </summary>
public sealed class ResolveLostParcel(OrderCommandRunner runner, ISagaProgressReader progress, ISagaRestarter restarter)
{
    public const string ByRefund = OrderShipment.ResolvedByRefund;
    public const string ByReplacement = OrderShipment.ResolvedByReplacement;

    /// <summary>The refund that makes good a lost shipment: one per shipment, so a repeated resolution names the same refund.</summary>
    public static string RefundIdFor(string shipmentId) =>
        shipmentId.Length <= 190 ? "lost-" + shipmentId : "lost-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(shipmentId)))[..32];

    public async Task<Result<CommandReply>> ExecuteAsync(ResolveLostParcelCommand command, RequestContext request, long? expectedVersion = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(request);
        if (!OrderAccess.MayIssue(request.Caller, OrderCommand.ResolveLostParcel)) return ApplicationRejections.Forbidden("resolve lost parcels");
        var fulfillment = SagaNames.FulfillmentId(command.OrderId);
        var running = SagaRetries.IsRunning(await progress.GetProgressAsync(command.OrderId, cancellationToken).ConfigureAwait(false), fulfillment);
        var refundId = RefundIdFor(command.ShipmentId);

        var result = await runner.RunAsync(command.OrderId, OrderCommand.ResolveLostParcel, request, command, (order, context) =>
            command.Resolution switch
            {
                _ when running && order.Shipment?.ShipmentId == command.ShipmentId && order.Shipment.IsLost == false => ApplicationRejections.SagaRunning(fulfillment),
                ByRefund => order.RefundLostParcel(command.ShipmentId, refundId, command.Reason, context),
                ByReplacement => order.ReplaceLostParcel(command.ShipmentId, command.Reason, context),
                _ => OrderRejections.Of(OrderRejections.Codes.Invalid, $"resolution must be '{ByRefund}' or '{ByReplacement}'."),
            },
            expectedVersion, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess) return result;

        // A refund is started by the reaction to its recorded fact; a replacement restarts the finished fulfillment saga.
        if (command.Resolution == ByReplacement && !running) await restarter.RestartAfterRecordingAsync(SagaNames.Fulfillment, command.OrderId, fulfillment, null, cancellationToken).ConfigureAwait(false);
        return result;
    }
}
