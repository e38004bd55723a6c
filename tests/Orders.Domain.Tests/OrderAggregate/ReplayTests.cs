using Orders.Domain.OrderAggregate;
using Orders.Domain.Tests.TestSupport;
using Orders.Domain.ValueObjects;
using static Orders.Domain.OrderAggregate.OrderRejections.Codes;
using static Orders.Domain.Tests.TestSupport.OrderAssert;
using static Orders.Domain.Tests.TestSupport.TestOrders;

namespace Orders.Domain.Tests.OrderAggregate;

/// <summary>
/// The same command twice is one fact (a retried message, a redelivered event); a different command against a fact
/// already recorded is refused, never silently ignored.
/// </summary>
public sealed class ReplayTests
{
    private static CommandContext Later(TestOrder order) => Context(order.Now.AddHours(5), "retry-1");

    [Fact]
    public void ConfirmingAgainWithTheSameReservationAndAuthorisation_IsAReplay()
    {
        var order = In(Stage.Confirmed);

        Replayed(order.Order, () => order.Order.Confirm(ReservationId, AuthorizationId, Later(order)));
    }

    [Fact]
    public void ConfirmingAgainAfterShipping_IsStillAReplay()
    {
        var order = In(Stage.Shipped);

        Replayed(order.Order, () => order.Order.Confirm(ReservationId, AuthorizationId, Later(order)));
    }

    [Fact]
    public void ConfirmingWithAnotherReservation_IsRefusedAsAlreadyConfirmed()
    {
        var order = In(Stage.Confirmed);

        Refused(AlreadyConfirmed, order.Order, () => order.Order.Confirm("res-2", AuthorizationId, Later(order)));
    }

    [Fact]
    public void ConfirmingWithTheSameReservationButAnotherAuthorisation_IsRefusedAsAlreadyConfirmed()
    {
        var order = In(Stage.Confirmed);

        Refused(AlreadyConfirmed, order.Order, () => order.Order.Confirm(ReservationId, "auth-2", Later(order)));
    }

    [Fact]
    public void PayingAgainWithTheSamePayment_IsAReplay()
    {
        var order = In(Stage.Paid);

        Replayed(order.Order, () => order.Order.MarkPaid(PaymentId, order.Order.Total, Later(order)));
    }

    [Fact]
    public void PayingAgainWithAnotherPayment_IsRefusedAsAlreadyPaid()
    {
        var order = In(Stage.Paid);

        Refused(AlreadyPaid, order.Order, () => order.Order.MarkPaid("pay-2", order.Order.Total, Later(order)));
    }

    [Fact]
    public void PayingAgainWithTheSamePaymentIdForAnotherAmount_IsRefusedAsAlreadyPaid()
    {
        var order = In(Stage.Paid);

        Refused(AlreadyPaid, order.Order, () => order.Order.MarkPaid(PaymentId, Usd(1), Later(order)));
    }

    [Fact]
    public void ShippingAgainWithTheSameShipment_IsAReplay()
    {
        var order = In(Stage.Shipped);

        Replayed(order.Order, () => order.Order.Ship(ShipmentId, Carrier, TrackingNumber, Later(order)));
    }

    [Fact]
    public void ShippingAgainWithAnotherShipment_IsRefusedAsAlreadyShipped()
    {
        var order = In(Stage.Shipped);

        Refused(AlreadyShipped, order.Order, () => order.Order.Ship("ship-2", Carrier, TrackingNumber, Later(order)));
    }

    [Fact]
    public void ShippingAgainWithTheSameShipmentButAnotherTrackingNumber_IsRefusedAsAlreadyShipped()
    {
        var order = In(Stage.Shipped);

        Refused(AlreadyShipped, order.Order, () => order.Order.Ship(ShipmentId, Carrier, "TRK-2", Later(order)));
    }

    [Fact]
    public void DeliveringAgainTheSameShipment_IsAReplay()
    {
        var order = In(Stage.Delivered);

        Replayed(order.Order, () => order.Order.Deliver(ShipmentId, Later(order)));
    }

    [Fact]
    public void DeliveringAnotherShipment_IsRefusedAsAShipmentMismatch()
    {
        var order = In(Stage.Shipped);

        Refused(ShipmentMismatch, order.Order, () => order.Order.Deliver("ship-2", Later(order)));
    }

    [Fact]
    public void RecordingTheSameCashAgain_IsAReplay()
    {
        var order = In(Stage.DeliveredCashCollected, OrderType.CashOnDelivery);

        Replayed(order.Order, () => order.Order.RecordCashCollected(CashPaymentId, order.Order.Total, Later(order)));
    }

    [Fact]
    public void RecordingOtherCash_IsRefusedAsAlreadyPaid()
    {
        var order = In(Stage.DeliveredCashCollected, OrderType.CashOnDelivery);

        Refused(AlreadyPaid, order.Order, () => order.Order.RecordCashCollected("cash-2", order.Order.Total, Later(order)));
    }

    [Fact]
    public void RequestingTheSameRefundAgain_IsAReplay()
    {
        var order = In(Stage.Delivered).RequestRefund(Usd(1000));

        Replayed(order.Order, () => order.Order.RequestRefund(RefundId, Usd(1000), "asked twice", Later(order)));
    }

    [Fact]
    public void RequestingTheSameRefundIdForAnotherAmount_IsRefusedAsARefundConflict()
    {
        var order = In(Stage.Delivered).RequestRefund(Usd(1000));

        Refused(RefundConflict, order.Order, () => order.Order.RequestRefund(RefundId, Usd(2000), "asked again", Later(order)));
    }

    [Fact]
    public void RequestingACompletedRefundAgain_IsAReplay()
    {
        var order = In(Stage.Delivered).RequestRefund(Usd(1000)).RecordRefund();

        Replayed(order.Order, () => order.Order.RequestRefund(RefundId, Usd(1000), "asked again", Later(order)));
    }

    [Fact]
    public void RecordingTheSameRefundAgain_IsAReplay()
    {
        var order = In(Stage.Delivered).RequestRefund(Usd(1000)).RecordRefund();

        Replayed(order.Order, () => order.Order.RecordRefund(RefundId, Later(order)));
    }

    [Fact]
    public void CancellingACancelledOrder_IsAReplay()
    {
        var order = In(Stage.Cancelled);

        Replayed(order.Order, () => order.Order.Cancel("retried", Later(order)));
    }

    [Fact]
    public void ClosingAClosedOrder_IsAReplay()
    {
        var order = In(Stage.Closed);

        Replayed(order.Order, () => order.Order.Close(Later(order)));
    }

    [Fact]
    public void ChangingTheAddressToTheAddressItHas_IsAReplay()
    {
        var order = In(Stage.Paid);

        Replayed(order.Order, () => order.Order.ChangeShippingAddress(Home, Later(order)));
    }

    [Fact]
    public void SplittingASplitOrder_IsAReplayThatCreatesNoChildren()
    {
        var order = In(Stage.Split);
        SplitOutcome? again = null;

        Replayed(order.Order, () =>
        {
            var result = order.Order.Split(Later(order));
            again = result.Value;
            return result.Rejection;
        });
        Assert.NotNull(again);
        Assert.Empty(again.Children);
        Assert.Same(order.Order, again.Parent);
    }
}
