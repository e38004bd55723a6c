using Orders.Application.UseCases.Commands;
using Orders.Domain.Events;
using Orders.Domain.ValueObjects;
using static Orders.Application.Tests.TestData;
using static Orders.Application.Tests.UseCases.Harness;
using static Orders.Application.Tests.UseCases.ResultAssert;

namespace Orders.Application.Tests.UseCases;

/// <summary>Every command through its use case: the happy path stores the fact; a refusal stores nothing.</summary>
public sealed class CommandTests : IDisposable
{
    private readonly Harness _h = new();

    [Fact]
    public async Task AnOrderWalksItsWholeLife_AndEveryStepIsStored()
    {
        var id = await _h.PaidAsync();
        var d = T0.AddDays(1);
        (await _h.Ship.ExecuteAsync(new RecordShipmentCommand(id, "shp-1", "DHL", "TRK1"), Request(SellerA, at: d))).Unwrap();
        (await _h.Deliver.ExecuteAsync(new RecordDeliveryCommand(id, "shp-1"), Request(Saga, at: d.AddDays(2)))).Unwrap();
        var closed = (await _h.Close.ExecuteAsync(new CloseOrderCommand(id), Request(Saga, at: d.AddDays(20)))).Unwrap();

        Assert.Equal(OrderStatus.Closed, closed.Receipt.Status);
        var order = await _h.LoadAsync(id);
        Assert.Equal(
            [OrderCreated.TypeName, OrderConfirmed.TypeName, OrderPaid.TypeName, OrderShipped.TypeName, OrderDelivered.TypeName, OrderClosed.TypeName],
            order.History.Select(h => h.Event.Type));
        Assert.True(order.VerifyHistory().IsIntact);
        Assert.Equal(6, await _h.EventCountAsync());
    }

    [Fact]
    public async Task ARejectedCommand_StoresNothing()
    {
        var id = await _h.CreatedAsync();

        Rejected("order.not-shippable", await _h.Ship.ExecuteAsync(new RecordShipmentCommand(id, "shp-1", "DHL", "T"), Request(Saga)));
        Rejected("order.not-payable", await _h.MarkPaid.ExecuteAsync(new MarkOrderPaidCommand(id, "pay-1", Usd(3000)), Request(Saga)));
        Rejected("order.not-closable", await _h.Close.ExecuteAsync(new CloseOrderCommand(id), Request(Saga)));
        Rejected("order.refund-unknown", await _h.RecordRefund.ExecuteAsync(new RecordRefundCommand(id, "rf-1"), Request(Saga)));

        Assert.Equal(1, (await _h.LoadAsync(id)).Version);
        Assert.Equal(1, await _h.EventCountAsync());
    }

    [Fact]
    public async Task CancellingAConfirmedOrder_AsItsBuyer_IsStored()
    {
        var id = await _h.CreatedAsync();
        await _h.Confirm.ExecuteAsync(new ConfirmOrderCommand(id, "res-1", "auth-1"), Request(Saga));

        var reply = (await _h.Cancel.ExecuteAsync(new CancelOrderCommand(id, "changed my mind"), Request(Buyer))).Unwrap();

        Assert.Equal(OrderStatus.Cancelled, reply.Receipt.Status);
        var entry = (await _h.LoadAsync(id)).History[^1];
        Assert.Equal("cancelled: changed my mind", entry.Reason);
        Assert.Equal(ActorKind.Buyer, entry.Actor.Kind);
    }

    [Fact]
    public async Task CancellingAPaidOrder_IsRejected()
    {
        var id = await _h.PaidAsync();
        Rejected("order.not-cancellable", await _h.Cancel.ExecuteAsync(new CancelOrderCommand(id, "too late"), Request(Buyer)));
    }

