using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;

namespace Orders.Application.Access;

/// <summary>What each kind of caller may see and do.</summary>
public static class OrderAccess
{
    /// <summary>A buyer sees their own orders, a seller the orders with their items, operators and the system all.</summary>
    public static bool CanSee(Caller caller, Order order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return CanSee(caller, order.BuyerId, order.Items.Select(i => i.SellerId));
    }

    /// <summary>The same rule for a view of an order (a read model answers without a caller).</summary>
    public static bool CanSee(Caller caller, BuyerId buyer, IEnumerable<SellerId> sellers)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(buyer);
        ArgumentNullException.ThrowIfNull(sellers);
        return caller.Kind switch
        {
            ActorKind.Buyer => buyer.Value == caller.Id,
            ActorKind.Seller => sellers.Any(s => s.Value == caller.Id),
            ActorKind.Operator or ActorKind.System => true,
            _ => false,
        };
    }

    /// <summary>Which kinds of caller may issue each command (on an order they can see).</summary>
    public static bool MayIssue(Caller caller, OrderCommand command)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.Kind switch
        {
            ActorKind.Operator or ActorKind.System => true,
            ActorKind.Buyer => command is OrderCommand.Create or OrderCommand.Cancel or OrderCommand.Split
                or OrderCommand.RequestRefund or OrderCommand.ChangeShippingAddress,
            ActorKind.Seller => command is OrderCommand.Cancel or OrderCommand.Ship or OrderCommand.RequestRefund,
            _ => false,
        };
    }
}

public enum OrderCommand
{
    Create,
    Confirm,
    Cancel,
    Split,
    MarkPaid,
    Ship,
    Deliver,
    RecordCashCollected,
    RequestRefund,
    RecordRefund,
    Close,
    ChangeShippingAddress,

    // Operator resolutions (decision 0016): operators (and the system) only.
    RetrySaga,
    ResolveLostParcel,
    SettleRefund,
    CancelStuckCheckout,
    AcknowledgeStuck,
    ReturnLateCapture,
}
