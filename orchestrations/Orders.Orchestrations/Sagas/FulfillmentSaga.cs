using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Orders.Application.Integration;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;
using Orders.Orchestrations.Activities;
using static Orders.Orchestrations.Sagas.SagaSteps;

namespace Orders.Orchestrations.Sagas;

/// <summary>
/// OrderPaid (or a confirmed cash-on-delivery order) → CreateShipment → Dispatch → Deliver. Each answer from the
/// shipping domain is awaited with a durable timer; an answer that does not come is escalated (and waited for
/// again) rather than forgotten, and a parcel reported lost is escalated for a human decision (reship or refund).
/// </summary>
public sealed class FulfillmentSaga : TaskOrchestrator<FulfillmentInput, SagaOutcome>
{
    private const string Saga = SagaNames.Fulfillment;

    public override Task<SagaOutcome> RunAsync(TaskOrchestrationContext context, FulfillmentInput input) =>
        RunToEndAsync(context, () => RunCoreAsync(context, input));

    private static async Task<SagaOutcome> RunCoreAsync(TaskOrchestrationContext context, FulfillmentInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var options = input.Options;
        var retry = options.Retry();
        var orderId = input.OrderId;

        var order = await context.CallActivityAsync<OrderFacts?>(nameof(LoadOrderFacts), new LoadOrderRequest(orderId), retry);
        // The n-th parcel of the order (0 the first; n > 0 a replacement for a lost one, decision 0016) has its own keys.
        var attempt = order?.ShipmentAttempt ?? 0;
        // From revision 2 the buyer's notices go with the step that records the fact (no activity of their own).
        var notices = input.CombinesSteps ? new BuyerNoticeFor(order?.BuyerId) : null;
        var dispatchStep = attempt == 0 ? "dispatch" : $"dispatch-{attempt}";
        if (order is { Status: OrderStatus.Shipped, ShipmentId: { } inTransit, ReplacementPending: false })
        {
            // Restarted with the parcel on its way (the answers in flight were lost): ask the carrier again with the
            // dispatch's own key; it acts once and reports the journey's outcome again.
            await context.CallActivityAsync<bool>(nameof(DispatchShipmentStep), new GatewayRequest(orderId, Key(context, dispatchStep), inTransit), retry);
            return await AwaitDeliveryAsync(context, input, orderId, inTransit, retry, dispatchStep, notices);
        }
        var ready = order is not null && (order.ReplacementPending
            ? order.Status == OrderStatus.Shipped
            : order.CashOnDelivery ? order.Status == OrderStatus.Confirmed : order.Status == OrderStatus.Paid);
        if (order is null || !ready) return new SagaOutcome(SagaResult.Skipped, $"The order is {order?.Status.ToString() ?? "missing"}, not ready to ship.");

        context.SetCustomStatus(new SagaStatus(attempt == 0 ? "creating-shipment" : "creating-replacement", order.ReplacementPending ? order.ShipmentId : null));
        var createShipment = new GatewayRequest(orderId, Key(context, attempt == 0 ? "create-shipment" : $"create-shipment-{attempt}"));
        await context.CallActivityAsync<bool>(nameof(CreateShipmentStep), createShipment, retry);
        // Revision 5: a replacement's creation is not the lost parcel's creation answered again.
        var lostParcel = order.ReplacementPending ? order.ShipmentId : null;
        var created = await WaitOrEscalateAsync<ShipmentCreatedAnswer>(context, Saga, orderId, SagaNames.Events.ShipmentCreated,
            options.ShipmentTimeout, options, "the shipping domain has not created a shipment", (nameof(CreateShipmentStep), createShipment),
            input.MatchesShipmentIds ? answer => answer.ShipmentId != lostParcel : null);
        if (created is null) return Escalated(context, orderId, "no shipment was ever created");

        context.SetCustomStatus(new SagaStatus("dispatching", created.ShipmentId));
        var dispatch = new GatewayRequest(orderId, Key(context, dispatchStep), created.ShipmentId) { OnlyIfShipping = input.StopsParcelsBeforeDispatch };
        if (!await context.CallActivityAsync<bool>(nameof(DispatchShipmentStep), dispatch, retry) && input.StopsParcelsBeforeDispatch)
        {
            // Revision 5: the order will not ship any more (cancelled, refunded or closed while the parcel was
            // prepared) and the carrier was not given it: the parcel is stopped, which is the outcome, not a problem.
            return await StopParcelAsync(context, orderId, created.ShipmentId, OrderRejections.Codes.NotShippable, escalate: false, retry);
        }
        var dispatched = await WaitOrEscalateAsync<ShipmentDispatchedAnswer>(context, Saga, orderId, SagaNames.Events.ShipmentDispatched,
            options.ShipmentTimeout, options, $"shipment {created.ShipmentId} has not been picked up", (nameof(DispatchShipmentStep), dispatch),
            input.MatchesShipmentIds ? answer => answer.ShipmentId == created.ShipmentId : null);
        if (dispatched is null) return Escalated(context, orderId, $"shipment {created.ShipmentId} was never picked up");

        var ship = new ShipRequest(orderId, created.ShipmentId, created.Carrier, created.TrackingNumber, Key(context, "ship"),
            notices?.Of("order-shipped", created.TrackingNumber));
        var shipped = await context.CallActivityAsync<StepResult>(nameof(RecordShipmentStep), ship, retry);
        // Revision 3: a refund requested while the parcel was prepared may be partial; the parcel waits for it to settle.
        var held = !shipped.Ok && input.HoldsForRefunds && shipped.RejectionCode == OrderRejections.Codes.RefundPending;
        if (held) shipped = await HoldWhileRefundPendingAsync(context, options, ship, retry);
        if (!shipped.Ok)
        {
            // The order moved on while the parcel was prepared (it was refunded or closed; before revision 3, also a
            // refund merely pending): stop the parcel. "Not shippable" is an order that will not ship (refunded in
            // full or closed since, or a cash-on-delivery order cancelled): the parcel stopped is the outcome, not a
            // problem for a person. Revision 3 said so only after a hold; revision 4 also when the refund settled while
            // the parcel was prepared. Anything else (before revision 3, every refusal) is escalated.
            var unshippable = shipped.RejectionCode == OrderRejections.Codes.NotShippable;
            return await StopParcelAsync(context, orderId, created.ShipmentId, shipped.RejectionCode,
                escalate: !(unshippable && (held || input.StopsUnshippableParcelsQuietly)), retry);
        }
        if (notices is null)
            await context.CallActivityAsync<bool>(nameof(NotifyBuyer), new NotifyRequest(orderId, "order-shipped", created.TrackingNumber), retry);
        return await AwaitDeliveryAsync(context, input, orderId, created.ShipmentId, retry, dispatchStep, notices);
    }