    [Fact]
    public async Task APartialRefund_ThenTheRest_RefundsTheOrder()
    {
        var id = await _h.PaidAsync();
        (await _h.Refund.ExecuteAsync(new InitiateRefundCommand(id, "rf-1", Usd(1000), "damaged"), Request(Buyer))).Unwrap();
        var partial = (await _h.RecordRefund.ExecuteAsync(new RecordRefundCommand(id, "rf-1"), Request(Saga))).Unwrap();
        Assert.Equal(OrderStatus.Paid, partial.Receipt.Status);

        Rejected("order.refund-exceeds-paid", await _h.Refund.ExecuteAsync(new InitiateRefundCommand(id, "rf-2", Usd(2001), "more"), Request(Buyer)));
        (await _h.Refund.ExecuteAsync(new InitiateRefundCommand(id, "rf-2", Usd(2000), "the rest"), Request(Buyer))).Unwrap();
        var full = (await _h.RecordRefund.ExecuteAsync(new RecordRefundCommand(id, "rf-2"), Request(Saga))).Unwrap();

        Assert.Equal(OrderStatus.Refunded, full.Receipt.Status);
        Assert.Equal(Usd(3000), (await _h.LoadAsync(id)).AmountRefunded);
    }

    [Fact]
    public async Task ACashOnDeliveryOrder_IsPaidAtTheDoor_ThenCloses()
    {
        var id = await _h.CreatedAsync(type: OrderType.CashOnDelivery);
        (await _h.Confirm.ExecuteAsync(new ConfirmOrderCommand(id, "res-1", null), Request(Saga))).Unwrap();
        (await _h.Ship.ExecuteAsync(new RecordShipmentCommand(id, "shp-1", "UPS", "T1"), Request(SellerA))).Unwrap();
        (await _h.Deliver.ExecuteAsync(new RecordDeliveryCommand(id, "shp-1"), Request(Saga, at: T0.AddDays(1)))).Unwrap();
        Rejected("order.cash-not-collected", await _h.Close.ExecuteAsync(new CloseOrderCommand(id), Request(Saga, at: T0.AddDays(30))));

        (await _h.Cash.ExecuteAsync(new RecordCashCollectedCommand(id, "cash-1", Usd(3000)), Request(Saga, at: T0.AddDays(1)))).Unwrap();
        var closed = (await _h.Close.ExecuteAsync(new CloseOrderCommand(id), Request(Saga, at: T0.AddDays(30)))).Unwrap();

        Assert.Equal(OrderStatus.Closed, closed.Receipt.Status);
        Assert.True((await _h.LoadAsync(id)).Payment!.CollectedOnDelivery);
    }

    [Fact]
    public async Task ChangingTheAddressBeforeShipment_IsStored_AfterIsRejected()
    {
        var id = await _h.PaidAsync();
        var moved = new ShippingAddress("Ada Lovelace", "2 Engine Street", "Flat 3", "London", "N1 2BB", "GB");

        (await _h.ChangeAddress.ExecuteAsync(new ChangeShippingAddressCommand(id, moved), Request(Buyer))).Unwrap();
        Assert.Equal(moved, (await _h.LoadAsync(id)).ShippingAddress);

        await _h.Ship.ExecuteAsync(new RecordShipmentCommand(id, "shp-1", "DHL", "T"), Request(Saga));
        Rejected("order.not-modifiable", await _h.ChangeAddress.ExecuteAsync(new ChangeShippingAddressCommand(id, Address), Request(Buyer)));
    }

    [Fact]
    public async Task AnExactReplayWithoutAKey_SucceedsAndWritesNothing()
    {
        var id = await _h.PaidAsync();
        var before = await _h.EventCountAsync();

        var replay = (await _h.MarkPaid.ExecuteAsync(new MarkOrderPaidCommand(id, "pay-1", Usd(3000)), Request(Saga))).Unwrap();

        Assert.Equal(OrderStatus.Paid, replay.Receipt.Status);
        Assert.Equal(before, await _h.EventCountAsync());
    }

    [Fact]
    public async Task AStaleExpectedVersion_IsRejected_AndTheCurrentOneAccepted()
    {
        var id = await _h.CreatedAsync();

        Rejected("order.version-mismatch", await _h.Cancel.ExecuteAsync(new CancelOrderCommand(id, "x"), Request(Buyer), expectedVersion: 7));
        (await _h.Cancel.ExecuteAsync(new CancelOrderCommand(id, "x"), Request(Buyer), expectedVersion: 1)).Unwrap();
    }

    [Fact]
    public async Task ACommandOnAMissingOrder_IsNotFound()
    {
        Rejected("order.not-found", await _h.Cancel.ExecuteAsync(new CancelOrderCommand(OrderId.From("ord-none"), "x"), Request(Buyer)));
    }

    public void Dispose() => _h.Dispose();
}
