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
        var id = await h.CreateOrderAsync(key);
        h.Knobs.Fail(id, SilentDispatch);
        h.Knobs.Fail(id, SilentRefund);
        await h.Sagas.StartCheckoutAsync(id);
        var shipment = await WaitForStepAsync(h, id, "dispatching");

        var order = await h.OrderAsync(id);
        (await h.Services.GetRequiredService<InitiateRefund>().ExecuteAsync(new InitiateRefundCommand(id, "rf-1", amount(order), "changed my mind"),
            new RequestContext(Buyer, DateTimeOffset.UtcNow, "refund-" + key, "refund-" + key), order.Version)).Unwrap();
        await WaitForStepAsync(h, id, null, SagaNames.RefundId(id, "rf-1"));

        await h.Client.RaiseEventAsync(SagaNames.FulfillmentId(id), SagaNames.Events.ShipmentDispatched, new ShipmentDispatchedAnswer(shipment!));
        return (id, shipment!);
    }

    /// <summary>The payments domain answers the refund's reversal: the refund saga records it (order.refunded).</summary>
    public static async Task SettleRefundAsync(SagaHarness h, OrderId id)
    {
        await h.Client.RaiseEventAsync(SagaNames.RefundId(id, "rf-1"), SagaNames.Events.Reversal, new ReversalAnswer("rf-1", true, null));
        await h.CompletionAsync(SagaNames.RefundId(id, "rf-1"));
    }

    /// <summary>What a host's change-feed pump does next: the reactions to the facts recorded, the signals to sagas among them.</summary>
    public static Task<int> TellSagasAsync(SagaHarness h) => h.Reactions(h.Sagas).RunOnceAsync(ReactionLane.ParkedAnswers, 1_000);

    /// <summary>Waits (bounded) for the instance's step; returns the step's detail. A null step: the instance exists.</summary>
    public static async Task<string?> WaitForStepAsync(SagaHarness h, OrderId id, string? step, string? instanceId = null)
    {
        instanceId ??= SagaNames.FulfillmentId(id);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var instance = await h.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true);
            if (instance is not null)
            {
                if (step is null) return null;
                var status = instance.ReadCustomStatusAs<SagaStatus>();
                if (status?.Step == step) return status.Detail;
            }
            await Task.Delay(20);
        }
        var last = await h.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true);
        Assert.Fail($"{instanceId} is at {last?.SerializedCustomStatus ?? "nothing"}, not {step}");
        return null;
    }

    public static async Task WaitForStatusAsync(SagaHarness h, OrderId id, OrderStatus status)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if ((await h.OrderAsync(id)).Status == status) return;
            await Task.Delay(20);
        }
        Assert.Fail($"order {id} is {(await h.OrderAsync(id)).Status}, not {status}");
    }
}