    /// <summary>
    /// Stops a parcel the order will not ship: cancelled with the shipping domain (the saga's one cancel-shipment key),
    /// escalated to a person when <paramref name="escalate"/>, and the saga ends <c>shipment-cancelled</c>.
    /// </summary>
    private static async Task<SagaOutcome> StopParcelAsync(TaskOrchestrationContext context, string orderId, string shipmentId, string? why,
        bool escalate, TaskOptions retry)
    {
        await context.CallActivityAsync<bool>(nameof(CancelShipmentStep), new GatewayRequest(orderId, Key(context, "cancel-shipment"), shipmentId, why), retry);
        if (escalate)
            await context.CallActivityAsync<bool>(nameof(EscalateStep), new EscalateRequest(orderId, Saga, $"shipment cancelled: the order refused it ({why})", 1), retry);
        context.SetCustomStatus(new SagaStatus("shipment-cancelled", why));
        return new SagaOutcome(SagaResult.ShipmentCancelled, why);
    }

    private static async Task<SagaOutcome> AwaitDeliveryAsync(TaskOrchestrationContext context, FulfillmentInput input, string orderId,
        string shipmentId, TaskOptions retry, string dispatchStep, BuyerNoticeFor? notices)
    {
        var options = input.Options;
        context.SetCustomStatus(new SagaStatus("in-transit", shipmentId));
        // Asking the carrier again is the dispatch request with its own key (as after a restart): it reports the outcome again.
        // Revision 5: an outcome about another parcel (the lost one, reported again or found late) is not this one's.
        var outcome = await WaitOrEscalateAsync<ShipmentOutcomeAnswer>(context, Saga, orderId, SagaNames.Events.ShipmentOutcome,
            options.DeliveryTimeout, options, $"shipment {shipmentId} has not been delivered",
            (nameof(DispatchShipmentStep), new GatewayRequest(orderId, Key(context, dispatchStep), shipmentId)),
            input.MatchesShipmentIds ? answer => answer.ShipmentId == shipmentId : null);
        if (outcome is null) return Escalated(context, orderId, $"shipment {shipmentId} never arrived");
        if (!outcome.Delivered)
        {
            await context.CallActivityAsync<bool>(nameof(EscalateStep),
                new EscalateRequest(orderId, Saga, $"shipment {shipmentId} lost: {outcome.Reason}", 1), retry);
            return Escalated(context, orderId, $"shipment {shipmentId} lost: {outcome.Reason}");
        }

        var delivered = await context.CallActivityAsync<StepResult>(nameof(RecordDeliveryStep),
            new DeliverRequest(orderId, shipmentId, Key(context, "deliver"), notices?.Of("order-delivered")), retry);
        if (!delivered.Ok) return Escalated(context, orderId, $"delivery could not be recorded: {delivered.RejectionCode}");
        if (notices is null) await context.CallActivityAsync<bool>(nameof(NotifyBuyer), new NotifyRequest(orderId, "order-delivered"), retry);
        context.SetCustomStatus(new SagaStatus("delivered"));
        return new SagaOutcome(SagaResult.Delivered);
    }

