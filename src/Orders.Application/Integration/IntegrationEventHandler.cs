using Microsoft.Extensions.Logging;
using Orders.Application.Access;
using Orders.Application.Ports.Outbound;
using Orders.Application.UseCases.Commands;
using Orders.Contracts.Integration;
using Orders.Domain.Common;
using Orders.Domain.ValueObjects;

namespace Orders.Application.Integration;

/// <summary>An inbound integration event, already parsed and schema-checked at the edge.</summary>
public sealed record InboundEvent(string EventId, string Type, DateTimeOffset Time, object Data);

public enum InboundOutcome
{
    /// <summary>Acted on (or an acknowledgement with nothing to do).</summary>
    Handled,

    /// <summary>Seen before; nothing done.</summary>
    Duplicate,

    /// <summary>Cannot be acted on and never will be: dead-letter it with the reason, never drop it.</summary>
    Poison,

    /// <summary>
    /// Arrived before the fact it depends on (a capture before the order is confirmed): redeliver it later. Not
    /// recorded in the inbox.
    /// </summary>
    Retry,
}

public sealed record InboundResult(InboundOutcome Outcome, string? Reason = null)
{
    public static InboundResult Handled { get; } = new(InboundOutcome.Handled);

    public static InboundResult Poison(string reason) => new(InboundOutcome.Poison, reason);

    public static InboundResult Retry(string reason) => new(InboundOutcome.Retry, reason);
}

/// <summary>
/// The one door for answers from payments, inventory and shipping: checks each against the order it names, ignores
/// duplicates, and routes it to the saga waiting for it or to the use case it completes. Transient failures throw
/// (the message is retried); events that can never be applied come back as <see cref="InboundOutcome.Poison"/>.
/// </summary>
public sealed partial class IntegrationEventHandler(
    Ports.Outbound.IOrderStore store,
    ISagaSignals signals,
    ISagaScheduler scheduler,
    IInbox inbox,
    MarkOrderPaid markPaid,
    RecordCashCollected recordCash,
    ILogger<IntegrationEventHandler> logger)
{
    private static readonly Caller Payments = Caller.System("payments-integration");
    private static readonly Caller Shipping = Caller.System("shipping-integration");

    public async Task<InboundResult> HandleAsync(InboundEvent inbound, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        // Answers to a saga are always delivered: a saga restarted after a crash re-sends its request with the same
        // idempotency key, the other domain answers again with the same event id, and the new instance must hear it.
        // A saga acts on the first answer to each wait and drops the rest, so a duplicate signal changes nothing.
        // Events that change the order directly go through the inbox, and their use cases are exact replays anyway.
        // This is the contract's rule for every subscriber (src/Orders.Contracts/events/README.md, "Delivery"): duplicates
        // come by CloudEvents id, also later than the broker's duplicate-detection window (decision 0014).
        var changesOrder = inbound.Data is PaymentCaptured or CashCollected;
        if (changesOrder && await inbox.WasHandledAsync(inbound.EventId, cancellationToken).ConfigureAwait(false))
            return new InboundResult(InboundOutcome.Duplicate);

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

    private async Task<InboundResult> RouteAsync(InboundEvent inbound, CancellationToken ct)
    {
        var orderId = OrderId.From(OrderIdOf(inbound.Data));
        var order = await store.LoadAsync(orderId, ct).ConfigureAwait(false);
        if (order is null) return InboundResult.Poison($"Order {orderId} does not exist.");

        switch (inbound.Data)
        {
            case StockReserved e:
                return await Signal(SagaNames.CheckoutId(orderId), SagaNames.Events.Inventory, new InventoryAnswer(true, e.ReservationId, null), ct);
            case StockReservationFailed e:
                return await Signal(SagaNames.CheckoutId(orderId), SagaNames.Events.Inventory, new InventoryAnswer(false, null, e.Reason), ct);
            case PaymentAuthorized e:
                if (ToMoney(e.Amount) != order.Total)
                    return InboundResult.Poison($"Authorised {ToMoney(e.Amount)} but the order's total is {order.Total}.");
                return await Signal(SagaNames.CheckoutId(orderId), SagaNames.Events.Payment, new PaymentAnswer(true, e.AuthorizationId, null), ct);
            case PaymentDeclined e:
                return await Signal(SagaNames.CheckoutId(orderId), SagaNames.Events.Payment, new PaymentAnswer(false, null, e.Reason), ct);
            case PaymentCaptured e:
                if (order.Status == OrderStatus.Created)
                    return InboundResult.Retry("The capture arrived before the order was confirmed.");
                var paid = await markPaid.ExecuteAsync(new MarkOrderPaidCommand(orderId, e.PaymentId, ToMoney(e.Amount)),
                    new RequestContext(Payments, inbound.Time, inbound.EventId), cancellationToken: ct).ConfigureAwait(false);
                if (!paid.IsSuccess)
                    return InboundResult.Poison($"Payment {e.PaymentId} was captured but cannot be recorded ({paid.Rejection}); it needs a manual refund or review.");
                await scheduler.StartFulfillmentAsync(orderId, ct).ConfigureAwait(false);
                return InboundResult.Handled;
            case CashCollected e:
                if (order.Status == OrderStatus.Confirmed)
                    return InboundResult.Retry("The cash report arrived before the shipment was recorded.");
                var cash = await recordCash.ExecuteAsync(new RecordCashCollectedCommand(orderId, e.PaymentId, ToMoney(e.Amount)),
                    new RequestContext(Shipping, inbound.Time, inbound.EventId), cancellationToken: ct).ConfigureAwait(false);
                return cash.IsSuccess ? InboundResult.Handled : InboundResult.Poison($"Cash {e.PaymentId} cannot be recorded: {cash.Rejection}");
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
            case StockReleased or PaymentVoided:
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
        _ => throw new DomainException("integration.unknown-event", $"Unknown integration event {data.GetType().Name}."),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Integration event {EventId} ({Type}) is poison: {Reason}")]
    private static partial void LogPoison(ILogger logger, string eventId, string type, string? reason);
}
