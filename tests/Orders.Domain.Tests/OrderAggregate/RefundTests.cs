using CsCheck;
using Orders.Domain.Events;
using Orders.Domain.Tests.TestSupport;
using Orders.Domain.ValueObjects;
using static Orders.Domain.OrderAggregate.OrderRejections.Codes;
using static Orders.Domain.Tests.TestSupport.OrderAssert;
using static Orders.Domain.Tests.TestSupport.TestOrders;

namespace Orders.Domain.Tests.OrderAggregate;

/// <summary>The default order's total is 59.99 USD.</summary>
public sealed class RefundTests
{
    [Fact]
    public void APartialRefund_IsRecordedWithoutChangingTheStatus()
    {
        var order = In(Stage.Delivered).RequestRefund(Usd(1_000));

        var refunded = Recorded<OrderRefunded>(order.Order, () => order.Order.RecordRefund(RefundId, order.Next()));

        Assert.Equal(OrderStatus.Delivered, order.Order.Status);
        Assert.False(refunded.Full);
        Assert.Equal(Usd(1_000), refunded.TotalRefunded);
        Assert.Equal(Usd(1_000), order.Order.AmountRefunded);
    }

    [Fact]
    public void AFullRefundAfterDelivery_RefundsTheOrder()
    {
        var order = In(Stage.Delivered).RequestFullRefund();

        var refunded = Recorded<OrderRefunded>(order.Order, () => order.Order.RecordRefund(RefundId, order.Next()));

        Assert.Equal(OrderStatus.Refunded, order.Order.Status);
        Assert.True(refunded.Full);
        Assert.Equal(Usd(TotalMinor), order.Order.AmountRefunded);
    }

    [Fact]
    public void AFullRefundBeforeShipment_RefundsThePaidOrder()
    {
        var order = In(Stage.Paid).RequestFullRefund().RecordRefund();

        Assert.Equal(OrderStatus.Refunded, order.Order.Status);
        Assert.Equal((OrderStatus.Paid, OrderStatus.Refunded), (order.Order.History[^1].From!.Value, order.Order.History[^1].To));
    }

    [Fact]
    public void PartialRefundsThatAddUpToEverythingPaid_RefundTheOrderOnTheLastOne()
    {
        var order = In(Stage.Delivered).RequestRefund(Usd(2_000), "refund-a").RequestRefund(Usd(3_999), "refund-b");

        order.RecordRefund("refund-a");
        Assert.Equal(OrderStatus.Delivered, order.Order.Status);
        order.RecordRefund("refund-b");

        Assert.Equal(OrderStatus.Refunded, order.Order.Status);
    }

    [Fact]
    public void ARefundAboveWhatWasPaid_IsRefused()
    {
        var order = In(Stage.Delivered);

        Refused(RefundExceedsPaid, order.Order, () => order.Order.RequestRefund("refund-1", Usd(TotalMinor + 1), "too much", order.Next()));
    }

    [Fact]
    public void PendingRequests_CountAgainstWhatMayStillBeRefunded()
    {
        var order = In(Stage.Delivered).RequestRefund(Usd(5_000), "refund-a");

        Refused(RefundExceedsPaid, order.Order, () => order.Order.RequestRefund("refund-b", Usd(1_000), "again", order.Next()));
        Assert.Equal(Usd(999), order.Order.RefundableAmount);
        order.RequestRefund(Usd(999), "refund-b");
        Assert.Equal(Usd(0), order.Order.RefundableAmount);
    }

    [Fact]
    public void TheRefundsOfAnOrder_NeverExceedWhatWasPaid()
    {
        Gen.Select(Gen.Long[1, TotalMinor], Gen.Bool).Array[1, 8].Sample(requests =>
        {
            var order = In(Stage.Delivered);
            var i = 0;
            foreach (var (minor, record) in requests)
            {
                var id = $"refund-{i++}";
                if (order.Order.RequestRefund(id, Usd(minor), "property", order.Next()) is null && record)
                    Assert.Null(order.Order.RecordRefund(id, order.Next()));
                var requested = Money.Sum(order.Order.Refunds.Select(r => r.Amount), Currency.USD);
                Assert.True(requested <= order.Order.AmountPaid);
                Assert.True(order.Order.AmountRefunded <= order.Order.AmountPaid);
            }
        }, iter: 300);
    }

