using Orders.Domain.Events;
using Orders.Domain.Tests.TestSupport;
using Orders.Domain.ValueObjects;
using static Orders.Domain.OrderAggregate.OrderRejections.Codes;
using static Orders.Domain.Tests.TestSupport.OrderAssert;
using static Orders.Domain.Tests.TestSupport.TestOrders;

namespace Orders.Domain.Tests.OrderAggregate;

public sealed class CloseTests
{
    [Fact]
    public void ClosingBeforeTheReturnWindowEnds_IsRefused()
    {
        var order = In(Stage.Delivered);
        var justBefore = Context(order.DeliveredAt + ReturnWindow - TimeSpan.FromTicks(1), "close-early");

        Refused(ReturnWindowOpen, order.Order, () => order.Order.Close(justBefore));
    }

    [Fact]
    public void ClosingWhenTheReturnWindowEnds_ClosesTheOrder()
    {
        var order = In(Stage.Delivered);
        var windowEnd = Context(order.DeliveredAt + ReturnWindow, "close-on-time");

        Recorded<OrderClosed>(order.Order, () => order.Order.Close(windowEnd));
        Assert.Equal(OrderStatus.Closed, order.Order.Status);
    }

    [Fact]
    public void ClosingWhileARefundIsPending_IsRefused()
    {
        var order = In(Stage.Delivered).RequestRefund(Usd(1_000));
        var afterWindow = Context(order.DeliveredAt + ReturnWindow + TimeSpan.FromDays(1), "close");

        Refused(RefundPending, order.Order, () => order.Order.Close(afterWindow));
    }

    [Fact]
    public void ClosingACashOnDeliveryOrderWhoseCashWasNeverRecorded_IsRefused()
    {
        var order = In(Stage.Delivered, OrderType.CashOnDelivery);
        var afterWindow = Context(order.DeliveredAt + ReturnWindow + TimeSpan.FromDays(1), "close");

        Refused(CashNotCollected, order.Order, () => order.Order.Close(afterWindow));
    }

    [Fact]
    public void ARefundedOrder_ClosesAtOnce()
    {
        var order = In(Stage.Refunded);

        Recorded<OrderClosed>(order.Order, () => order.Order.Close(order.Next()));
        Assert.Equal("closed after refund", order.Order.History[^1].Reason);
    }

    [Fact]
    public void AShippedOrder_CannotClose()
    {
        var order = In(Stage.Shipped);

        Refused(NotClosable, order.Order, () => order.Order.Close(Context(order.Now.AddDays(60), "close")));
    }
}
