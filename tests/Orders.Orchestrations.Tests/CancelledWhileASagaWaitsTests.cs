using Microsoft.Extensions.DependencyInjection;
using Orders.Application.Access;
using Orders.Application.Integration;
using Orders.Application.Reactions;
using Orders.Application.UseCases.Commands;
using Orders.Contracts.Integration;
using Orders.Domain.Events;
using Orders.Domain.Services;
using Orders.Domain.ValueObjects;
using static Orders.Infrastructure.Simulators.SimulatedFailure;

namespace Orders.Orchestrations.Tests;

/// <summary>
/// An order cancelled by its buyer while one of its sagas waits for another domain's answer (decision 0041).
/// <para>
/// The checkout: the cancellation's
/// compensation (the reaction table's) gives back what is held at that moment, and the checkout gives back what it is
/// granted afterwards, with keys the compensation did not spend, and asks for nothing more. Before, both used the
/// checkout's keys: the checkout went on to redeem the codes and take the payment of a cancelled order, and its own
/// release and void were dropped as repeats, so the stock, the codes and the authorisation stayed held.
/// </para>
/// <para>
/// The fulfillment of a cash-on-delivery order: a parcel prepared for an order cancelled meanwhile is not handed to
/// the carrier. Before, it was dispatched and delivered, and the cash the courier collected was dropped as poison.
/// </para>
/// </summary>
public sealed class CancelledWhileASagaWaitsTests : IAsyncLifetime
{
    private static readonly Promotion Spring = new("SPRING10", PromotionKind.PercentOff, 1_000);

    private SagaHarness _h = null!;

    public async Task InitializeAsync() => _h = await SagaHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private async Task BuyerCancelsAsync(OrderId id)
    {
        await _h.BuyerCancelsAsync(id);
        // The host's change-feed pump, compensation lane: what is held now is given back.
        await _h.Reactions(_h.Sagas).RunOnceAsync(ReactionLane.Compensation, 100);
    }

    private Task AnswerAsync(string type, object data) =>
        _h.Services.GetRequiredService<IntegrationEventHandler>().HandleAsync(new InboundEvent($"late-{type}", type, DateTimeOffset.UtcNow, data));

