using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orders.Application.Access;
using Orders.Application.Jobs;
using Orders.Application.Telemetry;
using Orders.Application.Ports.Outbound;
using Orders.Application.UseCases.Commands;
using Orders.Contracts.Integration;
using Orders.Domain.Common;
using Orders.Domain.ValueObjects;

namespace Orders.Application.Integration;

/// <summary>An inbound integration event, already parsed and schema-checked at the edge.</summary>
/// <param name="TraceParent">The W3C trace context the message carried (CloudEvents <c>traceparent</c>), if any.</param>
public sealed record InboundEvent(string EventId, string Type, DateTimeOffset Time, object Data, string? TraceParent = null);

public enum InboundOutcome
{
    /// <summary>Acted on (or an acknowledgement with nothing to do).</summary>
    Handled,

    /// <summary>Seen before; nothing done.</summary>
    Duplicate,

    /// <summary>Cannot be acted on and never will be: dead-letter it with the reason, never drop it.</summary>
    Poison,

    /// <summary>
    /// Arrived before the fact it depends on (a capture before the order's confirmation is recorded, a cash report
    /// before the shipment): kept in the inbox and applied as soon as that fact is recorded, however long it takes.
    /// The message itself is done: nothing depends on the broker redelivering it.
    /// </summary>
    Parked,
}

public sealed record InboundResult(InboundOutcome Outcome, string? Reason = null)
{
    public static InboundResult Handled { get; } = new(InboundOutcome.Handled);

    /// <summary>Money was taken (a payment captured, cash collected) for an order that cannot take it: a person must return it.</summary>
    public bool MoneyToReturn { get; init; }

    public static InboundResult Poison(string reason) => new(InboundOutcome.Poison, reason);

    public static InboundResult Parked(string reason) => new(InboundOutcome.Parked, reason);
}

