using Orders.Application.Integration;
using Orders.Application.Ports.Outbound;
using Orders.Application.Views;
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

/// <summary>
/// What of an order's state decides which sagas it waits on: taken from the loaded order, or from the state document
/// its last save stored (<see cref="IOrderStore.ReadStateAsync"/>, a point read: no history to load and verify).
/// </summary>
internal sealed record SagaSubject(OrderId Id, OrderStatus Status, OrderType Type, bool Paid, IReadOnlyList<OrderRefund> Refunds,
    string? LostResolution, DateTimeOffset PaymentDueBy)
{
    public static SagaSubject Of(Order order) =>
        new(order.Id, order.Status, order.Type, order.Payment is not null, order.Refunds, order.Shipment?.LostResolution, order.PaymentDueBy);

    public static SagaSubject Of(OrderView state) =>
        new(state.OrderId, state.Status, state.Type, state.Payment is not null, state.Refunds ?? [], state.Shipment?.LostResolution, state.PaymentDueBy);
}

/// <summary>Which sagas an order waits on in its current state (shared by stuck detection and reconcile, so they agree).</summary>
internal static class SagaExpectations
{
    /// <summary>The sagas <paramref name="order"/> waits on, each since when (its entry into its status, or the refund's request).</summary>
    public static IReadOnlyList<ExpectedSaga> For(Order order)
    {
        var since = EnteredStatusAt(order);
        return [.. Awaited(SagaSubject.Of(order)).Select(a => new ExpectedSaga(a.Saga, a.InstanceId, a.Refund?.RefundId, Restartable: true,
            a.Refund?.RequestedAt ?? since, a.CompletionExpected))];
    }

    /// <summary>
    /// Whether the order waits on <paramref name="instanceId"/> of <paramref name="saga"/>, starting it again being what
    /// carries it on: the same rule as <see cref="For"/>, which needs no history to answer (the saga-start reaction asks it
    /// of the stored state).
    /// </summary>
    public static bool Awaits(SagaSubject order, string saga, string instanceId) =>
        Awaited(order).Any(a => a.Saga == saga && string.Equals(a.InstanceId, instanceId, StringComparison.Ordinal));

    // Every saga awaited is restartable: a fresh start carries the order on (ExpectedSaga.Restartable).
    private static IEnumerable<(string Saga, string InstanceId, OrderRefund? Refund, bool CompletionExpected)> Awaited(SagaSubject order)
    {
        var fulfillment = SagaNames.FulfillmentId(order.Id);
        switch (order.Status)
        {
            case OrderStatus.Created:
                yield return (SagaNames.Checkout, SagaNames.CheckoutId(order.Id), null, false);
                break;
            case OrderStatus.Confirmed when order.Type == OrderType.CashOnDelivery:
                yield return (SagaNames.Fulfillment, fulfillment, null, false);
                break;
            // Waiting for the capture: a restarted checkout asks the payments domain again (same idempotency key).
            case OrderStatus.Confirmed when !order.Paid:
                yield return (SagaNames.Checkout, SagaNames.CheckoutId(order.Id), null, true);
                break;
            // Also with a refund pending: the parcel may not ship yet (FulfillmentPolicy), so the fulfillment holds it
            // until the refund settles, then ships it (a partial refund) or cancels it (in full). Decision 0036: a
            // fulfillment started again after a crash of the local host, which loses its sagas, takes up the hold with
            // the same keys, so a parcel prepared before the crash is never left behind for a refunded order.
            case OrderStatus.Paid:
                yield return (SagaNames.Fulfillment, fulfillment, null, false);
                break;
            // A restarted fulfillment resumes a parcel in transit: it asks the carrier again and waits for the outcome
            // (or ships the replacement an operator chose for a lost one). A lost parcel being refunded waits on its refund.
            case OrderStatus.Shipped when order.LostResolution != OrderShipment.ResolvedByRefund:
                yield return (SagaNames.Fulfillment, fulfillment, null, false);
                break;
        }
        // A cancelled order may still owe money back: a payment captured that it never took, being returned.
        if (!OrderStateMachine.IsTerminal(order.Status) || order.Status == OrderStatus.Cancelled)
        {
            foreach (var refund in order.Refunds.Where(r => !r.IsCompleted))
                yield return (SagaNames.Refund, SagaNames.RefundId(order.Id, refund.RefundId), refund, false);
        }
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
