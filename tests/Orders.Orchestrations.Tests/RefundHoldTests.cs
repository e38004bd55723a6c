using Orders.Application.Integration;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;

namespace Orders.Orchestrations.Tests;

/// <summary>
/// A refund requested while the order's parcel is being prepared (fulfillment revision 3, decision 0035): the order
/// refuses to record the parcel as shipped while the refund is pending, and the fulfillment holds the parcel instead of
/// cancelling it. A partial refund settles and the same parcel ships; a full one and the parcel is cancelled. Before
/// revision 3 the parcel was cancelled at once and the saga ended, leaving a paid order nobody would ship.
/// The carrier's pick-up, the delivery and the payments domain's reversal are answered by each test at the moment it
/// needs them (the simulators are told to stay silent), so the refund is pending exactly when the shipment is recorded.
/// </summary>
public sealed class RefundHoldTests : IAsyncLifetime
{
    private SagaHarness _h = null!;

    // The re-check is far beyond any test's wait: only the reaction's signal can wake the hold in time.
    public async Task InitializeAsync() => _h = await SagaHarness.StartAsync(SagaHarness.FastOptions with { RefundHoldRecheck = TimeSpan.FromMinutes(10) });

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task APartialRefundRequestedWhileTheParcelIsPrepared_HoldsTheParcel_AndShipsTheSameParcelOnceTheRefundSettles()
    {
        var (id, shipment) = await RefundHoldScenario.DispatchingWithARefundPendingAsync(_h, "hold-partial", _ => Money.Of(700, Currency.EUR));

        await _h.WaitForStepAsync(SagaNames.FulfillmentId(id), "held-for-refund");
        Assert.Equal(OrderStatus.Paid, (await _h.OrderAsync(id)).Status);
        Assert.DoesNotContain(_h.Ledger.For(id.Value), e => e.Kind == "parcel-cancelled");

        await RefundHoldScenario.SettleRefundAsync(_h, id);
        await RefundHoldScenario.TellSagasAsync(_h);
        await _h.WaitForStatusAsync(id, OrderStatus.Shipped);
        await _h.Client.RaiseEventAsync(SagaNames.FulfillmentId(id), SagaNames.Events.ShipmentOutcome, new ShipmentOutcomeAnswer(shipment, true, null));

        Assert.Equal(SagaResult.Delivered, SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.FulfillmentId(id))).Result);
        var order = await _h.OrderAsync(id);
        Assert.Equal(OrderStatus.Delivered, order.Status);
        Assert.Equal(shipment, order.Shipment?.ShipmentId);
        Assert.Single(order.Refunds, r => r.IsCompleted && r.Amount.Minor == 700);
        Assert.Equal(order.AmountPaid.Minor - 700, order.RefundableAmount.Minor);
        Assert.Single(_h.Ledger.For(id.Value), e => e.Kind == "parcel");
        Assert.DoesNotContain(_h.Ledger.For(id.Value), e => e.Kind == "parcel-cancelled");
        Assert.True(order.VerifyHistory().IsIntact);
    }

    [Fact]
    public async Task AFullRefundRequestedWhileTheParcelIsPrepared_CancelsTheHeldParcel_OnceTheOrderIsRefunded()
    {
        var (id, shipment) = await RefundHoldScenario.DispatchingWithARefundPendingAsync(_h, "hold-full", paid => paid.AmountPaid);

        await _h.WaitForStepAsync(SagaNames.FulfillmentId(id), "held-for-refund");
        Assert.DoesNotContain(_h.Ledger.For(id.Value), e => e.Kind == "parcel-cancelled");

        await RefundHoldScenario.SettleRefundAsync(_h, id);
        await RefundHoldScenario.TellSagasAsync(_h);

        var outcome = SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.FulfillmentId(id)));
        Assert.Equal(SagaResult.ShipmentCancelled, outcome.Result);
        Assert.Single(_h.Ledger.For(id.Value), e => e.Kind == "parcel-cancelled" && e.Reference == shipment);
        var order = await _h.OrderAsync(id);
        Assert.Contains(order.Status, new[] { OrderStatus.Refunded, OrderStatus.Closed });
        Assert.Null(order.Shipment);
        // The parcel stopped because the order was refunded in full is the outcome, not a problem for a person.
        Assert.DoesNotContain(_h.Logs.Lines, l => l.Contains("OrderStuck", StringComparison.Ordinal) && l.Contains(id.Value, StringComparison.Ordinal)
            && l.Contains("FulfillmentSaga", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFullRefundThatSettledWhileTheParcelWasPrepared_CancelsTheParcel_WithoutFlaggingTheOrder()
    {
        // Fulfillment revision 4 (decision 0038): the order refuses the shipment as not shippable, never as "refund
        // pending", so the saga never held; revision 3 cancelled the parcel and flagged the order for a person.
        var (id, shipment) = await RefundHoldScenario.RefundRequestedWhileDispatchingAsync(_h, "settled-first", paid => paid.AmountPaid);
        await RefundHoldScenario.SettleRefundAsync(_h, id);
        Assert.Contains((await _h.OrderAsync(id)).Status, new[] { OrderStatus.Refunded, OrderStatus.Closed });

        await RefundHoldScenario.AnswerPickUpAsync(_h, id, shipment);

        var outcome = SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.FulfillmentId(id)));
        Assert.Equal((SagaResult.ShipmentCancelled, OrderRejections.Codes.NotShippable), (outcome.Result, outcome.Reason));
        Assert.Single(_h.Ledger.For(id.Value), e => e.Kind == "parcel-cancelled" && e.Reference == shipment);
        Assert.DoesNotContain(_h.Logs.Lines, l => l.Contains("OrderStuck", StringComparison.Ordinal) && l.Contains(id.Value, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AHoldLostWithItsEngine_IsTakenUpByAFreshFulfillment_WhichCancelsTheSameParcel_WhenTheRefundSettlesInFull()
    {
        // The local host's in-memory engine loses every saga in a crash. Its start-up recovery starts the fulfillment of
        // a PAID order again, a refund pending or not (decision 0036); before, it waited on the refund alone, and a
        // full refund then left the parcel prepared before the crash with nobody to cancel it.
        var (id, shipment) = await RefundHoldScenario.DispatchingWithARefundPendingAsync(_h, "hold-lost", paid => paid.AmountPaid);
        var fulfillment = SagaNames.FulfillmentId(id);
        await _h.WaitForStepAsync(fulfillment, "held-for-refund");
        await _h.Client.TerminateInstanceAsync(fulfillment);
        await _h.Client.WaitForInstanceCompletionAsync(fulfillment);
        Assert.Equal(1, (await _h.Client.PurgeInstanceAsync(fulfillment)).PurgedInstanceCount);

        await _h.Sagas.StartFulfillmentAsync(id);
        // Same instance id, same keys: the shipping domain answers with the parcel it already made.
        Assert.Equal(shipment, await _h.WaitForStepAsync(fulfillment, "dispatching"));
        await _h.Client.RaiseEventAsync(fulfillment, SagaNames.Events.ShipmentDispatched, new ShipmentDispatchedAnswer(shipment));
        await _h.WaitForStepAsync(fulfillment, "held-for-refund");

        await RefundHoldScenario.SettleRefundAsync(_h, id);
        await RefundHoldScenario.TellSagasAsync(_h);

        Assert.Equal(SagaResult.ShipmentCancelled, SagaHarness.Outcome(await _h.CompletionAsync(fulfillment)).Result);
        Assert.Single(_h.Ledger.For(id.Value), e => e.Kind == "parcel");
        Assert.Single(_h.Ledger.For(id.Value), e => e.Kind == "parcel-cancelled" && e.Reference == shipment);
        Assert.Contains((await _h.OrderAsync(id)).Status, new[] { OrderStatus.Refunded, OrderStatus.Closed });
    }

    [Fact]
    public async Task AHeldParcel_WhoseSignalNeverCame_ShipsAtItsNextLook()
    {
        await _h.DisposeAsync();
        _h = await SagaHarness.StartAsync(SagaHarness.FastOptions with { RefundHoldRecheck = TimeSpan.FromMilliseconds(300) });
        var (id, shipment) = await RefundHoldScenario.DispatchingWithARefundPendingAsync(_h, "hold-recheck", _ => Money.Of(300, Currency.EUR));
        await _h.WaitForStepAsync(SagaNames.FulfillmentId(id), "held-for-refund");

        await RefundHoldScenario.SettleRefundAsync(_h, id); // and no reaction run: the signal is never sent

        await _h.WaitForStatusAsync(id, OrderStatus.Shipped);
        Assert.Equal(shipment, (await _h.OrderAsync(id)).Shipment?.ShipmentId);
        Assert.DoesNotContain(_h.Ledger.For(id.Value), e => e.Kind == "parcel-cancelled");
    }
}
