using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Orders.Application.Access;
using Orders.Application.Integration;
using Orders.Application.UseCases.Commands;
using Orders.Domain.Services;
using Orders.Domain.ValueObjects;
using Orders.Orchestrations.Sagas;
using static Orders.Infrastructure.Simulators.SimulatedFailure;

namespace Orders.Orchestrations.Tests.Replay;

/// <summary>
/// Runs one order through each path of today's sagas on the real in-process engine and takes each orchestration's
/// history as the engine kept it. Every run checks the path ended as it should and that its fresh history replays
/// against the code that made it (so the replayer itself is checked on every path). With
/// <c>ORDERS_RECORD_HISTORIES</c> set to a folder, it also writes the histories there: that is how the files under
/// <c>Histories/</c> were made (see the README there), and how a deliberate new revision's histories are added.
/// </summary>
public sealed class HistoryRecordingTests : IAsyncLifetime
{
    private static readonly Promotion Spring = new("SPRING10", PromotionKind.PercentOff, 1_000);

    private SagaHarness _h = null!;

    public async Task InitializeAsync() => _h = await SagaHarness.StartAsync(recordHistories: true);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task EverySagaPath_LeavesAHistory_ThatReplaysAgainstTheCodeThatMadeIt()
    {
        var recorded = new List<RecordedHistory>();

        var prepaid = await _h.CreateOrderAsync("rec-prepaid");
        await _h.Sagas.StartCheckoutAsync(prepaid);
        recorded.Add(await RecordAsync("checkout-prepaid-r4", SagaNames.CheckoutId(prepaid), SagaResult.Confirmed));
        recorded.Add(await RecordAsync("fulfillment-prepaid-r5", SagaNames.FulfillmentId(prepaid), SagaResult.Delivered));

        var cod = await _h.CreateOrderAsync("rec-cod", OrderType.CashOnDelivery);
        await _h.Sagas.StartCheckoutAsync(cod);
        recorded.Add(await RecordAsync("checkout-cod-r4", SagaNames.CheckoutId(cod), SagaResult.Confirmed));
        recorded.Add(await RecordAsync("fulfillment-cod-r5", SagaNames.FulfillmentId(cod), SagaResult.Delivered));

        // Stock reserved and codes redeemed, then the card is declined: both given back in reverse order, order cancelled.
        var declined = await _h.CreateOrderAsync("rec-declined", OrderType.Prepaid, false, [Spring]);
        _h.Knobs.Fail(declined, DeclineCard);
        await _h.Sagas.StartCheckoutAsync(declined);
        recorded.Add(await RecordAsync("checkout-declined-compensated-r4", SagaNames.CheckoutId(declined), SagaResult.Cancelled));

        var outOfStock = await _h.CreateOrderAsync("rec-out-of-stock");
        _h.Knobs.Fail(outOfStock, OutOfStock);
        await _h.Sagas.StartCheckoutAsync(outOfStock);
        recorded.Add(await RecordAsync("checkout-out-of-stock-r4", SagaNames.CheckoutId(outOfStock), SagaResult.Cancelled));

        var withCode = await _h.CreateOrderAsync("rec-promotion", OrderType.Prepaid, false, [Spring]);
        await _h.Sagas.StartCheckoutAsync(withCode);
        recorded.Add(await RecordAsync("checkout-promotion-redeemed-r4", SagaNames.CheckoutId(withCode), SagaResult.Confirmed));

        // The stock is answered at once and its wait's timer left open (decision 0031): it fires during the payment wait
        // and is ignored. The payment never answers: asked again once, then timed out, and the checkout compensated.
        var silentPayment = await _h.CreateOrderAsync("rec-payment-silent");
        _h.Knobs.Fail(silentPayment, SilentPayment);
        var quick = _h.Options with
        {
            InventoryTimeout = TimeSpan.FromMilliseconds(300), PaymentTimeout = TimeSpan.FromMilliseconds(1500),
            ResendAfter = TimeSpan.FromMilliseconds(500), MaxResends = 1,
        };
        await _h.Client.ScheduleNewOrchestrationInstanceAsync(nameof(CheckoutSaga), new CheckoutInput(silentPayment.Value, quick, CheckoutInput.Current),
            new StartOrchestrationOptions(SagaNames.CheckoutId(silentPayment)));
        var timedOut = await RecordAsync("checkout-payment-silent-r4", SagaNames.CheckoutId(silentPayment), SagaResult.Cancelled);
        // Three timers fired: the stock wait's (left open, mid-saga) and the payment wait's two slices.
        Assert.Equal(3, timedOut.Events.Count(e => e.EventTypeCase == Microsoft.DurableTask.Protobuf.HistoryEvent.EventTypeOneofCase.TimerFired));
        recorded.Add(timedOut);

        // Started as the release before decision 0022 started checkouts (input without a revision: reads as 1).
        var revision1 = await _h.CreateOrderAsync("rec-revision-1", OrderType.Prepaid, false, [Spring]);
        await _h.Client.ScheduleNewOrchestrationInstanceAsync(nameof(CheckoutSaga), new { OrderId = revision1.Value, Options = _h.Options },
            new StartOrchestrationOptions(SagaNames.CheckoutId(revision1)));
        recorded.Add(await RecordAsync("checkout-revision-1", SagaNames.CheckoutId(revision1), SagaResult.Confirmed));

        var split = await _h.CreateOrderAsync("rec-split", OrderType.Prepaid, twoSellers: true);
        await _h.Sagas.StartCheckoutAsync(split);
        recorded.Add(await RecordAsync("checkout-split-r4", SagaNames.CheckoutId(split), SagaResult.Split));

        // Refunded in full before it shipped (the shipment is never created): payment reversed, stock released, closed.
        var refunded = await _h.CreateOrderAsync("rec-refund", skus: ["sim-silent-shipment-creation-1"]);
        await _h.Sagas.StartCheckoutAsync(refunded);
        await _h.CompletionAsync(SagaNames.CheckoutId(refunded));
        await _h.WaitForStatusAsync(refunded, OrderStatus.Paid);
        var total = (await _h.OrderAsync(refunded)).Total;
        (await _h.Services.GetRequiredService<InitiateRefund>().ExecuteAsync(new InitiateRefundCommand(refunded, "rf-rec", total, "changed my mind"),
            new RequestContext(Caller.Buyer("buyer-1"), DateTimeOffset.UtcNow, "refund-rec"))).Unwrap();
        await _h.Sagas.StartRefundAsync(refunded, "rf-rec");
        recorded.Add(await RecordAsync("refund-before-shipment-r2", SagaNames.RefundId(refunded, "rf-rec"), SagaResult.RefundedAndClosed));

        // The hold of fulfillment revision 3, recorded at the current revision: a partial refund requested while the
        // parcel was prepared. The order refuses the shipment while the refund is pending; the parcel is held; the
        // refund settles, the reaction tells the fulfillment, and the same parcel ships and is delivered.
        var (held, parcel) = await RefundHoldScenario.DispatchingWithARefundPendingAsync(_h, "rec-held", _ => Money.Of(700, Currency.EUR));
        await _h.WaitForStepAsync(SagaNames.FulfillmentId(held), "held-for-refund");
        await RefundHoldScenario.SettleRefundAsync(_h, held);
        await RefundHoldScenario.TellSagasAsync(_h);
        await _h.WaitForStatusAsync(held, OrderStatus.Shipped);
        await _h.Client.RaiseEventAsync(SagaNames.FulfillmentId(held), SagaNames.Events.ShipmentOutcome, new ShipmentOutcomeAnswer(parcel, true, null));
        recorded.Add(await RecordAsync("fulfillment-held-for-refund-r5", SagaNames.FulfillmentId(held), SagaResult.Delivered));

        // Fulfillment revision 4: a full refund requested and settled while the parcel was prepared. The order refuses the
        // shipment as not shippable (it never held); the parcel is cancelled and nobody is flagged.
        var (settled, settledParcel) = await RefundHoldScenario.RefundRequestedWhileDispatchingAsync(_h, "rec-settled", paid => paid.AmountPaid);
        await RefundHoldScenario.SettleRefundAsync(_h, settled);
        await RefundHoldScenario.AnswerPickUpAsync(_h, settled, settledParcel);
        recorded.Add(await RecordAsync("fulfillment-refunded-while-prepared-r5", SagaNames.FulfillmentId(settled), SagaResult.ShipmentCancelled));

        // Checkout revision 4: the buyer cancels while the stock is awaited, and the reservation is answered after. The
        // codes and the payment are not asked for; the checkout releases the stock and ends (decision 0041).
        var cancelledWaiting = await _h.CreateOrderAsync("rec-cancelled-waiting", OrderType.Prepaid, false, [Spring]);
        _h.Knobs.Fail(cancelledWaiting, SilentInventory);
        await _h.Sagas.StartCheckoutAsync(cancelledWaiting);
        await _h.WaitForStepAsync(SagaNames.CheckoutId(cancelledWaiting), "reserving-stock");
        await _h.BuyerCancelsAsync(cancelledWaiting);
        await _h.Client.RaiseEventAsync(SagaNames.CheckoutId(cancelledWaiting), SagaNames.Events.Inventory, new InventoryAnswer(true, "res-late", null));
        recorded.Add(await RecordAsync("checkout-cancelled-while-waiting-r4", SagaNames.CheckoutId(cancelledWaiting), SagaResult.Cancelled));

        // Checkout revision 4: a cart its buyer split while its codes were asked for, and the codes refused: the children
        // are cancelled (the parent refuses its own cancellation once SPLIT).
        var lateSplit = await _h.CreateOrderAsync("rec-split-while-redeeming", OrderType.Prepaid, twoSellers: true, [Spring]);
        _h.Knobs.Fail(lateSplit, SilentPromotions);
        await _h.Sagas.StartCheckoutAsync(lateSplit);
        await _h.WaitForStepAsync(SagaNames.CheckoutId(lateSplit), "redeeming-promotions");
        (await _h.Services.GetRequiredService<SplitOrder>().ExecuteAsync(new SplitOrderCommand(lateSplit),
            new RequestContext(Caller.Buyer("buyer-1"), DateTimeOffset.UtcNow, "buyer-split"))).Unwrap();
        await _h.Client.RaiseEventAsync(SagaNames.CheckoutId(lateSplit), SagaNames.Events.Promotions, new PromotionsAnswer(false, null, "code no longer valid"));
        recorded.Add(await RecordAsync("checkout-split-while-redeeming-r4", SagaNames.CheckoutId(lateSplit), SagaResult.Cancelled));

        // Fulfillment revision 5: a cash-on-delivery order cancelled while its parcel was prepared. The parcel is not
        // handed to the carrier; it is cancelled, and nobody is flagged (decision 0041).
        var codCancelled = await _h.CreateOrderAsync("rec-cod-cancelled", OrderType.CashOnDelivery);
        _h.Knobs.Fail(codCancelled, SilentShipmentCreation);
        await _h.Sagas.StartCheckoutAsync(codCancelled);
        await _h.WaitForStepAsync(SagaNames.FulfillmentId(codCancelled), "creating-shipment");
        await _h.BuyerCancelsAsync(codCancelled);
        await _h.Client.RaiseEventAsync(SagaNames.FulfillmentId(codCancelled), SagaNames.Events.ShipmentCreated,
            new ShipmentCreatedAnswer("shp-late", "SIMCARRIER", "TRK-LATE"));
        recorded.Add(await RecordAsync("fulfillment-cod-cancelled-while-prepared-r5", SagaNames.FulfillmentId(codCancelled), SagaResult.ShipmentCancelled));

        // Fulfillment revision 5, a replacement parcel: the lost parcel reported delivered after all while the replacement
        // travels is ignored; the replacement's own outcome (lost too) is the one acted on.
        var stray = await _h.CreateOrderAsync("rec-stray-outcome", OrderType.Prepaid);
        _h.Knobs.Fail(stray, LoseParcel);
        await _h.Sagas.StartCheckoutAsync(stray);
        await _h.CompletionAsync(SagaNames.CheckoutId(stray));
        await _h.CompletionAsync(SagaNames.FulfillmentId(stray));
        var lostParcel = (await _h.OrderAsync(stray)).Shipment!.ShipmentId;
        _h.Knobs.Fail(stray, SilentDelivery);
        (await _h.Services.GetRequiredService<Application.UseCases.Resolutions.ResolveLostParcel>().ExecuteAsync(
            new Application.UseCases.Resolutions.ResolveLostParcelCommand(stray, lostParcel, Application.UseCases.Resolutions.ResolveLostParcel.ByReplacement, "lost"),
            new RequestContext(Caller.Operator("ops-1"), DateTimeOffset.UtcNow, "replace-rec"))).Unwrap();
        var travelling = await _h.WaitForStepAsync(SagaNames.FulfillmentId(stray), "in-transit");
        await _h.Client.RaiseEventAsync(SagaNames.FulfillmentId(stray), SagaNames.Events.ShipmentOutcome, new ShipmentOutcomeAnswer(lostParcel, true, null));
        await _h.Client.RaiseEventAsync(SagaNames.FulfillmentId(stray), SagaNames.Events.ShipmentOutcome, new ShipmentOutcomeAnswer(travelling!, false, "lost again"));
        recorded.Add(await RecordAsync("fulfillment-replacement-ignores-stray-outcome-r5", SagaNames.FulfillmentId(stray), SagaResult.Escalated));

        var divergences = recorded.SelectMany(h => SagaReplayer.Divergences(h, RecordedHistoryReplayTests.Orchestrator(h.Orchestrator))).ToList();
        Assert.True(divergences.Count == 0, string.Join("\n", divergences));

        if (Environment.GetEnvironmentVariable("ORDERS_RECORD_HISTORIES") is { Length: > 0 } folder)
            foreach (var history in recorded) history.Save(folder);
    }

    private async Task<RecordedHistory> RecordAsync(string scenario, string instanceId, SagaResult expectedResult)
    {
        var done = await _h.CompletionAsync(instanceId);
        Assert.Equal(expectedResult, SagaHarness.Outcome(done).Result);
        // The engine saves the final episode before it reports the instance complete.
        var events = _h.Histories[instanceId];
        Assert.Contains(events, e => e is DurableTask.Core.History.ExecutionCompletedEvent);
        return RecordedHistory.From(scenario, instanceId, "recorded on the in-process engine", events);
    }
}
