using Orders.Domain.Tests.TestSupport;
using Orders.Domain.Events;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;
using static Orders.Domain.OrderAggregate.OrderRejections.Codes;
using static Orders.Domain.Tests.TestSupport.OrderAssert;
using static Orders.Domain.Tests.TestSupport.TestOrders;

namespace Orders.Domain.Tests.OrderAggregate;

/// <summary>An operator resolves a parcel lost in transit (decision 0016). The default order's total is 59.99 USD.</summary>
public sealed class LostParcelTests
{
    private static readonly Actor Ops = Actor.Operator("ops-1");

    [Fact]
    public void RefundingALostParcel_RecordsTheLossAndAFullRefund_InOneOperatorFact()
    {
        var order = In(Stage.Shipped);

        var requested = Recorded<RefundRequested>(order.Order, () => order.Order.RefundLostParcel(ShipmentId, "lost-ship-1", "carrier confirmed the loss", order.Next(Ops)));

        Assert.Equal(Usd(TotalMinor), requested.Amount);
        Assert.Equal(ShipmentId, requested.LostShipmentId);
        Assert.True(order.Order.Shipment!.IsLost);
        Assert.Equal(OrderShipment.ResolvedByRefund, order.Order.Shipment.LostResolution);
        var entry = order.Order.History[^1];
        Assert.Equal((OrderStatus.Shipped, OrderStatus.Shipped), (entry.From!.Value, entry.To));
        Assert.Equal(Ops, entry.Actor);
        Assert.Contains("carrier confirmed the loss", entry.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TheRefundOfALostParcel_TakesTheOrderFromShippedToRefunded_ThenItCloses()
    {
        var order = In(Stage.Shipped);
        Assert.Null(order.Order.RefundLostParcel(ShipmentId, "lost-ship-1", "lost", order.Next(Ops)));

        var refunded = Recorded<OrderRefunded>(order.Order, () => order.Order.RecordRefund("lost-ship-1", order.Next(Actor.System("refund-saga"))));
        Assert.Null(order.Order.Close(order.Next(Actor.System("refund-saga"))));

        Assert.True(refunded.Full);
        var transition = order.Order.History[^2];
        Assert.Equal((OrderStatus.Shipped, OrderStatus.Refunded), (transition.From!.Value, transition.To));
        Assert.Equal(OrderStatus.Closed, order.Order.Status);
        Assert.True(order.Order.VerifyHistory().IsIntact);
    }

    [Fact]
    public void AnOrdinaryRefundOfEverything_IsStillRefusedWhileShipped()
    {
        var order = In(Stage.Shipped);
        Refused(RefundInTransit, order.Order, () => order.Order.RequestRefund("r", order.Order.Total, "x", order.Next()));
    }

    [Fact]
    public void ResolvingTheSameLossAgain_IsAReplay_AndAnotherResolutionIsRefused()
    {
        var order = In(Stage.Shipped);
        Assert.Null(order.Order.RefundLostParcel(ShipmentId, "lost-ship-1", "lost", order.Next(Ops)));

        Replayed(order.Order, () => order.Order.RefundLostParcel(ShipmentId, "lost-ship-1", "lost", order.Next(Ops)));
        Refused(ParcelAlreadyResolved, order.Order, () => order.Order.ReplaceLostParcel(ShipmentId, "send another", order.Next(Ops)));
    }

    [Theory]
    [InlineData(Stage.Paid)]
    [InlineData(Stage.Delivered)]
    [InlineData(Stage.Cancelled)]
    public void OnlyAParcelInTransit_CanBeDeclaredLost(Stage stage)
    {
        var order = In(stage);
        Refused(ParcelNotInTransit, order.Order, () => order.Order.RefundLostParcel(ShipmentId, "lost-ship-1", "lost", order.Next(Ops)));
        Refused(ParcelNotInTransit, order.Order, () => order.Order.ReplaceLostParcel(ShipmentId, "lost", order.Next(Ops)));
    }

    [Fact]
    public void AnotherShipmentsId_IsRefused()
    {
        var order = In(Stage.Shipped);
        Refused(ShipmentMismatch, order.Order, () => order.Order.ReplaceLostParcel("ship-other", "lost", order.Next(Ops)));
    }

    [Fact]
    public void AnUnpaidCashOnDeliveryParcel_CannotBeRefunded_ButCanBeReplaced()
    {
        var order = In(Stage.Shipped, OrderType.CashOnDelivery);

        Refused(NothingToRefund, order.Order, () => order.Order.RefundLostParcel(ShipmentId, "lost-ship-1", "lost", order.Next(Ops)));
        Assert.Null(order.Order.ReplaceLostParcel(ShipmentId, "lost", order.Next(Ops)));
    }

    [Fact]
    public void AReplacement_ShipsAsANewShipmentOfTheSameOrder_AndItsDeliveryDeliversTheOrder()
    {
        var order = In(Stage.Shipped);
        var resolution = Recorded<OperatorResolution>(order.Order, () => order.Order.ReplaceLostParcel(ShipmentId, "send another", order.Next(Ops)));
        Assert.Equal(OperatorResolution.Actions.ReplaceLostParcel, resolution.Action);
        Assert.True(order.Order.Shipment!.AwaitsReplacement);

        var shipped = Recorded<OrderShipped>(order.Order, () => order.Order.Ship("ship-2", Carrier, "TRK-2", order.Next(Actor.System("fulfillment-saga"))));
        Refused(ShipmentMismatch, order.Order, () => order.Order.Deliver(ShipmentId, order.Next()));
        Assert.Null(order.Order.Deliver("ship-2", order.Next(Actor.System("carrier"))));

        Assert.Equal(ShipmentId, shipped.Replaces);
        Assert.Equal("ship-2", order.Order.Shipment!.ShipmentId);
        Assert.Equal(ShipmentId, Assert.Single(order.Order.LostShipments).ShipmentId);
        Assert.Equal(OrderStatus.Delivered, order.Order.Status);
        // Rebuilt from its history, the order is the same.
        var rebuilt = Order.FromHistory(order.Order.History);
        Assert.Equal(order.Order.Shipment, rebuilt.Shipment);
        Assert.Equal(order.Order.LostShipments, rebuilt.LostShipments);
    }

    [Fact]
    public void ASecondShipment_IsStillRefused_WithoutALostParcel()
    {
        var order = In(Stage.Shipped);
        Refused(AlreadyShipped, order.Order, () => order.Order.Ship("ship-2", Carrier, "TRK-2", order.Next()));
    }
}

/// <summary>The other resolutions: a manual settlement, a late capture returned, notes (decision 0016).</summary>
public sealed class OperatorResolutionTests
{
    private static readonly Actor Ops = Actor.Operator("ops-1");

    [Fact]
    public void SettlingAPendingRefundManually_CompletesItWithItsReference()
    {
        var order = In(Stage.DeliveredRefundPending);

        var refunded = Recorded<OrderRefunded>(order.Order, () => order.Order.SettleRefundManually(RefundId, "bank-77", "card expired", order.Next(Ops)));

        Assert.Equal("bank-77", refunded.SettlementReference);
        Assert.True(refunded.Full);
        Assert.Equal(OrderStatus.Refunded, order.Order.Status);
        Assert.Equal(Ops, order.Order.History[^1].Actor);
        Replayed(order.Order, () => order.Order.SettleRefundManually(RefundId, "bank-77", "card expired", order.Next(Ops)));
        Refused(RefundConflict, order.Order, () => order.Order.SettleRefundManually(RefundId, "bank-78", "again", order.Next(Ops)));
    }

    [Fact]
    public void SettlingARefundThePaymentsDomainCompleted_IsRefused()
    {
        var order = In(Stage.DeliveredRefundPending).RecordRefund();
        Refused(RefundConflict, order.Order, () => order.Order.SettleRefundManually(RefundId, "bank-77", "x", order.Next(Ops)));
        Refused(RefundUnknown, order.Order, () => order.Order.SettleRefundManually("refund-x", "bank-77", "x", order.Next(Ops)));
    }

    [Fact]
    public void ALateCapture_IsRecordedAsThePaymentWithARefundOfAllOfIt_AndTheOrderStaysCancelled()
    {
        var order = In(Stage.Cancelled);

        var requested = Recorded<RefundRequested>(order.Order, () => order.Order.ReturnLateCapture("pay-late", Usd(TotalMinor), "late-capture-pay-late", "captured after cancellation", order.Next()));
        Assert.Null(order.Order.RecordRefund("late-capture-pay-late", order.Next(Actor.System("refund-saga"))));

        Assert.Equal("pay-late", requested.CapturedPaymentId);
        Assert.Equal(OrderStatus.Cancelled, order.Order.Status);
        Assert.Equal(Usd(TotalMinor), order.Order.AmountPaid);
        Assert.Equal(Usd(TotalMinor), order.Order.AmountRefunded);
        Assert.Contains("captured payment returned in full", order.Order.History[^1].Reason, StringComparison.Ordinal);
        Assert.True(order.Order.History.Skip(order.Order.History.Count - 2).All(e => e.From == OrderStatus.Cancelled && e.To == OrderStatus.Cancelled));
        Replayed(order.Order, () => order.Order.ReturnLateCapture("pay-late", Usd(TotalMinor), "late-capture-pay-late", "again", order.Next()));
        Refused(AlreadyPaid, order.Order, () => order.Order.ReturnLateCapture("pay-other", Usd(TotalMinor), "late-capture-pay-other", "x", order.Next()));
    }

    [Theory]
    [InlineData(Stage.Created)]
    [InlineData(Stage.Confirmed)]
    public void ACaptureIsLateOnlyForACancelledOrder(Stage stage)
    {
        var order = In(stage);
        Refused(CaptureNotLate, order.Order, () => order.Order.ReturnLateCapture("pay-late", Usd(TotalMinor), "late-capture-pay-late", "x", order.Next()));
    }

    [Fact]
    public void ALateCaptureInAnotherCurrency_IsRefused()
    {
        var order = In(Stage.Cancelled);
        Refused(CurrencyMismatch, order.Order, () => order.Order.ReturnLateCapture("pay-late", Money.Of(5999, Currency.EUR), "late-capture-pay-late", "x", order.Next()));
    }

    [Theory]
    [InlineData(Stage.Shipped)]
    [InlineData(Stage.Cancelled)]
    [InlineData(Stage.Closed)]
    public void ANoteOfAnOperator_IsRecordedInAnyStatus_WithoutChangingIt(Stage stage)
    {
        var order = In(stage);
        var before = order.Order.Status;

        var ack = Recorded<OperatorResolution>(order.Order, () => order.Order.AcknowledgeStuck("saga-ended", "waiting for the carrier's report", order.Next(Ops)));
        var retry = Recorded<OperatorResolution>(order.Order, () => order.Order.RecordSagaRetry("fulfillment-order-1", "carrier API back", order.Next(Ops)));

        Assert.Equal((OperatorResolution.Actions.AcknowledgeStuck, "saga-ended"), (ack.Action, ack.Subject));
        Assert.Equal((OperatorResolution.Actions.RetrySaga, "fulfillment-order-1"), (retry.Action, retry.Subject));
        Assert.Equal(before, order.Order.Status);
        Assert.All(order.Order.History.TakeLast(2), e => Assert.Equal(Ops, e.Actor));
        Assert.True(order.Order.VerifyHistory().IsIntact);
    }
}
