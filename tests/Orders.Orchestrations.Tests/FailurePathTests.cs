using System.Globalization;
using System.Text;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Orders.Application.Access;
using Orders.Application.Integration;
using Orders.Application.UseCases.Commands;
using Orders.Contracts.Integration;
using Orders.Domain.Events;
using Orders.Domain.ValueObjects;
using Orders.Infrastructure.Simulators;
using Xunit.Abstractions;
using static Orders.Infrastructure.Simulators.SimulatedFailure;

namespace Orders.Orchestrations.Tests;

/// <summary>
/// Every step × failure mode, each on its own order, all on one engine at once: the terminal state each reaches,
/// the compensations it ran, and the money it took (never more than one capture).
/// </summary>
public sealed class FailurePathTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly SagaOptions Short = SagaHarness.FastOptions with
    {
        InventoryTimeout = TimeSpan.FromMilliseconds(400),
        PaymentTimeout = TimeSpan.FromMilliseconds(400),
        ShipmentTimeout = TimeSpan.FromMilliseconds(400),
        DeliveryTimeout = TimeSpan.FromMilliseconds(400),
        ReversalTimeout = TimeSpan.FromMilliseconds(400),
        MaxEscalations = 1,
    };

    private SagaHarness _h = null!;

    public async Task InitializeAsync() => _h = await SagaHarness.StartAsync(Short);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private sealed record Scenario(string Step, string Failure, OrderType Type, SimulatedFailure[] Knobs, OrderStatus Expected,
        string[] ExpectedKinds, bool Refund = false, bool CancelDuringCheckout = false);

    private static readonly Scenario[] Scenarios =
    [
        new("checkout", "none (prepaid)", OrderType.Prepaid, [], OrderStatus.Delivered, ["reservation", "authorization", "capture", "parcel"]),
        new("checkout", "none (COD)", OrderType.CashOnDelivery, [], OrderStatus.Delivered, ["reservation", "parcel-cod", "cash"]),
        new("reserve stock", "out of stock", OrderType.Prepaid, [OutOfStock], OrderStatus.Cancelled, []),
        new("reserve stock", "no answer (timeout)", OrderType.Prepaid, [SilentInventory], OrderStatus.Cancelled, ["release"]),
        new("authorise payment", "card declined", OrderType.Prepaid, [DeclineCard], OrderStatus.Cancelled, ["reservation", "release"]),
        new("authorise payment", "no answer (timeout)", OrderType.Prepaid, [SilentPayment], OrderStatus.Cancelled, ["reservation", "void", "release"]),
        new("authorise payment", "every answer twice", OrderType.Prepaid, [DuplicateAnswers], OrderStatus.Delivered, ["reservation", "authorization", "capture", "parcel"]),
        new("confirm", "buyer cancelled first", OrderType.Prepaid, [SilentPayment], OrderStatus.Cancelled, ["reservation", "void", "release"], CancelDuringCheckout: true),
        new("capture", "never captured", OrderType.Prepaid, [NoCapture], OrderStatus.Confirmed, ["reservation", "authorization"]),
        new("create shipment", "no answer (timeout)", OrderType.Prepaid, [SilentShipmentCreation], OrderStatus.Paid, ["reservation", "authorization", "capture"]),
        new("dispatch", "no answer (timeout)", OrderType.Prepaid, [SilentDispatch], OrderStatus.Paid, ["reservation", "authorization", "capture", "parcel"]),
        new("deliver", "parcel lost", OrderType.Prepaid, [LoseParcel], OrderStatus.Shipped, ["reservation", "authorization", "capture", "parcel"]),
        new("deliver", "no answer (timeout)", OrderType.Prepaid, [SilentDelivery], OrderStatus.Shipped, ["reservation", "authorization", "capture", "parcel"]),
        new("deliver (COD)", "parcel lost", OrderType.CashOnDelivery, [LoseParcel], OrderStatus.Shipped, ["reservation", "parcel-cod"]),
        new("refund", "none (full, after delivery)", OrderType.Prepaid, [], OrderStatus.Closed, ["reservation", "authorization", "capture", "parcel", "reversal"], Refund: true),
        new("reverse payment", "refused", OrderType.Prepaid, [FailRefund], OrderStatus.Delivered, ["reservation", "authorization", "capture", "parcel"], Refund: true),
        new("reverse payment", "no answer (timeout)", OrderType.Prepaid, [SilentRefund], OrderStatus.Delivered, ["reservation", "authorization", "capture", "parcel"], Refund: true),
    ];

    [Fact]
    public async Task EveryStepAndFailureMode_EndsConsistent_WithoutADoubleCharge()
    {
        var results = await Task.WhenAll(Scenarios.Select((s, i) => RunAsync(s, i)));

        var table = new StringBuilder("| step | failure | terminal state | sagas | compensations / effects | captures |\n|---|---|---|---|---|---|\n");
        foreach (var (scenario, status, sagas, kinds, captures) in results)
            table.Append(CultureInfo.InvariantCulture, $"| {scenario.Step} | {scenario.Failure} | {status} | {sagas} | {string.Join(" → ", kinds)} | {captures} |\n");
        output.WriteLine(table.ToString());

        Assert.All(results, r =>
        {
            Assert.True(r.Status == r.Scenario.Expected, $"{r.Scenario.Step}/{r.Scenario.Failure}: ended {r.Status}, expected {r.Scenario.Expected}");
            Assert.True(r.Kinds.SequenceEqual(r.Scenario.ExpectedKinds),
                $"{r.Scenario.Step}/{r.Scenario.Failure}: effects {string.Join(",", r.Kinds)}, expected {string.Join(",", r.Scenario.ExpectedKinds)}");
            Assert.InRange(r.Captures, 0, 1);
        });
    }

    private async Task<(Scenario Scenario, OrderStatus Status, string Sagas, string[] Kinds, int Captures)> RunAsync(Scenario s, int index)
    {
        var id = await _h.CreateOrderAsync($"matrix-{index}", s.Type);
        foreach (var knob in s.Knobs) _h.Knobs.Fail(id, knob);
        await _h.Sagas.StartCheckoutAsync(id);
        if (s.CancelDuringCheckout)
        {
            await _h.WaitForPaymentAskedAsync(id); // asked, so the checkout voids what it may be granted
            await _h.BuyerCancelsAsync(id);
        }
        var outcomes = new List<string> { "checkout: " + SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.CheckoutId(id))).Result };

        var order = await _h.OrderAsync(id);
        var fulfils = order.Status == OrderStatus.Confirmed ? s.Type == OrderType.CashOnDelivery : order.Status != OrderStatus.Cancelled;
        if (fulfils || (await _h.Client.GetInstanceAsync(SagaNames.FulfillmentId(id))) is not null)
        {
            if (order.Status == OrderStatus.Confirmed && s.Type == OrderType.Prepaid) await _h.WaitForStatusAsync(id, OrderStatus.Paid);
            outcomes.Add("fulfillment: " + SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.FulfillmentId(id))).Result);
        }
        if (s.Refund)
        {
            order = await _h.OrderAsync(id);
            (await _h.Services.GetRequiredService<InitiateRefund>().ExecuteAsync(new InitiateRefundCommand(id, "rf-1", order.AmountPaid, "returned"),
                new RequestContext(Caller.Buyer("buyer-1"), DateTimeOffset.UtcNow, "refund"))).Unwrap();
            await _h.Sagas.StartRefundAsync(id, "rf-1");
            outcomes.Add("refund: " + SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.RefundId(id, "rf-1"))).Result);
        }

        order = await _h.OrderAsync(id);
        Assert.True(order.VerifyHistory().IsIntact);
        var kinds = _h.Ledger.For(id.Value).Select(e => e.Kind).ToArray();
        return (s, order.Status, string.Join("; ", outcomes), kinds, _h.Charges(id));
    }

    [Fact]
    public async Task AnswersArrivingAfterTheTimeout_ChangeNothing_AndALateCaptureIsReturnedThroughTheRefundSaga()
    {
        var id = await _h.CreateOrderAsync("late", OrderType.Prepaid);
        _h.Knobs.Fail(id, SilentPayment);
        await _h.Sagas.StartCheckoutAsync(id);
        Assert.Equal(SagaResult.Cancelled, SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.CheckoutId(id))).Result);
        var handler = _h.Services.GetRequiredService<IntegrationEventHandler>();
        var total = (await _h.OrderAsync(id)).Total;
        var amount = new MoneyAmount(total.Minor, total.Currency.Code);

        var lateAuthorization = await handler.HandleAsync(new InboundEvent("late-1", InboundEventTypes.PaymentAuthorized, DateTimeOffset.UtcNow,
            new PaymentAuthorized(id.Value, "auth-late", amount)));
        var lateCapture = await handler.HandleAsync(new InboundEvent("late-2", InboundEventTypes.PaymentCaptured, DateTimeOffset.UtcNow,
            new PaymentCaptured(id.Value, "pay-late", amount)));

        Assert.Equal(InboundOutcome.Handled, lateAuthorization.Outcome); // delivered to a finished saga: ignored by it
        Assert.Equal(InboundOutcome.Handled, lateCapture.Outcome);       // returned at once (decision 0016)
        var refundId = Application.UseCases.Resolutions.ReturnLateCapture.RefundIdFor("pay-late");
        Assert.Equal(SagaResult.Returned, SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.RefundId(id, refundId))).Result);
        var order = await _h.OrderAsync(id);
        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.DoesNotContain(order.History, h => h.Event is OrderPaid or OrderConfirmed);
        Assert.Equal(total, order.AmountRefunded);
        Assert.True(order.VerifyHistory().IsIntact);
        var reversal = Assert.Single(_h.Ledger.For(id.Value), e => e.Kind == "reversal");
        Assert.Equal(total.Minor, reversal.Minor);
        Assert.Equal(0, _h.Charges(id)); // the simulator never captured: the late capture came from outside, and went back
    }

    [Fact]
    public async Task AnActivityWhoseCompletionWasLost_RunsAgain_WithoutASecondEffect()
    {
        _h.Faults.LosePaymentInitiationCompletion();
        _h.Faults.LoseSaveCompletions(1); // the confirmation commits, then the process "dies"
        var id = await _h.CreateOrderAsync("crash", OrderType.Prepaid);

        await _h.Sagas.StartCheckoutAsync(id);
        Assert.Equal(SagaResult.Confirmed, SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.CheckoutId(id))).Result);
        await _h.CompletionAsync(SagaNames.FulfillmentId(id));

        Assert.Equal(1, _h.Faults.FiredInitiations);
        Assert.Equal(1, _h.Faults.FiredSaves);
        var order = await _h.OrderAsync(id);
        Assert.Equal(OrderStatus.Delivered, order.Status);
        Assert.Single(order.History, h => h.Event is OrderConfirmed);
        Assert.Single(order.History, h => h.Event is OrderPaid);
        Assert.Equal(1, _h.Ledger.Count(id.Value, "authorization"));
        Assert.Equal(1, _h.Charges(id));
        Assert.True(_h.Ledger.Requests > _h.Ledger.For(id.Value).Count, "the payment request was sent twice and acted on once");
    }

    [Fact]
    public async Task AShipmentThatNeverComes_IsEscalated_NotForgotten()
    {
        var id = await _h.CreateOrderAsync("stuck", OrderType.Prepaid);
        _h.Knobs.Fail(id, SilentShipmentCreation);
        await _h.Sagas.StartCheckoutAsync(id);
        await _h.WaitForStatusAsync(id, OrderStatus.Paid);

        var fulfillment = SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.FulfillmentId(id)));

        Assert.Equal(SagaResult.Escalated, fulfillment.Result);
        var escalations = _h.Simulators.Notifications.Where(n => n.OrderId == id && n.Template == "order-escalated").ToArray();
        Assert.Equal(Short.MaxEscalations + 1, escalations.Length);
        Assert.Contains(_h.Logs.Lines, l => l.Contains("OrderStuck", StringComparison.Ordinal) && l.Contains(id.Value, StringComparison.Ordinal));
        var progress = await _h.Sagas.GetProgressAsync(id);
        Assert.Contains(progress, p => p.Saga == SagaNames.Fulfillment && p.Step == "escalated");
    }

}