    [Fact]
    public void ARefundInAnotherCurrency_IsRefused()
    {
        var order = In(Stage.Delivered);

        Refused(CurrencyMismatch, order.Order, () => order.Order.RequestRefund("refund-1", Money.Of(100, Currency.EUR), "wrong money", order.Next()));
    }

    [Fact]
    public void ARefundOfNothing_IsRefused()
    {
        var order = In(Stage.Delivered);

        Refused(NotRefundable, order.Order, () => order.Order.RequestRefund("refund-1", Usd(0), "nothing", order.Next()));
    }

    [Fact]
    public void ARefundAfterTheReturnWindow_IsRefused()
    {
        var order = In(Stage.Delivered);
        var justAfter = Context(order.DeliveredAt + ReturnWindow + TimeSpan.FromTicks(1), "late-refund");

        Refused(ReturnWindowClosed, order.Order, () => order.Order.RequestRefund("refund-1", Usd(100), "too late", justAfter));
    }

    [Fact]
    public void ARefundAtTheLastInstantOfTheReturnWindow_IsAccepted()
    {
        var order = In(Stage.Delivered);
        var lastInstant = Context(order.DeliveredAt + ReturnWindow, "last-minute-refund");

        Recorded<RefundRequested>(order.Order, () => order.Order.RequestRefund("refund-1", Usd(100), "just in time", lastInstant));
    }

    [Fact]
    public void AFullRefundWhileTheGoodsAreOnTheirWay_IsRefused()
    {
        var order = In(Stage.Shipped);

        Refused(RefundInTransit, order.Order, () => order.Order.RequestRefund("refund-1", order.Order.Total, "changed my mind", order.Next()));
    }

    [Fact]
    public void ARequestForTheRestWhileTheGoodsAreOnTheirWay_IsRefusedAsAFullRefund()
    {
        var order = In(Stage.Shipped).RequestRefund(Usd(1_000));

        Refused(RefundInTransit, order.Order, () => order.Order.RequestRefund("refund-2", order.Order.RefundableAmount, "the rest", order.Next()));
    }

    [Fact]
    public void APartialRefundWhileTheGoodsAreOnTheirWay_IsAccepted()
    {
        var order = In(Stage.Shipped);

        Recorded<RefundRequested>(order.Order, () => order.Order.RequestRefund("refund-1", Usd(1_000), "one item missing", order.Next()));
        Assert.Equal(OrderStatus.Shipped, order.Order.Status);
    }

    [Fact]
    public void ACashOnDeliveryOrder_IsNotRefundableBeforeTheCashIsRecorded()
    {
        var order = In(Stage.Delivered, OrderType.CashOnDelivery);

        Refused(NotRefundable, order.Order, () => order.Order.RequestRefund("refund-1", Usd(100), "broken", order.Next()));
    }

    [Fact]
    public void ACashOnDeliveryOrder_IsRefundableOnceTheCashIsRecorded()
    {
        var order = In(Stage.DeliveredCashCollected, OrderType.CashOnDelivery);

        Recorded<RefundRequested>(order.Order, () => order.Order.RequestRefund("refund-1", order.Order.Total, "broken", order.Next()));
        order.RecordRefund("refund-1");
        Assert.Equal(OrderStatus.Refunded, order.Order.Status);
    }

    [Fact]
    public void RecordingARefundNeverRequested_IsRefused()
    {
        var order = In(Stage.Delivered);

        Refused(RefundUnknown, order.Order, () => order.Order.RecordRefund("refund-9", order.Next()));
    }

    [Fact]
    public void ShippingWhileARefundIsPending_IsRefused_AndAllowedOnceItCompletes()
    {
        var order = In(Stage.Paid).RequestRefund(Usd(1_000));

        Refused(RefundPending, order.Order, () => order.Order.Ship("ship-1", Carrier, TrackingNumber, order.Next()));
        order.RecordRefund().Ship();
        Assert.Equal(OrderStatus.Shipped, order.Order.Status);
    }
}
