using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Orders.Application.Access;
using Orders.Application.Integration;
using Orders.Application.Reactions;
using Orders.Application.UseCases.Commands;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;
using static Orders.Infrastructure.Simulators.SimulatedFailure;

namespace Orders.Orchestrations.Tests;

/// <summary>
/// The steps of a refund requested while the order's parcel is prepared (fulfillment revision 3): shared by
/// <see cref="RefundHoldTests"/> and the history recording, which keeps the path's history for replay.
/// </summary>
internal static class RefundHoldScenario
{
    private static readonly Caller Buyer = Caller.Buyer("buyer-1");

    /// <summary>
    /// A prepaid order through its checkout to the fulfillment's dispatch (the carrier silent), then a refund of
    /// <paramref name="amount"/> (of the paid order) requested (the payments domain silent), then the carrier's pick-up answered: the
    /// fulfillment asks the order to record the shipment while the refund is pending.
    /// </summary>
    public static async Task<(OrderId Id, string ShipmentId)> DispatchingWithARefundPendingAsync(SagaHarness h, string key, Func<Order, Money> amount)
    {
        var (id, shipment) = await RefundRequestedWhileDispatchingAsync(h, key, amount);
        await AnswerPickUpAsync(h, id, shipment);
        return (id, shipment);
    }

    /// <summary>
    /// As <see cref="DispatchingWithARefundPendingAsync"/>, but the carrier's pick-up is not answered yet: the fulfillment
    /// waits for it, and the test chooses what happens to the refund first (<see cref="AnswerPickUpAsync"/> then).
    /// </summary>
    public static async Task<(OrderId Id, string ShipmentId)> RefundRequestedWhileDispatchingAsync(SagaHarness h, string key, Func<Order, Money> amount)
    {
        var id = await h.CreateOrderAsync(key);
        h.Knobs.Fail(id, SilentDispatch);
        h.Knobs.Fail(id, SilentRefund);
        await h.Sagas.StartCheckoutAsync(id);
        var shipment = await h.WaitForStepAsync(SagaNames.FulfillmentId(id), "dispatching");

        var order = await h.OrderAsync(id);
        (await h.Services.GetRequiredService<InitiateRefund>().ExecuteAsync(new InitiateRefundCommand(id, "rf-1", amount(order), "changed my mind"),
            new RequestContext(Buyer, DateTimeOffset.UtcNow, "refund-" + key, "refund-" + key), order.Version)).Unwrap();
        await h.WaitForStepAsync(SagaNames.RefundId(id, "rf-1"), null);
        return (id, shipment!);
    }

    /// <summary>The carrier picks the parcel up: the fulfillment asks the order to record the shipment.</summary>
    public static Task AnswerPickUpAsync(SagaHarness h, OrderId id, string shipment) =>
        h.Client.RaiseEventAsync(SagaNames.FulfillmentId(id), SagaNames.Events.ShipmentDispatched, new ShipmentDispatchedAnswer(shipment));

    /// <summary>The payments domain answers the refund's reversal: the refund saga records it (order.refunded).</summary>
    public static async Task SettleRefundAsync(SagaHarness h, OrderId id)
    {
        await h.Client.RaiseEventAsync(SagaNames.RefundId(id, "rf-1"), SagaNames.Events.Reversal, new ReversalAnswer("rf-1", true, null));
        await h.CompletionAsync(SagaNames.RefundId(id, "rf-1"));
    }

    /// <summary>What a host's change-feed pump does next: the reactions to the facts recorded, the signals to sagas among them.</summary>
    public static Task<int> TellSagasAsync(SagaHarness h) => h.Reactions(h.Sagas).RunOnceAsync(ReactionLane.ParkedAnswers, 1_000);

}
