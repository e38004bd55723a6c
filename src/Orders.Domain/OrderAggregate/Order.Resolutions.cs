using Orders.Domain.Common;
using Orders.Domain.Events;
using Orders.Domain.ValueObjects;
using static Orders.Domain.OrderAggregate.OrderRejections;

namespace Orders.Domain.OrderAggregate;

/// <summary>
/// What an operator may do about an order the system escalated (decision 0016). Each is an ordinary command: it
/// records one fact with the operator as actor and their note, is an exact replay or is refused, and leaves the
/// doing (re-sending requests, reversing payments, shipping) to the sagas.
/// </summary>
public sealed partial class Order
{
    /// <summary>Records that an operator retried a saga (the application restarts it). No status change.</summary>
    public Rejection? RecordSagaRetry(string sagaInstanceId, string note, CommandContext context)
    {
        Guard.Text(sagaInstanceId, "saga", 200);
        Guard.Text(note, "reason", 500);
        Note(new OperatorResolution(Id, OperatorResolution.Actions.RetrySaga, sagaInstanceId, note), $"operator retried {sagaInstanceId}: {note}", context);
        return null;
    }

    /// <summary>Records that an operator saw a stuck flag and why it may stay (any status, terminal ones too).</summary>
    public Rejection? AcknowledgeStuck(string stuckReason, string note, CommandContext context)
    {
        Guard.Text(stuckReason, "stuckReason", 100);
        Guard.Text(note, "note", 500);
        Note(new OperatorResolution(Id, OperatorResolution.Actions.AcknowledgeStuck, stuckReason, note), $"operator acknowledged {stuckReason}: {note}", context);
        return null;
    }

    /// <summary>
    /// A parcel lost in transit, made good with a full refund of what may still be refunded: the shipment is recorded
    /// as lost and the refund requested in one fact; when the refund saga completes it the order is REFUNDED
    /// (SHIPPED → REFUNDED, decision 0016).
    /// </summary>
    public Rejection? RefundLostParcel(string shipmentId, string refundId, string note, CommandContext context)
    {
        Guard.Text(refundId, "refundId", 200);
        Guard.Text(note, "reason", 500);
        if (_refunds.Find(r => r.RefundId == refundId) is { } existing)
            return Shipment?.ShipmentId == shipmentId && Shipment.LostResolution == OrderShipment.ResolvedByRefund
                ? null
                : Of(Codes.RefundConflict, $"Refund {refundId} was requested for {existing.Amount} on other terms.");
        if (CheckLostParcel(shipmentId) is { } refused) return refused;
        if (Payment is null || RefundableAmount.IsZero)
            return Of(Codes.NothingToRefund, Payment is null
                ? "Nothing was paid for this order (cash on delivery is paid at the door): send a replacement instead."
                : "Everything paid has already been refunded or requested.");
        var amount = RefundableAmount;
        Note(new RefundRequested(Id, refundId, amount, note, LostShipmentId: shipmentId),
            $"shipment {shipmentId} lost in transit; refund of {amount} requested: {note}", context);
        return null;
    }

    /// <summary>A parcel lost in transit, made good with a replacement: a new shipment for the same order (the fulfillment saga ships it).</summary>
    public Rejection? ReplaceLostParcel(string shipmentId, string note, CommandContext context)
    {
        Guard.Text(note, "reason", 500);
        if (Shipment is { ShipmentId: var current, LostResolution: OrderShipment.ResolvedByReplacement } && current == shipmentId) return null;
        if (LostShipments.Any(s => s.ShipmentId == shipmentId)) return null; // replaced already: an exact replay
        if (CheckLostParcel(shipmentId) is { } refused) return refused;
        Note(new OperatorResolution(Id, OperatorResolution.Actions.ReplaceLostParcel, shipmentId, note),
            $"shipment {shipmentId} lost in transit; a replacement will ship: {note}", context);
        return null;
    }

    /// <summary>
    /// An operator settled a pending refund outside the payments domain (it refused or never answered) and records
    /// the settlement's reference. Completes the refund exactly as a reversal would (REFUNDED when everything paid is
    /// back); the refund saga then finishes the rest (stock, closing).
    /// </summary>
    public Rejection? SettleRefundManually(string refundId, string reference, string note, CommandContext context)
    {
        Guard.Text(refundId, "refundId", 200);
        Guard.Text(reference, "reference", 200);
        Guard.Text(note, "reason", 500);
        var refund = _refunds.Find(r => r.RefundId == refundId);
        if (refund is null) return Of(Codes.RefundUnknown, $"No refund {refundId} was requested for this order.");
        if (refund.IsCompleted)
        {
            var settled = _history.Select(h => h.Event).OfType<OrderRefunded>().FirstOrDefault(e => e.RefundId == refundId);
            return settled?.SettlementReference == reference
                ? null
                : Of(Codes.RefundConflict, $"Refund {refundId} was already completed{(settled?.SettlementReference is { } r ? $" (settled as {r})" : " by the payments domain")}.");
        }
        CompleteRefund(refund, reference, note, context);
        return null;
    }

    /// <summary>
    /// A payment the payments domain captured that the order never took before it was cancelled (captured after the
    /// cancellation, or before it while the order awaited its confirmation): the capture is recorded as the order's
    /// payment and a refund of all of it requested, in one fact (CANCELLED stays CANCELLED); the refund saga returns
    /// the money through the refund path.
    /// </summary>
    public Rejection? ReturnLateCapture(string paymentId, Money amount, string refundId, string note, CommandContext context)
    {
        Guard.Text(paymentId, "paymentId", 200);
        Guard.Text(refundId, "refundId", 200);
        Guard.Text(note, "reason", 500);
        if (Payment is not null)
            return Payment.PaymentId == paymentId && _refunds.Any(r => r.RefundId == refundId && r.Amount == amount)
                ? null
                : Of(Codes.AlreadyPaid, $"The order already records payment {Payment.PaymentId}.");
        if (Status != OrderStatus.Cancelled)
            return Of(Codes.CaptureNotLate, $"The order is {Status}: a capture is late only for a cancelled order.");
        if (amount.Currency != Currency)
            return Of(Codes.CurrencyMismatch, $"This order is in {Currency.Code}, not {amount.Currency.Code}.");
        if (amount.IsZero) return Of(Codes.NothingToRefund, "The capture was for nothing.");
        Note(new RefundRequested(Id, refundId, amount, note, CapturedPaymentId: paymentId),
            $"payment {paymentId} of {amount} captured for the cancelled order; refund requested: {note}", context);
        return null;
    }

    private Rejection? CheckLostParcel(string shipmentId)
    {
        Guard.Text(shipmentId, "shipmentId", 200);
        if (Status != OrderStatus.Shipped || Shipment is null)
            return Of(Codes.ParcelNotInTransit, $"The order is {Status}: only a parcel in transit (SHIPPED) can be declared lost.");
        if (Shipment.ShipmentId != shipmentId)
            return Of(Codes.ShipmentMismatch, $"The parcel in transit is {Shipment.ShipmentId}, not {shipmentId}.");
        if (Shipment.IsLost)
            return Of(Codes.ParcelAlreadyResolved, $"Shipment {shipmentId} was already declared lost ({Shipment.LostResolution}).");
        return null;
    }
}
