using Orders.Application.Integration;
using Orders.Application.UseCases.Commands;
using Orders.Application.Access;
using Orders.Domain.Events;
using Orders.Domain.ValueObjects;
using Microsoft.Extensions.DependencyInjection;
using Orders.Orchestrations;

namespace Orders.Orchestrations.Tests;

public sealed class HappyPathTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private SagaHarness _h = null!;

    public async Task InitializeAsync() => _h = await SagaHarness.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var line in _h.Logs.Lines) output.WriteLine(line);
        await _h.DisposeAsync();
    }

    [Fact]
    public async Task APrepaidOrder_IsConfirmedPaidShippedAndDelivered()
    {
        var id = await _h.CreateOrderAsync("k1");

        await _h.Sagas.StartCheckoutAsync(id);
        Assert.Equal(SagaResult.Confirmed, SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.CheckoutId(id))).Result);
        Assert.Equal(SagaResult.Delivered, SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.FulfillmentId(id))).Result);

        var order = await _h.OrderAsync(id);
        Assert.Equal(OrderStatus.Delivered, order.Status);
        Assert.Equal(
            [OrderCreated.TypeName, OrderConfirmed.TypeName, OrderPaid.TypeName, OrderShipped.TypeName, OrderDelivered.TypeName],
            order.History.Select(h => h.Event.Type));
        Assert.True(order.VerifyHistory().IsIntact);
        Assert.Equal(1, _h.Charges(id));
        Assert.Equal(1, _h.Ledger.Count(id.Value, "reservation"));
        Assert.Equal(1, _h.Ledger.Count(id.Value, "parcel"));
        // Each notice went with the step that recorded its fact (decision 0031): to the order's buyer, with the status
        // that step recorded.
        Assert.Equal([("order-confirmed", "CONFIRMED"), ("order-shipped", "SHIPPED"), ("order-delivered", "DELIVERED")],
            _h.Simulators.Notifications.Where(n => n.OrderId == id).Select(n => (n.Template, n.Data["status"])));
        Assert.All(_h.Simulators.Notifications.Where(n => n.OrderId == id), n => Assert.Equal("buyer-1", n.Recipient));
    }

    [Fact]
    public async Task ACompensatedCheckout_TellsTheBuyerOnce_WithTheReason_InTheCancellationStep()
    {
        var id = await _h.CreateOrderAsync("k-notice-cancel");
        _h.Knobs.Fail(id, Orders.Infrastructure.Simulators.SimulatedFailure.OutOfStock);

        await _h.Sagas.StartCheckoutAsync(id);

        Assert.Equal(SagaResult.Cancelled, SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.CheckoutId(id))).Result);
        var notice = Assert.Single(_h.Simulators.Notifications, n => n.OrderId == id);
        Assert.Equal(("order-cancelled", "CANCELLED", "buyer-1"), (notice.Template, notice.Data["status"], notice.Recipient));
        Assert.StartsWith("out of stock", notice.Data["detail"], StringComparison.Ordinal);
    }

    /// <summary>
    /// Issue 14 item 7, and the cost model in src/Orders.Adapters.Azure/Cosmos/README.md: the order is rebuilt from its
    /// history once per change, by the use case that changes it, and nowhere else. The sagas' facts at their start,
    /// the reaction table's saga-start check (does the order still wait on this saga?), requests to other domains,
    /// notices and the routing of their answers read the stored state (a point read) instead; the harness's pump counts
    /// here like a host's.
    /// </summary>
    [Fact]
    public async Task APrepaidLifecycle_LoadsTheOrderOncePerChange_AndNowhereElse()
    {
        var id = await _h.CreateOrderAsync("k-loads");

        await _h.Sagas.StartCheckoutAsync(id);
        Assert.Equal(SagaResult.Confirmed, SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.CheckoutId(id))).Result);
        Assert.Equal(SagaResult.Delivered, SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.FulfillmentId(id))).Result);

        var calls = _h.Faults.Calls;
        output.WriteLine($"changes {calls.Of(id, "change")}, loads {calls.Of(id, "load")}, state reads {calls.Of(id, "state")}");
        // Created, confirmed, paid, shipped, delivered: five saves, the first without a load, the others after one each.
        // Nothing else loads the order: the sagas' facts and the saga-start reaction's check read its stored state.
        Assert.Equal(5, calls.Of(id, "change"));
        Assert.Equal(4, calls.Of(id, "load"));
        // Point reads: the two sagas' facts (the checkout's first step asks for the stock with the read it makes anyway);
        // payment, shipment and dispatch requests (the notices know the buyer: decision 0031); four answers routed
        // (reserved, authorised, captured, delivered; the shipment-created and dispatched answers too); at least one
        // saga-start check (the created, confirmed and paid facts, once per order per batch the pump reads): 14 to 16.
        Assert.InRange(calls.Of(id, "state"), 14, 16);
    }

    [Fact]
    public async Task ACashOnDeliveryOrder_ShipsUnpaid_AndIsPaidAtTheDoor()
    {
        var id = await _h.CreateOrderAsync("k-cod", OrderType.CashOnDelivery);

        await _h.Sagas.StartCheckoutAsync(id);
        Assert.Equal(SagaResult.Confirmed, SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.CheckoutId(id))).Result);
        Assert.Equal(SagaResult.Delivered, SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.FulfillmentId(id))).Result);

        var order = await _h.OrderAsync(id);
        Assert.Equal(OrderStatus.Delivered, order.Status);
        Assert.Null(order.PaymentAuthorizationId);
        Assert.True(order.Payment!.CollectedOnDelivery);
        Assert.Equal(order.Total, order.Payment.Amount);
        Assert.Equal(0, _h.Ledger.Count(id.Value, "authorization"));
        Assert.Equal(0, _h.Charges(id));
        Assert.Equal(1, _h.Ledger.Count(id.Value, "cash"));
    }

    [Fact]
    public async Task AFullRefundBeforeShipment_ReversesThePayment_ReleasesStock_AndClosesTheOrder()
    {
        var id = await _h.CreateOrderAsync("k-refund", skus: ["sim-silent-shipment-creation-1"]);
        await _h.Sagas.StartCheckoutAsync(id);
        await _h.CompletionAsync(SagaNames.CheckoutId(id));
        await _h.WaitForStatusAsync(id, OrderStatus.Paid);

        var order = await _h.OrderAsync(id);
        (await _h.Services.GetRequiredService<InitiateRefund>().ExecuteAsync(new InitiateRefundCommand(id, "rf-1", order.Total, "changed my mind"),
            new RequestContext(Caller.Buyer("buyer-1"), DateTimeOffset.UtcNow, "refund-1"))).Unwrap();
        await _h.Sagas.StartRefundAsync(id, "rf-1");

        Assert.Equal(SagaResult.RefundedAndClosed, SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.RefundId(id, "rf-1"))).Result);
        order = await _h.OrderAsync(id);
        Assert.Equal(OrderStatus.Closed, order.Status);
        Assert.Equal(order.AmountPaid, order.AmountRefunded);
        Assert.Equal(["reservation", "authorization", "capture", "reversal", "release"], _h.Ledger.For(id.Value).Select(e => e.Kind));
        // The fulfillment saga, still waiting for a shipment, is refused shipping and ends without shipping anything.
        Assert.Equal(0, _h.Ledger.Count(id.Value, "parcel"));
    }

    [Fact]
    public async Task APartialRefundAfterDelivery_IsRecorded_AndTheOrderStaysDelivered()
    {
        var id = await _h.CreateOrderAsync("k-partial");
        await _h.Sagas.StartCheckoutAsync(id);
        await _h.CompletionAsync(SagaNames.FulfillmentId(id));
        (await _h.Services.GetRequiredService<InitiateRefund>().ExecuteAsync(
            new InitiateRefundCommand(id, "rf-p", Money.Of(700, Currency.EUR), "scratched"),
            new RequestContext(Caller.Buyer("buyer-1"), DateTimeOffset.UtcNow, "refund-p"))).Unwrap();

        await _h.Sagas.StartRefundAsync(id, "rf-p");

        Assert.Equal(SagaResult.PartiallyRefunded, SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.RefundId(id, "rf-p"))).Result);
        var order = await _h.OrderAsync(id);
        Assert.Equal(OrderStatus.Delivered, order.Status);
        Assert.Equal(Money.Of(700, Currency.EUR), order.AmountRefunded);
        Assert.Equal(0, _h.Ledger.Count(id.Value, "release"));
    }

    [Fact]
    public async Task AMultiSellerOrder_IsSplitByCheckout_AndEachChildRunsItsOwnCheckoutAndFulfillment()
    {
        var id = await _h.CreateOrderAsync("k-split", OrderType.Prepaid, twoSellers: true);

        await _h.Sagas.StartCheckoutAsync(id);

        Assert.Equal(SagaResult.Split, SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.CheckoutId(id))).Result);
        var parent = await _h.OrderAsync(id);
        Assert.Equal(OrderStatus.Split, parent.Status);
        var children = new List<Domain.OrderAggregate.Order>();
        foreach (var child in parent.SplitInto)
        {
            Assert.Equal(SagaResult.Confirmed, SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.CheckoutId(child.OrderId))).Result);
            Assert.Equal(SagaResult.Delivered, SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.FulfillmentId(child.OrderId))).Result);
            children.Add(await _h.OrderAsync(child.OrderId));
        }
        Assert.All(children, c => Assert.Equal(OrderStatus.Delivered, c.Status));
        Assert.Equal(parent.Total, Money.Sum(children.Select(c => c.Total), Currency.EUR));
        Assert.Equal(0, _h.Charges(id));
        Assert.All(children, c => Assert.Equal(1, _h.Charges(c.Id)));
    }

    [Fact]
    public async Task StartingASagaTwice_RunsItOnce()
    {
        var id = await _h.CreateOrderAsync("k-twice");

        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => _h.Sagas.StartCheckoutAsync(id)));
        await _h.CompletionAsync(SagaNames.CheckoutId(id));
        await _h.Sagas.StartCheckoutAsync(id); // after completion: still not a second run

        var order = await _h.OrderAsync(id);
        Assert.Single(order.History, h => h.Event is OrderConfirmed);
        Assert.Equal(1, _h.Ledger.Count(id.Value, "reservation"));
        Assert.Equal(1, _h.Charges(id));
    }

    [Fact]
    public async Task ProgressIsVisible_ThroughTheOrderStatusPort()
    {
        var id = await _h.CreateOrderAsync("k-progress");
        await _h.Sagas.StartCheckoutAsync(id);
        await _h.CompletionAsync(SagaNames.FulfillmentId(id));

        var progress = await _h.Sagas.GetProgressAsync(id);

        Assert.Contains(progress, p => p.Saga == SagaNames.Checkout && p.Step == "confirmed" && p.RuntimeStatus == "Completed");
        Assert.Contains(progress, p => p.Saga == SagaNames.Fulfillment && p.Step == "delivered");
    }
}
