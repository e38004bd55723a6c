using Orders.Application.Integration;
using Orders.Application.Ports.Outbound;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;

namespace Orders.Application.Jobs;

/// <summary>A saga the order's state waits on: which instance, since when, and whether starting it again would help.</summary>
/// <param name="RefundId">For a refund saga, the refund it completes.</param>
/// <param name="Restartable">
/// True when a fresh start would carry the order on. False for fulfillment of a SHIPPED order: the saga begins at a
/// shippable state and would skip, so the parcel in transit has to be followed up by a person.
/// </param>
internal sealed record ExpectedSaga(string Saga, string InstanceId, string? RefundId, bool Restartable, DateTimeOffset ExpectedSince);

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
            // With a refund pending it may not ship (FulfillmentPolicy): the refund saga is what it waits on.
            case OrderStatus.Paid when !order.PendingRefunds.Any():
                expected.Add(new(SagaNames.Fulfillment, fulfillment, null, Restartable: true, since));
                break;
            case OrderStatus.Shipped:
                expected.Add(new(SagaNames.Fulfillment, fulfillment, null, Restartable: false, since));
                break;
        }
        if (!order.IsTerminal)
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
            "Completed" => (SagaState.Ended, instance),
            _ => (SagaState.Alive, instance),
        };
    }

    /// <summary>When the order entered its current status (notes such as an address change do not restart the clock).</summary>
    public static DateTimeOffset EnteredStatusAt(Order order) =>
        order.History.Last(e => e.To == order.Status && e.From != e.To).At;
}
