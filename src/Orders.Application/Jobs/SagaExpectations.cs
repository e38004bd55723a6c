using Orders.Application.Integration;
using Orders.Application.Ports.Outbound;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;

namespace Orders.Application.Jobs;

/// <summary>A saga the order's state waits on: which instance, since when, and whether starting it again would help.</summary>
/// <param name="RefundId">For a refund saga, the refund it completes.</param>
/// <param name="Restartable">True when a fresh start would carry the order on.</param>
/// <param name="CompletionExpected">
/// The saga has normally finished while the order waits in this state (a prepaid CONFIRMED order waits for the
/// payments domain's capture after its checkout completed): completed is fine, missing is not.
/// </param>
internal sealed record ExpectedSaga(string Saga, string InstanceId, string? RefundId, bool Restartable, DateTimeOffset ExpectedSince,
    bool CompletionExpected = false);

/// <summary>What an expected saga instance is doing, from its runtime status.</summary>
internal enum SagaState
{
    Missing,
    Alive,
    Ended,
    Failed,
}

/// <summary>Which sagas an order waits on in its current state (shared by stuck detection and reconcile, so they agree).</summary>
internal static class SagaExpectations
{
    public static IReadOnlyList<ExpectedSaga> For(Order order)
    {
        var expected = new List<ExpectedSaga>();
        var since = EnteredStatusAt(order);
        var fulfillment = SagaNames.FulfillmentId(order.Id);
        switch (order.Status)
        {
            case OrderStatus.Created:
                expected.Add(new(SagaNames.Checkout, SagaNames.CheckoutId(order.Id), null, Restartable: true, since));
                break;
            case OrderStatus.Confirmed when order.Type == OrderType.CashOnDelivery:
                expected.Add(new(SagaNames.Fulfillment, fulfillment, null, Restartable: true, since));
                break;
            // Waiting for the capture: a restarted checkout asks the payments domain again (same idempotency key).
            case OrderStatus.Confirmed when order.Payment is null:
                expected.Add(new(SagaNames.Checkout, SagaNames.CheckoutId(order.Id), null, Restartable: true, since, CompletionExpected: true));
                break;
            // With a refund pending it may not ship (FulfillmentPolicy): the refund saga is what it waits on.
            case OrderStatus.Paid when !order.PendingRefunds.Any():
                expected.Add(new(SagaNames.Fulfillment, fulfillment, null, Restartable: true, since));
                break;
            // A restarted fulfillment resumes a parcel in transit: it asks the carrier again and waits for the outcome
            // (or ships the replacement an operator chose for a lost one). A lost parcel being refunded waits on its refund.
            case OrderStatus.Shipped when order.Shipment?.LostResolution != OrderShipment.ResolvedByRefund:
                expected.Add(new(SagaNames.Fulfillment, fulfillment, null, Restartable: true, since));
                break;
        }
        // A cancelled order may still owe money back: a payment captured after the cancellation, being returned.
        if (!order.IsTerminal || order.Status == OrderStatus.Cancelled)
        {
            foreach (var refund in order.PendingRefunds)
                expected.Add(new(SagaNames.Refund, SagaNames.RefundId(order.Id, refund.RefundId), refund.RefundId, Restartable: true, refund.RequestedAt));
        }
        return expected;
    }

    public static (SagaState State, SagaProgress? Progress) StateOf(ExpectedSaga expected, IReadOnlyList<SagaProgress> progress)
    {
        var instance = progress.FirstOrDefault(p => string.Equals(p.InstanceId, expected.InstanceId, StringComparison.Ordinal));
        if (instance is null) return (SagaState.Missing, null);
        return instance.RuntimeStatus switch
        {
            "Failed" or "Terminated" => (SagaState.Failed, instance),
            "Completed" => (expected.CompletionExpected ? SagaState.Alive : SagaState.Ended, instance),
            _ => (SagaState.Alive, instance),
        };
    }

    /// <summary>When the order entered its current status (notes such as an address change do not restart the clock).</summary>
    public static DateTimeOffset EnteredStatusAt(Order order) =>
        order.History.Last(e => e.To == order.Status && e.From != e.To).At;
}
