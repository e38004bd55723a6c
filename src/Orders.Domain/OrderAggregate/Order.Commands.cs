using Orders.Domain.Common;
using Orders.Domain.Events;
using Orders.Domain.Policies;
using Orders.Domain.ValueObjects;
using static Orders.Domain.OrderAggregate.OrderRejections;

namespace Orders.Domain.OrderAggregate;

/// <summary>
/// The commands. Each either records exactly one new fact, returns null without recording anything when it is an
/// exact replay of a fact already recorded (same reservation, payment, shipment or refund id), or returns a
/// rejection and changes nothing. Never a silent no-op on a different request.
/// </summary>
public sealed partial class Order
{
    /// <summary>CREATED → CONFIRMED: stock reserved, and payment authorised (prepaid) or COD accepted.</summary>
    public Rejection? Confirm(string reservationId, string? paymentAuthorizationId, CommandContext context)
    {
        Guard.Text(reservationId, "reservationId", 200);
        if (Status != OrderStatus.Created)
        {
            if (ReservationId is not null)
                return ReservationId == reservationId && PaymentAuthorizationId == paymentAuthorizationId
                    ? null
                    : Of(Codes.AlreadyConfirmed, $"The order was confirmed with reservation {ReservationId}.");
            return InStatus(Codes.NotConfirmable, "confirmed", Status);
        }
        if (Type == OrderType.Prepaid && string.IsNullOrWhiteSpace(paymentAuthorizationId))
            return Of(Codes.NotConfirmable, "A prepaid order is confirmed only once its payment is authorised.");
        if (Type == OrderType.CashOnDelivery && paymentAuthorizationId is not null)
            return Of(Codes.NotConfirmable, "A cash-on-delivery order has no payment authorisation.");
        Transition(new OrderConfirmed(Id, reservationId, paymentAuthorizationId), OrderStatus.Confirmed,
            Type == OrderType.CashOnDelivery ? "stock reserved, cash on delivery accepted" : "stock reserved, payment authorised", context);
        return null;
    }

    /// <summary>CREATED/CONFIRMED → CANCELLED. Cancelling a cancelled order is a replay and changes nothing.</summary>
    public Rejection? Cancel(string reason, CommandContext context)
    {
        Guard.Text(reason, "reason", 500);
        if (Status == OrderStatus.Cancelled) return null;
        if (CancellationPolicy.Check(this) is { } refused) return refused;
        Transition(new OrderCancelled(Id, reason), OrderStatus.Cancelled, $"cancelled: {reason}", context);
        return null;
    }

    /// <summary>CONFIRMED → PAID: the payments domain captured exactly the order's total.</summary>
    public Rejection? MarkPaid(string paymentId, Money amount, CommandContext context, DateTimeOffset? capturedAt = null)
    {
        Guard.Text(paymentId, "paymentId", 200);
        if (Payment is not null)
            return Payment.PaymentId == paymentId && Payment.Amount == amount
                ? null
                : Of(Codes.AlreadyPaid, $"The order was already paid by {Payment.PaymentId}.");
        if (Type == OrderType.CashOnDelivery)
            return Of(Codes.NotPayable, "A cash-on-delivery order is paid at the door, recorded with the delivery.");
        if (Status != OrderStatus.Confirmed) return InStatus(Codes.NotPayable, "paid", Status);
        if (amount != Total) return Of(Codes.PaymentMismatch, $"The payment is {amount}; the order's total is {Total}.");
        Transition(new OrderPaid(Id, paymentId, amount, capturedAt?.ToUniversalTime()), OrderStatus.Paid, $"payment {paymentId} captured", context);
        return null;
    }

    /// <summary>PAID → SHIPPED (prepaid), CONFIRMED → SHIPPED (cash on delivery).</summary>
    public Rejection? Ship(string shipmentId, string carrier, string trackingNumber, CommandContext context)
    {
        Guard.Text(shipmentId, "shipmentId", 200);
        Guard.Text(carrier, "carrier", 100);
        Guard.Text(trackingNumber, "trackingNumber", 100);
        if (Shipment is { AwaitsReplacement: true } lost && Status == OrderStatus.Shipped)
        {
            // The replacement an operator chose for a parcel lost in transit (decision 0016): a new shipment, same order.
            Note(new OrderShipped(Id, shipmentId, carrier, trackingNumber, Replaces: lost.ShipmentId),
                $"replacement for lost shipment {lost.ShipmentId} shipped with {carrier} ({trackingNumber})", context);
            return null;
        }
        if (Shipment is not null)
            return Shipment.ShipmentId == shipmentId && Shipment.Carrier == carrier && Shipment.TrackingNumber == trackingNumber
                ? null
                : Of(Codes.AlreadyShipped, $"The order already shipped as {Shipment.ShipmentId}.");
        if (FulfillmentPolicy.CheckShip(this) is { } refused) return refused;
        Transition(new OrderShipped(Id, shipmentId, carrier, trackingNumber), OrderStatus.Shipped,
            $"shipped with {carrier} ({trackingNumber})", context);
        return null;
    }