/// <summary>
/// The one door for answers from payments, inventory, shipping and promotions: checks each against the order it names, ignores
/// duplicates, and routes it to the saga waiting for it or to the use case it completes. Transient failures throw
/// (the message is retried); events that can never be applied come back as <see cref="InboundOutcome.Poison"/>.
/// <para>
/// No answer is lost because it came early. One that depends on a fact not yet recorded is parked in the inbox
/// (<see cref="InboundOutcome.Parked"/>) and applied by <see cref="ReplayParkedAsync"/> when the order records the
/// fact (the reaction table, <see cref="Reactions.OrderReactions"/>, reads the change log for it) or before anything decides the order
/// was never paid (the auto-cancel job replays first). A capture for an order cancelled meanwhile is returned at
/// once through the refund path (<see cref="UseCases.Resolutions.ReturnLateCapture"/>, decision 0016). A parked
/// answer that can never apply otherwise stays parked and the order is flagged for a person.
/// </para>
/// </summary>
public sealed partial class IntegrationEventHandler(
    Ports.Outbound.IOrderStore store,
    ISagaSignals signals,
    IInbox inbox,
    MarkOrderPaid markPaid,
    RecordCashCollected recordCash,
    UseCases.Resolutions.ReturnLateCapture returnLateCapture,
    Jobs.IStuckOrderLog stuckOrders,
    TimeProvider time,
    ILogger<IntegrationEventHandler> logger)
{
    private static readonly Caller Payments = Caller.System("payments-integration");
    private static readonly Caller Shipping = Caller.System("shipping-integration");
    private readonly KeyedTurns _turns = new();

    public async Task<InboundResult> HandleAsync(InboundEvent inbound, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        using var activity = OrderTrace.Start($"orders.inbound {inbound.Type}", OrderId.From(OrderIdOf(inbound.Data)), ActivityKind.Consumer,
            OrderTrace.Parse(inbound.TraceParent));
        activity?.SetTag("cloudevents.event_id", inbound.EventId);
        var result = await HandleOnceAsync(inbound, cancellationToken).ConfigureAwait(false);
        OrdersTelemetry.InboundEvents.Add(1, new("type", inbound.Type), new("outcome", result.Outcome.ToString()));
        activity?.SetTag("orders.outcome", result.Outcome.ToString());
        if (result.Outcome == InboundOutcome.Poison) activity?.SetStatus(ActivityStatusCode.Error, result.Reason);
        var moneyTakenInVain = result.Outcome == InboundOutcome.Poison && result.MoneyToReturn;
        if (result.Outcome != InboundOutcome.Parked && !moneyTakenInVain) return result;

        // Kept: an answer that came early waits for its fact; money that can never apply (a capture or cash for an
        // order cancelled) is kept too, and flagged below, because the buyer's money must be returned by someone.
        var orderId = OrderIdOf(inbound.Data);
        var parked = new ParkedAnswer(inbound.EventId, orderId, inbound.Type, inbound.Time,
            Contracts.Integration.InboundEventReader.WriteData(inbound.Data), time.GetUtcNow(), result.Reason!);
        await inbox.ParkAsync(parked, cancellationToken).ConfigureAwait(false);
        if (moneyTakenInVain)
        {
            await FlagAnswerCannotApplyAsync(parked, result.Reason, cancellationToken).ConfigureAwait(false);
            return result;
        }
        LogParked(logger, inbound.EventId, inbound.Type, orderId, result.Reason);
        // The fact it waits for may have been recorded while it was being parked, after the replayer had looked for
        // parked answers: look once more now that it is stored. Whatever happens later, the replayer sees it.
        await ReplayParkedAsync(orderId, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// The payment capture kept in the inbox for an order (it arrived before the order could take it), or null: the
    /// auto-cancel job asks before it calls an order unpaid.
    /// </summary>
    public async Task<KeptCapture?> CaptureKeptForAsync(string orderId, CancellationToken cancellationToken = default) =>
        await inbox.KeptCaptureAsync(orderId, cancellationToken).ConfigureAwait(false) is { } kept
        && Contracts.Integration.InboundEventReader.ReadData(kept.Type, kept.DataJson) is PaymentCaptured capture
            ? new KeptCapture(capture.PaymentId, kept.Time)
            : null;

    /// <summary>
    /// Tells the order's fulfillment saga that <paramref name="refundId"/> settled (the reaction to order.refunded): a
    /// parcel it holds because the order refused to ship while the refund was pending is looked at again now rather
    /// than at its next re-check. An instance that does not exist, has ended or holds nothing ignores the signal.
    /// </summary>
    public Task TellRefundSettledAsync(OrderId orderId, string refundId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(orderId);
        return signals.RaiseAsync(SagaNames.FulfillmentId(orderId), SagaNames.Events.RefundSettled, new RefundSettledSignal(refundId), cancellationToken);
    }

    /// <summary>
    /// Applies the answers parked for an order that can apply now, and forgets them; those still early stay parked.
    /// One that can never apply stays parked and flags the order (<see cref="StuckReasons.AnswerCannotApply"/>).
    /// Returns how many were applied.
    /// </summary>
    public async Task<int> ReplayParkedAsync(string orderId, CancellationToken cancellationToken = default)
    {
        var applied = 0;
        foreach (var parked in await inbox.ParkedForAsync(orderId, cancellationToken).ConfigureAwait(false))
        {
            var inbound = new InboundEvent(parked.EventId, parked.Type, parked.Time,
                Contracts.Integration.InboundEventReader.ReadData(parked.Type, parked.DataJson));
            var result = await HandleOnceAsync(inbound, cancellationToken).ConfigureAwait(false);
            switch (result.Outcome)
            {
                case InboundOutcome.Parked:
                    continue;
                case InboundOutcome.Poison:
                    await FlagAnswerCannotApplyAsync(parked, result.Reason, cancellationToken).ConfigureAwait(false);
                    continue;
                case InboundOutcome.Handled:
                    applied++;
                    LogUnparked(logger, parked.EventId, parked.Type, orderId);
                    break;
            }
            await inbox.UnparkAsync(orderId, parked.EventId, cancellationToken).ConfigureAwait(false);
        }
        return applied;
    }

    private async Task<InboundResult> HandleOnceAsync(InboundEvent inbound, CancellationToken cancellationToken)
    {
        // Answers to a saga are always delivered: a saga restarted after a crash re-sends its request with the same
        // idempotency key, the other domain answers again with the same event id, and the new instance must hear it.
        // A saga acts on the first answer to each wait and drops the rest, so a duplicate signal changes nothing.
        // Events that change the order directly go through the inbox, and their use cases are exact replays anyway.
        // This is the contract's rule for every subscriber (src/Orders.Contracts/events/README.md, "Delivery"): duplicates
        // come by CloudEvents id, also later than the broker's duplicate-detection window (decision 0014).
        var changesOrder = inbound.Data is PaymentCaptured or CashCollected;
        if (!changesOrder) return await RouteOnceAsync(inbound, changesOrder, cancellationToken).ConfigureAwait(false);

        // Copies of one event delivered at the same moment (a broker redelivering while the first copy is still being
        // handled, or the parked-answer replayer racing the confirm step) take turns in this process, so the second
        // finds the first's inbox mark and is reported as the duplicate it is. Across processes the use cases are
        // exact replays (same payment id), so a copy that slips past the inbox still records nothing twice.
        using var turn = await _turns.TakeAsync(inbound.EventId, cancellationToken).ConfigureAwait(false);
        if (await inbox.WasHandledAsync(inbound.EventId, cancellationToken).ConfigureAwait(false))
            return new InboundResult(InboundOutcome.Duplicate);
        return await RouteOnceAsync(inbound, changesOrder, cancellationToken).ConfigureAwait(false);
    }

    private async Task<InboundResult> RouteOnceAsync(InboundEvent inbound, bool changesOrder, CancellationToken cancellationToken)
    {

        InboundResult result;
        try
        {
            result = await RouteAsync(inbound, cancellationToken).ConfigureAwait(false);
        }
        catch (DomainException e)
        {
            result = InboundResult.Poison($"{e.Code}: {e.Message}");
        }

        if (result.Outcome == InboundOutcome.Poison) LogPoison(logger, inbound.EventId, inbound.Type, result.Reason);
        else if (result.Outcome == InboundOutcome.Handled && changesOrder) await inbox.MarkHandledAsync(inbound.EventId, inbound.Time, cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async Task FlagAnswerCannotApplyAsync(ParkedAnswer parked, string? reason, CancellationToken cancellationToken)
    {
        var orderId = OrderId.From(parked.OrderId);
        var order = await store.LoadAsync(orderId, cancellationToken).ConfigureAwait(false);
        if (order is null) return; // an answer for an order that does not exist was never parked (poison at once)
        var existing = await stuckOrders.GetAsync(orderId, cancellationToken).ConfigureAwait(false);
        if (existing?.Reason == StuckReasons.AnswerCannotApply) return;
        var now = time.GetUtcNow();
        await stuckOrders.FlagAsync(new StuckOrder(orderId, order.Status, parked.ParkedAt, StuckReasons.AnswerCannotApply,
            $"{parked.Type} {parked.EventId} arrived early and can no longer apply: {reason}", now), cancellationToken).ConfigureAwait(false);
    }

    private async Task<InboundResult> RouteAsync(InboundEvent inbound, CancellationToken ct)
    {
        var orderId = OrderId.From(OrderIdOf(inbound.Data));
        // Routing needs the order's state, not the order: its stored state by a point read (one row, one document).
        // The one load of the order rebuilt from its history is the use case's, for the two answers that change it.
        var order = (await store.ReadStateAsync(orderId, ct).ConfigureAwait(false))?.View;
        if (order is null) return InboundResult.Poison($"Order {orderId} does not exist.");

        switch (inbound.Data)
        {
            case StockReserved e:
                return await Signal(SagaNames.CheckoutId(orderId), SagaNames.Events.Inventory, new InventoryAnswer(true, e.ReservationId, null), ct);
            case StockReservationFailed e:
                return await Signal(SagaNames.CheckoutId(orderId), SagaNames.Events.Inventory, new InventoryAnswer(false, null, e.Reason), ct);
            case PaymentAuthorized e:
                if (ToMoney(e.Amount) != order.Pricing.Total)
                    return InboundResult.Poison($"Authorised {ToMoney(e.Amount)} but the order's total is {order.Pricing.Total}.");
                return await Signal(SagaNames.CheckoutId(orderId), SagaNames.Events.Payment, new PaymentAnswer(true, e.AuthorizationId, null), ct);
            case PaymentDeclined e:
                return await Signal(SagaNames.CheckoutId(orderId), SagaNames.Events.Payment, new PaymentAnswer(false, null, e.Reason), ct);
            case PaymentCaptured e:
                if (order.Status == OrderStatus.Created)
                    return InboundResult.Parked("The capture arrived before the order's confirmation was recorded.");
                if (order.Status == OrderStatus.Cancelled && (order.Payment is null || order.Payment.PaymentId == e.PaymentId))
                {
                    // A capture the cancelled order never took: the money goes back through the refund path at once
                    // (decision 0016). It may have been captured before the cancellation (kept in the inbox while the
                    // order awaited its confirmation), so the reason gives the payments domain's time of the capture
                    // rather than claiming an order of events.
                    var returned = await returnLateCapture.ExecuteAsync(new UseCases.Resolutions.LateCapture(orderId, e.PaymentId, ToMoney(e.Amount),
                        $"payment captured at {inbound.Time:O}, not taken by the order before it was cancelled"),
                        new RequestContext(Payments, time.GetUtcNow(), inbound.EventId), ct).ConfigureAwait(false);
                    return returned.IsSuccess ? InboundResult.Handled
                        : InboundResult.Poison($"Payment {e.PaymentId} was captured for a cancelled order and cannot be returned automatically ({returned.Rejection}); it needs a manual refund or review.") with { MoneyToReturn = true };
                }
                var paid = await markPaid.ExecuteAsync(new MarkOrderPaidCommand(orderId, e.PaymentId, ToMoney(e.Amount), inbound.Time),
                    new RequestContext(Payments, time.GetUtcNow(), inbound.EventId), cancellationToken: ct).ConfigureAwait(false);
                // The fact order.paid is recorded; its reaction (OrderReactions) starts the fulfillment saga.
                return paid.IsSuccess ? InboundResult.Handled
                    : InboundResult.Poison($"Payment {e.PaymentId} was captured but cannot be recorded ({paid.Rejection}); it needs a manual refund or review.") with { MoneyToReturn = true };
            case CashCollected e:
                if (order.Status is OrderStatus.Created or OrderStatus.Confirmed)
                    return InboundResult.Parked("The cash report arrived before the shipment was recorded.");
                var cash = await recordCash.ExecuteAsync(new RecordCashCollectedCommand(orderId, e.PaymentId, ToMoney(e.Amount), inbound.Time),
                    new RequestContext(Shipping, time.GetUtcNow(), inbound.EventId), cancellationToken: ct).ConfigureAwait(false);
                // Cash the courier took for an order that cannot record it (cancelled while its parcel was on its
                // way): the buyer paid, so it is kept and the order flagged for a person to return it.
                return cash.IsSuccess ? InboundResult.Handled
                    : InboundResult.Poison($"Cash {e.PaymentId} was collected but cannot be recorded ({cash.Rejection}); it needs a manual refund or review.") with { MoneyToReturn = true };
            case PaymentReversed e:
                return await Signal(SagaNames.RefundId(orderId, e.RefundId), SagaNames.Events.Reversal, new ReversalAnswer(e.RefundId, true, null), ct);
            case RefundFailed e:
                return await Signal(SagaNames.RefundId(orderId, e.RefundId), SagaNames.Events.Reversal, new ReversalAnswer(e.RefundId, false, e.Reason), ct);
            case ShipmentCreated e:
                return await Signal(SagaNames.FulfillmentId(orderId), SagaNames.Events.ShipmentCreated, new ShipmentCreatedAnswer(e.ShipmentId, e.Carrier, e.TrackingNumber), ct);
            case ShipmentDispatched e:
                return await Signal(SagaNames.FulfillmentId(orderId), SagaNames.Events.ShipmentDispatched, new ShipmentDispatchedAnswer(e.ShipmentId), ct);
            case ShipmentDelivered e:
                return await Signal(SagaNames.FulfillmentId(orderId), SagaNames.Events.ShipmentOutcome, new ShipmentOutcomeAnswer(e.ShipmentId, true, null), ct);
            case ShipmentLost e:
                return await Signal(SagaNames.FulfillmentId(orderId), SagaNames.Events.ShipmentOutcome, new ShipmentOutcomeAnswer(e.ShipmentId, false, e.Reason), ct);
            case PromotionsRedeemed e:
                return await Signal(SagaNames.CheckoutId(orderId), SagaNames.Events.Promotions, new PromotionsAnswer(true, e.RedemptionId, null), ct);
            case PromotionRedemptionRefused e:
                return await Signal(SagaNames.CheckoutId(orderId), SagaNames.Events.Promotions,
                    new PromotionsAnswer(false, null, $"{e.Reason} ({string.Join(", ", e.Codes)})"), ct);
            case StockReleased or PaymentVoided or PromotionsReleased:
                return InboundResult.Handled; // acknowledgements of compensations: nothing waits for them
            default:
                return InboundResult.Poison($"No handler for {inbound.Type}.");
        }
    }

    private async Task<InboundResult> Signal(string instanceId, string eventName, object payload, CancellationToken ct)
    {
        await signals.RaiseAsync(instanceId, eventName, payload, ct).ConfigureAwait(false);
        return InboundResult.Handled;
    }

    private static Money ToMoney(MoneyAmount amount) => Money.Of(amount.Minor, Currency.Of(amount.Currency));

    private static string OrderIdOf(object data) => data switch
    {
        StockReserved e => e.OrderId,
        StockReservationFailed e => e.OrderId,
        StockReleased e => e.OrderId,
        PaymentAuthorized e => e.OrderId,
        PaymentDeclined e => e.OrderId,
        PaymentCaptured e => e.OrderId,
        PaymentVoided e => e.OrderId,
        PaymentReversed e => e.OrderId,
        RefundFailed e => e.OrderId,
        ShipmentCreated e => e.OrderId,
        ShipmentDispatched e => e.OrderId,
        ShipmentDelivered e => e.OrderId,
        ShipmentLost e => e.OrderId,
        CashCollected e => e.OrderId,
        PromotionsRedeemed e => e.OrderId,
        PromotionRedemptionRefused e => e.OrderId,
        PromotionsReleased e => e.OrderId,
        _ => throw new DomainException("integration.unknown-event", $"Unknown integration event {data.GetType().Name}."),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Integration event {EventId} ({Type}) for {OrderId} parked: {Reason}")]
    private static partial void LogParked(ILogger logger, string eventId, string type, string orderId, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Parked integration event {EventId} ({Type}) for {OrderId} applied")]
    private static partial void LogUnparked(ILogger logger, string eventId, string type, string orderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Integration event {EventId} ({Type}) is poison: {Reason}")]
    private static partial void LogPoison(ILogger logger, string eventId, string type, string? reason);
}

/// <summary>A payment capture kept in the inbox: the payment's id and the payments domain's time of the capture.</summary>
public sealed record KeptCapture(string PaymentId, DateTimeOffset CapturedAt);
