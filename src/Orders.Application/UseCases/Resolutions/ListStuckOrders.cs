using Orders.Application.Access;
using Orders.Application.Integration;
using Orders.Application.Jobs;
using Orders.Application.Ports.Outbound;
using Orders.Domain.Common;
using Orders.Domain.Events;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;

namespace Orders.Application.UseCases.Resolutions;

/// <summary>One resolution an operator may apply to a stuck order now, with what it needs (the page draws it as a button).</summary>
public sealed record ResolutionOption(string Action, string? Saga = null, string? RefundId = null, string? ShipmentId = null);

/// <summary>Who acknowledged a stuck flag, when, and their note.</summary>
public sealed record StuckAcknowledgement(Actor By, DateTimeOffset At, string Note);

/// <summary>A stuck order as operations see it: what detect-stuck found, the order's state, and what can be done.</summary>
public sealed record StuckOrderView(
    OrderId OrderId,
    OrderStatus Status,
    long Version,
    DateTimeOffset Since,
    string Reason,
    string Detail,
    DateTimeOffset DetectedAt,
    StuckAcknowledgement? Acknowledged,
    IReadOnlyList<ResolutionOption> Resolutions);

public sealed record StuckOrdersPage(IReadOnlyList<StuckOrderView> Orders);

/// <summary>
/// The stuck-order list for operators: each entry of the <see cref="IStuckOrderLog"/>, joined with the order's
/// current version (for If-Match), the last acknowledgement of this flag, and the resolutions its state allows.
/// </summary>
public sealed class ListStuckOrders(IStuckOrderLog stuck, IOrderStore store, ISagaProgressReader progress, IInbox inbox)
{
    public const string RetrySagaAction = "retry-saga";
    public const string RefundLostParcelAction = "refund-lost-parcel";
    public const string ReplaceLostParcelAction = "replace-lost-parcel";
    public const string SettleRefundAction = "settle-refund";
    public const string CancelCheckoutAction = "cancel-checkout";
    public const string ReturnLateCaptureAction = "return-late-capture";
    public const string AcknowledgeAction = "acknowledge";

    public async Task<Result<StuckOrdersPage>> ExecuteAsync(Caller caller, int max, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.Kind is not (ActorKind.Operator or ActorKind.System)) return ApplicationRejections.Forbidden("list stuck orders");
        var views = new List<StuckOrderView>();
        foreach (var entry in await stuck.ListAsync(max, cancellationToken).ConfigureAwait(false))
        {
            Order? order = null;
            try
            {
                order = await store.LoadAsync(entry.OrderId, cancellationToken).ConfigureAwait(false);
            }
            catch (OrderHistoryUnreadableException)
            {
                // Listed as found (history-broken): no resolution applies to an order whose history cannot be read.
            }
            var options = order is null || entry.Reason == StuckReasons.HistoryBroken ? [] : await OptionsAsync(order, cancellationToken).ConfigureAwait(false);
            views.Add(new StuckOrderView(entry.OrderId, order?.Status ?? entry.Status, order?.Version ?? 0, entry.Since, entry.Reason, entry.Detail,
                entry.DetectedAt, order is null ? null : Acknowledgement(order, entry), options));
        }
        return Result<StuckOrdersPage>.Ok(new StuckOrdersPage(views));
    }

    private static StuckAcknowledgement? Acknowledgement(Order order, StuckOrder entry) =>
        order.History.LastOrDefault(h => h.Event is OperatorResolution { Action: OperatorResolution.Actions.AcknowledgeStuck } a
                && a.Subject == entry.Reason && h.At >= entry.DetectedAt) is { } ack
            ? new StuckAcknowledgement(ack.Actor, ack.At, ((OperatorResolution)ack.Event).Note)
            : null;

    private async Task<IReadOnlyList<ResolutionOption>> OptionsAsync(Order order, CancellationToken cancellationToken)
    {
        var sagas = await progress.GetProgressAsync(order.Id, cancellationToken).ConfigureAwait(false);
        var options = new List<ResolutionOption>();
        foreach (var expected in SagaExpectations.For(order).Where(e => !SagaRetries.IsRunning(sagas, e.InstanceId)))
        {
            var saga = expected.Saga switch
            {
                SagaNames.Checkout => SagaRetries.Checkout,
                SagaNames.Fulfillment => SagaRetries.Fulfillment,
                _ => SagaRetries.Refund,
            };
            options.Add(new ResolutionOption(RetrySagaAction, saga, expected.RefundId));
            if (expected.RefundId is not null) options.Add(new ResolutionOption(SettleRefundAction, RefundId: expected.RefundId));
        }
        if (order is { Status: OrderStatus.Shipped, Shipment: { IsLost: false } shipment } && !SagaRetries.IsRunning(sagas, SagaNames.FulfillmentId(order.Id)))
        {
            if (order.Payment is not null && !order.RefundableAmount.IsZero) options.Add(new ResolutionOption(RefundLostParcelAction, ShipmentId: shipment.ShipmentId));
            options.Add(new ResolutionOption(ReplaceLostParcelAction, ShipmentId: shipment.ShipmentId));
        }
        if (order.Status is OrderStatus.Created or OrderStatus.Confirmed && order.Payment is null) options.Add(new ResolutionOption(CancelCheckoutAction));
        if (order.Status == OrderStatus.Cancelled && order.Payment is null
            && await inbox.KeptCaptureAsync(order.Id.Value, cancellationToken).ConfigureAwait(false) is not null)
            options.Add(new ResolutionOption(ReturnLateCaptureAction));
        options.Add(new ResolutionOption(AcknowledgeAction));
        return options;
    }
}
