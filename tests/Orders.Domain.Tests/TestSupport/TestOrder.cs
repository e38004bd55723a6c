using System.Globalization;
using Orders.Domain.Common;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;
using static Orders.Domain.Tests.TestSupport.TestOrders;

namespace Orders.Domain.Tests.TestSupport;

/// <summary>
/// An order and its test clock. Every driver step moves the clock by <see cref="TestOrders.Step"/>, runs one legal
/// command with a fresh causation id and asserts it was accepted, so a test starts from a state it can trust.
/// </summary>
public sealed class TestOrder(Order order, DateTimeOffset now)
{
    private int _commands;

    public Order Order { get; } = order;

    /// <summary>The time of the last command the driver ran.</summary>
    public DateTimeOffset Now { get; private set; } = now;

    public DateTimeOffset DeliveredAt => Order.DeliveredAt ?? throw new InvalidOperationException("Not delivered.");

    public TestOrder Advance(TimeSpan by)
    {
        Now += by;
        return this;
    }

    /// <summary>A context one step after the last command, with a causation id never used before.</summary>
    public CommandContext Next(Actor? actor = null)
    {
        Now += Step;
        _commands++;
        return Context(Now, "cmd-" + _commands.ToString(CultureInfo.InvariantCulture), actor);
    }

    public TestOrder Confirm() => Accepted(Order.Confirm(ReservationId,
        Order.Type == OrderType.Prepaid ? AuthorizationId : null, Next(Actor.System("checkout-saga"))));

    public TestOrder Pay() => Accepted(Order.MarkPaid(PaymentId, Order.Total, Next(Actor.System("payments"))));

    public TestOrder Ship() => Accepted(Order.Ship(ShipmentId, Carrier, TrackingNumber, Next(Actor.System("fulfillment-saga"))));

    public TestOrder Deliver() => Accepted(Order.Deliver(ShipmentId, Next(Actor.System("carrier"))));

    public TestOrder CollectCash() => Accepted(Order.RecordCashCollected(CashPaymentId, Order.Total, Next(Actor.System("courier"))));

    public TestOrder RequestRefund(Money amount, string refundId = RefundId) =>
        Accepted(Order.RequestRefund(refundId, amount, "changed my mind", Next(Actor.Buyer(Order.BuyerId))));

    public TestOrder RequestFullRefund(string refundId = RefundId) => RequestRefund(Order.RefundableAmount, refundId);

    public TestOrder RecordRefund(string refundId = RefundId) => Accepted(Order.RecordRefund(refundId, Next(Actor.System("refund-saga"))));

    public TestOrder CloseAfterReturnWindow()
    {
        if (Order.DeliveredAt is { } delivered && Now < delivered + Order.ReturnWindow)
            Now = delivered + Order.ReturnWindow;
        return Accepted(Order.Close(Next(Actor.System("close-order-job"))));
    }

    public TestOrder Cancel() => Accepted(Order.Cancel("buyer changed their mind", Next(Actor.Buyer(Order.BuyerId))));

    public SplitOutcome Split()
    {
        var result = Order.Split(Next(Actor.System("checkout-saga")));
        Assert.True(result.IsSuccess, $"Split was rejected: {result.Rejection}");
        return result.Value!;
    }

    /// <summary>Walks the order from CREATED into <paramref name="stage"/> through legal commands.</summary>
    public TestOrder DriveTo(Stage stage)
    {
        if (Order.Status != OrderStatus.Created)
            throw new InvalidOperationException("The driver starts from a CREATED order.");
        var cod = Order.Type == OrderType.CashOnDelivery;
        switch (stage)
        {
            case Stage.Created:
                return this;
            case Stage.Confirmed:
                return Confirm();
            case Stage.Paid when !cod:
                return Confirm().Pay();
            case Stage.PaidRefundPending when !cod:
                return Confirm().Pay().RequestFullRefund();
            case Stage.Shipped:
                return cod ? Confirm().Ship() : Confirm().Pay().Ship();
            case Stage.Delivered:
                return DriveTo(Stage.Shipped).Deliver();
            case Stage.DeliveredCashCollected when cod:
                return DriveTo(Stage.Delivered).CollectCash();
            case Stage.DeliveredRefundPending:
                return (cod ? DriveTo(Stage.DeliveredCashCollected) : DriveTo(Stage.Delivered)).RequestFullRefund();
            case Stage.Closed:
                return (cod ? DriveTo(Stage.DeliveredCashCollected) : DriveTo(Stage.Delivered)).CloseAfterReturnWindow();
            case Stage.Cancelled:
                return Cancel();
            case Stage.Refunded:
                return (cod ? DriveTo(Stage.DeliveredRefundPending) : DriveTo(Stage.PaidRefundPending)).RecordRefund();
            case Stage.Split:
                Split();
                return this;
            default:
                throw new ArgumentOutOfRangeException(nameof(stage), stage, $"{Order.Type} orders never reach {stage}.");
        }
    }

    private TestOrder Accepted(Rejection? rejection)
    {
        Assert.Null(rejection);
        return this;
    }
}