    [Fact]
    public async Task CancelledWhileTheStockIsAwaited_TheCheckoutAsksForNoCodesAndNoMoney_AndReleasesTheLateReservation()
    {
        var id = await _h.CreateOrderAsync("cancel-in-stock-wait", OrderType.Prepaid, false, [Spring]);
        _h.Knobs.Fail(id, SilentInventory); // the answer is sent by the test, after the cancellation
        await _h.Sagas.StartCheckoutAsync(id);
        await _h.WaitForStepAsync(SagaNames.CheckoutId(id), "reserving-stock");

        await BuyerCancelsAsync(id);
        // The inventory domain took the reservation after the release it was sent (a release that found nothing held).
        await AnswerAsync(InboundEventTypes.StockReserved, new StockReserved(id.Value, "res-late"));

        var outcome = SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.CheckoutId(id)));
        var ledger = _h.Ledger.For(id.Value);
        Assert.DoesNotContain(ledger, e => e.Kind is "redemption" or "authorization" or "capture");
        Assert.Contains(ledger, e => e.Kind == "release" && e.Reference == "res-late"); // the checkout's own release reached the domain
        Assert.Equal(SagaResult.Cancelled, outcome.Result);
        Assert.Equal("the order was cancelled while its checkout waited", outcome.Reason);
        var order = await _h.OrderAsync(id);
        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.Single(order.History, h => h.Event is OrderCancelled);
        Assert.True(order.VerifyHistory().IsIntact);
        // The buyer cancelled it: the checkout does not announce a cancellation it did not make.
        Assert.DoesNotContain(_h.Simulators.Notifications, n => n.OrderId == id && n.Template == "order-cancelled");
    }

    [Fact]
    public async Task CancelledWhileThePaymentIsAwaited_AnAuthorisationGrantedAfterwards_IsVoidedByTheCheckout()
    {
        var id = await _h.CreateOrderAsync("cancel-in-payment-wait");
        _h.Knobs.Fail(id, SilentPayment); // the authorisation is sent by the test, after the cancellation
        await _h.Sagas.StartCheckoutAsync(id);
        await _h.WaitForPaymentAskedAsync(id);

        await BuyerCancelsAsync(id);
        var total = (await _h.OrderAsync(id)).Total;
        await AnswerAsync(InboundEventTypes.PaymentAuthorized, new PaymentAuthorized(id.Value, "auth-late", new MoneyAmount(total.Minor, total.Currency.Code)));

        var outcome = SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.CheckoutId(id)));
        var ledger = _h.Ledger.For(id.Value);
        Assert.Contains(ledger, e => e.Kind == "void" && e.Reference == "auth-late"); // the checkout's own void reached the domain
        Assert.Contains(ledger, e => e.Kind == "release" && e.Reference.StartsWith("res-", StringComparison.Ordinal));
        Assert.Equal(SagaResult.Cancelled, outcome.Result);
        Assert.EndsWith("the order was already cancelled", outcome.Reason, StringComparison.Ordinal);
        Assert.Single((await _h.OrderAsync(id)).History, h => h.Event is OrderCancelled);
        Assert.DoesNotContain(_h.Simulators.Notifications, n => n.OrderId == id && n.Template == "order-cancelled");
    }

    [Fact]
    public async Task ACashOnDeliveryOrderCancelledWhileItsParcelIsPrepared_IsNotDispatched_TheParcelIsCancelled()
    {
        var id = await _h.CreateOrderAsync("cod-cancel-in-preparation", OrderType.CashOnDelivery);
        _h.Knobs.Fail(id, SilentShipmentCreation); // the parcel is reported created by the test, after the cancellation
        await _h.Sagas.StartCheckoutAsync(id);
        Assert.Equal(SagaResult.Confirmed, SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.CheckoutId(id))).Result);
        await _h.WaitForStepAsync(SagaNames.FulfillmentId(id), "creating-shipment"); // started by the pump on order.confirmed

        await BuyerCancelsAsync(id);
        await AnswerAsync(InboundEventTypes.ShipmentCreated, new ShipmentCreated(id.Value, "shp-late", "SIMCARRIER", "TRK-LATE"));

        var outcome = SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.FulfillmentId(id)));
        var ledger = _h.Ledger.For(id.Value);
        Assert.DoesNotContain(ledger, e => e.Kind == "cash"); // never handed to the courier, so no cash collected for a cancelled order
        Assert.Contains(ledger, e => e.Kind == "parcel-cancelled" && e.Reference == "shp-late");
        Assert.Equal(new SagaOutcome(SagaResult.ShipmentCancelled, "order.not-shippable"), outcome);
        var order = await _h.OrderAsync(id);
        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.True(order.VerifyHistory().IsIntact);
        Assert.DoesNotContain(_h.Simulators.Notifications, n => n.OrderId == id && n.Template == "order-escalated"); // the outcome, not a problem
    }

    [Fact]
    public async Task ACartSplitByItsBuyerWhileItsCodesAreAskedFor_HasItsChildrenCancelled_WhenTheCodesAreRefused()
    {
        var id = await _h.CreateOrderAsync("split-in-redemption", OrderType.Prepaid, twoSellers: true, [Spring]);
        _h.Knobs.Fail(id, SilentPromotions); // the refusal is sent by the test, after the split
        await _h.Sagas.StartCheckoutAsync(id);
        await _h.WaitForStepAsync(SagaNames.CheckoutId(id), "redeeming-promotions");

        var children = (await _h.Services.GetRequiredService<SplitOrder>().ExecuteAsync(new SplitOrderCommand(id),
            new RequestContext(Caller.Buyer("buyer-1"), DateTimeOffset.UtcNow, "buyer-split"))).Unwrap().Receipt.ChildOrderIds;
        await AnswerAsync(InboundEventTypes.PromotionRedemptionRefused, new PromotionRedemptionRefused(id.Value, "code no longer valid", ["SPRING10"]));

        var outcome = SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.CheckoutId(id)));
        Assert.Equal(2, children.Count);
        // Not left CREATED for reconcile to start their checkouts: sold at a discount the promotions domain refused.
        Assert.All(children, child => Assert.Equal(OrderStatus.Cancelled, _h.OrderAsync(child).Result.Status));
        Assert.Equal(SagaResult.Cancelled, outcome.Result);
        Assert.All(children, child => Assert.Null(_h.Client.GetInstanceAsync(SagaNames.CheckoutId(child)).Result));
    }

    [Fact]
    public async Task APaymentAskedByAnAttemptThatCrashed_IsVoided_WhenTheRetryFindsTheOrderCancelled()
    {
        var id = await _h.CreateOrderAsync("cancel-between-attempts");
        // The first attempt sends the payment request and dies; the buyer cancels before the retry, which sends nothing.
        _h.Faults.LosePaymentInitiationCompletion(() => _h.BuyerCancelsAsync(id));
        await _h.Sagas.StartCheckoutAsync(id);

        var outcome = SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.CheckoutId(id)));

        Assert.Equal("the order was cancelled while its checkout waited", outcome.Reason);
        Assert.NotNull(_h.Ledger.Find($"{SagaNames.CheckoutId(id)}:void")); // what the first attempt may have got is voided
        Assert.Equal(1, _h.Faults.FiredInitiations);
    }
}