    /// <summary>SHIPPED → DELIVERED: the carrier delivered this order's shipment.</summary>
    public Rejection? Deliver(string shipmentId, CommandContext context)
    {
        Guard.Text(shipmentId, "shipmentId", 200);
        if (Shipment is null) return InStatus(Codes.NotDeliverable, "delivered", Status);
        if (Shipment.ShipmentId != shipmentId)
            return Of(Codes.ShipmentMismatch, $"This order shipped as {Shipment.ShipmentId}, not {shipmentId}.");
        if (Shipment.DeliveredAt is not null) return null;
        if (Status != OrderStatus.Shipped) return InStatus(Codes.NotDeliverable, "delivered", Status);
        Transition(new OrderDelivered(Id, shipmentId), OrderStatus.Delivered, "delivered", context);
        return null;
    }

    /// <summary>
    /// Records the cash collected at the door of a cash-on-delivery order as its payment (while SHIPPED or
    /// DELIVERED: the courier's report may arrive before or after the delivery event). No status change.
    /// </summary>
    public Rejection? RecordCashCollected(string paymentId, Money amount, CommandContext context, DateTimeOffset? collectedAt = null)
    {
        Guard.Text(paymentId, "paymentId", 200);
        if (Type != OrderType.CashOnDelivery) return Of(Codes.NotCashOnDelivery, "Only cash-on-delivery orders collect cash.");
        if (Payment is not null)
            return Payment.PaymentId == paymentId && Payment.Amount == amount
                ? null
                : Of(Codes.AlreadyPaid, $"The cash was already recorded as {Payment.PaymentId}.");
        if (Status is not (OrderStatus.Shipped or OrderStatus.Delivered))
            return InStatus(Codes.NotPayable, "paid in cash", Status);
        if (amount != Total) return Of(Codes.PaymentMismatch, $"The cash collected is {amount}; the order's total is {Total}.");
        Note(new CashOnDeliveryCollected(Id, paymentId, amount, collectedAt?.ToUniversalTime()), $"cash {amount} collected on delivery", context);
        return null;
    }

    /// <summary>Asks for money back (the refund saga then reverses the payment). No status change yet.</summary>
    public Rejection? RequestRefund(string refundId, Money amount, string reason, CommandContext context)
    {
        Guard.Text(refundId, "refundId", 200);
        Guard.Text(reason, "reason", 500);
        ArgumentNullException.ThrowIfNull(context);
        if (_refunds.Find(r => r.RefundId == refundId) is { } existing)
            return existing.Amount == amount
                ? null
                : Of(Codes.RefundConflict, $"Refund {refundId} was requested for {existing.Amount}.");
        if (RefundEligibilityPolicy.Check(this, amount, context.At) is { } refused) return refused;
        Note(new RefundRequested(Id, refundId, amount, reason), $"refund of {amount} requested: {reason}", context);
        return null;
    }

    /// <summary>
    /// The payments domain reversed a requested refund. When everything paid has been returned the order is
    /// REFUNDED (from PAID or DELIVERED); a partial refund changes no status.
    /// </summary>
    public Rejection? RecordRefund(string refundId, CommandContext context)
    {
        Guard.Text(refundId, "refundId", 200);
        var refund = _refunds.Find(r => r.RefundId == refundId);
        if (refund is null) return Of(Codes.RefundUnknown, $"No refund {refundId} was requested for this order.");
        if (refund.IsCompleted) return null;

        CompleteRefund(refund, settlementReference: null, note: null, context);
        return null;
    }

    private void CompleteRefund(OrderRefund refund, string? settlementReference, string? note, CommandContext context)
    {
        var total = AmountRefunded + refund.Amount;
        var full = total == AmountPaid;
        var @event = new OrderRefunded(Id, refund.RefundId, refund.Amount, total, full, settlementReference);
        var how = settlementReference is null ? "" : $" (settled manually, {settlementReference}: {note})";
        // SHIPPED → REFUNDED only for a parcel lost in transit (a full refund is otherwise refused while SHIPPED).
        var mayRefund = OrderStateMachine.IsAllowed(Status, OrderStatus.Refunded) && (Status != OrderStatus.Shipped || Shipment?.IsLost == true);
        if (full && mayRefund)
            Transition(@event, OrderStatus.Refunded, $"refunded in full ({total}){how}", context);
        else if (full && Status == OrderStatus.Cancelled)
            Note(@event, $"captured payment returned in full ({total}){how}", context);
        else
            Note(@event, $"partial refund of {refund.Amount} completed ({total} of {AmountPaid} refunded){how}", context);
    }

    /// <summary>DELIVERED/REFUNDED → CLOSED: the contract is done. Closing a closed order changes nothing.</summary>
    public Rejection? Close(CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Status == OrderStatus.Closed) return null;
        if (ClosurePolicy.Check(this, context.At) is { } refused) return refused;
        Transition(new OrderClosed(Id), OrderStatus.Closed, Status == OrderStatus.Refunded ? "closed after refund" : "closed after the return window", context);
        return null;
    }

    /// <summary>Changes where the order ships, before it ships. The same address again changes nothing.</summary>
    public Rejection? ChangeShippingAddress(ShippingAddress address, CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (ModificationPolicy.Check(this, OrderField.ShippingAddress) is { } refused) return refused;
        if (address == ShippingAddress) return null;
        Note(new ShippingAddressChanged(Id, address), "shipping address changed", context);
        return null;
    }
}
