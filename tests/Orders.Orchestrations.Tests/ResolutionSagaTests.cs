using Microsoft.Extensions.DependencyInjection;
using Orders.Application.Access;
using Orders.Application.Integration;
using Orders.Application.UseCases.Commands;
using Orders.Application.UseCases.Resolutions;
using Orders.Domain.ValueObjects;
using static Orders.Infrastructure.Simulators.SimulatedFailure;

namespace Orders.Orchestrations.Tests;

/// <summary>
/// Operator resolutions on the real in-process Durable engine (decision 0016): a finished saga instance runs again
/// under its own id and carries the order on; a live one is never replaced.
/// </summary>
public sealed class ResolutionSagaTests : IAsyncLifetime
{
    private static readonly Caller Ops = Caller.Operator("ops-1");
    private SagaHarness _h = null!;

    public async Task InitializeAsync() => _h = await SagaHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task ARefusedRefund_RetriedByAnOperatorOnceThePaymentsDomainRecovered_IsReversedOnce_AndTheOrderCloses()
    {
        var id = await DeliveredAsync("retry-refund");
        _h.Knobs.Fail(id, FailRefund);
        var order = await _h.OrderAsync(id);
        (await _h.Services.GetRequiredService<InitiateRefund>().ExecuteAsync(new InitiateRefundCommand(id, "rf-1", order.AmountPaid, "returned"),
            Request("refund"))).Unwrap();
        await _h.Sagas.StartRefundAsync(id, "rf-1");
        Assert.Equal(SagaResult.Escalated, SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.RefundId(id, "rf-1"))).Result);
        _h.Knobs.Heal(id, FailRefund);

        var retried = await _h.Services.GetRequiredService<RetrySaga>().ExecuteAsync(new RetrySagaCommand(id, "refund", "rf-1", "issuer back"), Request("retry"));

        Assert.True(retried.IsSuccess, retried.Rejection?.ToString());
        await WaitForAsync(id, OrderStatus.Closed);
        Assert.Single(_h.Ledger.For(id.Value), e => e.Kind == "reversal");
        var closed = await _h.OrderAsync(id);
        Assert.Contains(closed.History, h => h.Actor.Kind == ActorKind.Operator && h.Reason.Contains("issuer back", StringComparison.Ordinal));
        Assert.True(closed.VerifyHistory().IsIntact);
    }

    [Fact]
    public async Task ALostParcelReplacedByAnOperator_ShipsASecondParcel_AndTheOrderIsDelivered()
    {
        var (id, lost) = await LostParcelAsync("replace");

        var resolved = await _h.Services.GetRequiredService<ResolveLostParcel>().ExecuteAsync(
            new ResolveLostParcelCommand(id, lost, ResolveLostParcel.ByReplacement, "lost in transit"), Request("replace"));

        Assert.True(resolved.IsSuccess, resolved.Rejection?.ToString());
        await WaitForAsync(id, OrderStatus.Delivered);
        var order = await _h.OrderAsync(id);
        Assert.NotEqual(lost, order.Shipment!.ShipmentId);
        Assert.Equal(lost, Assert.Single(order.LostShipments).ShipmentId);
        Assert.Equal(2, _h.Ledger.For(id.Value).Count(e => e.Kind == "parcel"));
        Assert.Equal(1, _h.Charges(id));
    }

    [Fact]
    public async Task AnAnswerAboutTheLostParcel_ArrivingWhileItsReplacementTravels_IsNotTakenAsTheReplacements()
    {
        var (id, lost) = await LostParcelAsync("replace-stray");
        _h.Knobs.Fail(id, SilentDelivery); // the replacement is picked up; its outcome is sent by the test
        (await _h.Services.GetRequiredService<ResolveLostParcel>().ExecuteAsync(
            new ResolveLostParcelCommand(id, lost, ResolveLostParcel.ByReplacement, "lost in transit"), Request("replace"))).Unwrap();
        var replacement = await _h.WaitForStepAsync(SagaNames.FulfillmentId(id), "in-transit");
        Assert.NotEqual(lost, replacement);

        // The carrier finds the lost parcel and reports it delivered; then the replacement is reported lost too.
        await _h.Client.RaiseEventAsync(SagaNames.FulfillmentId(id), SagaNames.Events.ShipmentOutcome, new ShipmentOutcomeAnswer(lost, true, null));
        await _h.Client.RaiseEventAsync(SagaNames.FulfillmentId(id), SagaNames.Events.ShipmentOutcome, new ShipmentOutcomeAnswer(replacement!, false, "lost again"));

        var outcome = SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.FulfillmentId(id)));
        Assert.Equal(new SagaOutcome(SagaResult.Escalated, $"shipment {replacement} lost: lost again"), outcome);
        var order = await _h.OrderAsync(id);
        Assert.Equal(OrderStatus.Shipped, order.Status); // not recorded delivered on the strength of the other parcel's report
        Assert.DoesNotContain(order.History, h => h.Event is Domain.Events.OrderDelivered);
    }

    [Fact]
    public async Task ALostParcelRefundedByAnOperator_IsReversedOnce_AndTheOrderGoesFromShippedToRefundedToClosed()
    {
        var (id, lost) = await LostParcelAsync("refund-lost");

        var resolved = await _h.Services.GetRequiredService<ResolveLostParcel>().ExecuteAsync(
            new ResolveLostParcelCommand(id, lost, ResolveLostParcel.ByRefund, "carrier confirmed"), Request("lost"));

        Assert.True(resolved.IsSuccess, resolved.Rejection?.ToString());
        await WaitForAsync(id, OrderStatus.Closed);
        var order = await _h.OrderAsync(id);
        Assert.Contains(order.History, h => h.From == OrderStatus.Shipped && h.To == OrderStatus.Refunded);
        Assert.Equal(order.Total.Minor, Assert.Single(_h.Ledger.For(id.Value), e => e.Kind == "reversal").Minor);
        Assert.DoesNotContain(_h.Ledger.For(id.Value), e => e.Kind == "release"); // the goods left: no stock to release
    }

    [Fact]
    public async Task ARunningSaga_IsNeverRestarted()
    {
        var id = await _h.CreateOrderAsync("running", OrderType.Prepaid);
        _h.Knobs.Fail(id, SilentPayment);
        await _h.Sagas.StartCheckoutAsync(id);
        await WaitForAsync(id, OrderStatus.Created, reservation: true);

        var retried = await _h.Services.GetRequiredService<RetrySaga>().ExecuteAsync(new RetrySagaCommand(id, "checkout", null, "impatient"), Request("retry"));
        var restarted = await _h.Sagas.RestartAsync(SagaNames.Checkout, id, SagaNames.CheckoutId(id), null);

        Assert.Equal("resolution.saga-running", retried.Rejection?.Code);
        Assert.False(restarted);
        Assert.DoesNotContain((await _h.OrderAsync(id)).History, h => h.Actor.Kind == ActorKind.Operator);
    }

    /// <summary>An order whose parcel the carrier reported lost: shipped, its fulfillment ended escalated; the lost shipment.</summary>
    private async Task<(OrderId Id, string Lost)> LostParcelAsync(string key)
    {
        var id = await _h.CreateOrderAsync(key, OrderType.Prepaid);
        _h.Knobs.Fail(id, LoseParcel);
        await _h.Sagas.StartCheckoutAsync(id);
        await WaitForAsync(id, OrderStatus.Shipped);
        Assert.Equal(SagaResult.Escalated, SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.FulfillmentId(id))).Result);
        return (id, (await _h.OrderAsync(id)).Shipment!.ShipmentId);
    }

    private async Task<OrderId> DeliveredAsync(string key)
    {
        var id = await _h.CreateOrderAsync(key, OrderType.Prepaid);
        await _h.Sagas.StartCheckoutAsync(id);
        await WaitForAsync(id, OrderStatus.Delivered);
        return id;
    }

    private static RequestContext Request(string causation) => new(Ops, DateTimeOffset.UtcNow, causation);

    private async Task WaitForAsync(OrderId id, OrderStatus status, bool reservation = false)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var order = await _h.OrderAsync(id);
            if (order.Status == status && (!reservation || _h.Ledger.For(id.Value).Any(e => e.Kind == "reservation"))) return;
            await Task.Delay(50);
        }
        Assert.Fail($"order {id} is {(await _h.OrderAsync(id)).Status}, not {status}");
    }
}