    /// <summary>
    /// Revision 3: the order refused to record the parcel as shipped because a refund is pending (FulfillmentPolicy:
    /// nothing ships while the buyer may be getting their money back). The parcel is held, not cancelled: the refund
    /// may be partial, and then the order is still paid and still to be shipped. The saga waits for the reaction to
    /// order.refunded (<see cref="SagaNames.Events.RefundSettled"/>) or, should that signal never come, looks again
    /// after <see cref="SagaOptions.RefundHoldRecheck"/>, doubling up to 16 times that; each look asks the order to
    /// record the shipment again with the same key (a refusal records nothing, so the key is still unused). Returns the
    /// first answer that is not "refund pending": shipped, or refused because the order was refunded (the caller
    /// cancels the parcel then). A hold longer than <see cref="SagaOptions.ShipmentTimeout"/> is escalated once; the
    /// refund's own saga escalates a refund that does not settle. Bounded, as an orchestration's history must be: after
    /// <see cref="MaxHoldLooks"/> looks (about a week with the default re-check) the last refusal is returned and the
    /// parcel cancelled, as before revision 3, with the order escalated for a person.
    /// </summary>
    private static async Task<StepResult> HoldWhileRefundPendingAsync(TaskOrchestrationContext context, SagaOptions options, ShipRequest ship,
        TaskOptions retry)
    {
        var heldSince = context.CurrentUtcDateTime;
        var recheck = options.RefundHoldRecheck > TimeSpan.Zero ? options.RefundHoldRecheck : TimeSpan.FromMinutes(15);
        var longest = recheck * 16;
        var escalated = false;
        var shipped = new StepResult(false, null, OrderRejections.Codes.RefundPending);
        for (var look = 1; look <= MaxHoldLooks; look++)
        {
            context.SetCustomStatus(new SagaStatus("held-for-refund", ship.ShipmentId));
            await WaitAsync<RefundSettledSignal>(context, SagaNames.Events.RefundSettled, recheck);
            shipped = await context.CallActivityAsync<StepResult>(nameof(RecordShipmentStep), ship, retry);
            if (shipped.Ok || shipped.RejectionCode != OrderRejections.Codes.RefundPending) return shipped;
            if (!escalated && context.CurrentUtcDateTime - heldSince >= options.ShipmentTimeout)
            {
                escalated = true;
                await context.CallActivityAsync<bool>(nameof(EscalateStep),
                    new EscalateRequest(ship.OrderId, Saga, $"shipment {ship.ShipmentId} held since {heldSince:O}: a refund is still pending", 1), retry);
            }
            if (recheck < longest) recheck += recheck;
        }
        return shipped;
    }

    /// <summary>How many times a held parcel looks at the order again before it is cancelled (revision 3).</summary>
    internal const int MaxHoldLooks = 40;

    private static SagaOutcome Escalated(TaskOrchestrationContext context, string orderId, string reason)
    {
        context.SetCustomStatus(new SagaStatus("escalated", reason));
        context.CreateReplaySafeLogger<FulfillmentSaga>().LogError("Fulfillment of {OrderId} escalated: {Reason}", orderId, reason);
        return new SagaOutcome(SagaResult.Escalated, reason);
    }
}
