using Orders.Application.Integration;
using Orders.Application.Jobs;
using Orders.Application.Views;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;
using Orders.Testing.Scenarios;

namespace Orders.Application.Tests.Reactions;

/// <summary>
/// The saga-start reaction asks whether an order waits on a saga of its stored state (a point read), not of the order
/// rebuilt from its history: the two must give the same answer for every order in every state it can be in. (That the
/// rule itself is right is the business of the reaction, detect-stuck and reconcile tests.)
/// </summary>
public sealed class SagaRuleFromStateTests
{
    [Fact]
    public void TheStoredState_AwaitsExactlyTheSagasTheHistoryDoes_AfterEveryFactOfEveryScenario()
    {
        var checkedAwaited = 0;
        var checkedNot = 0;
        foreach (var order in OrderScenarios.Prefixes())
        {
            var fromHistory = SagaExpectations.For(order);
            // As a store hands it back: the document its save wrote, read from JSON (Cosmos DB always; SQLite for a row
            // another process wrote).
            var state = SagaSubject.Of(ApplicationJson.Deserialize<OrderView>(ApplicationJson.Serialize(OrderView.From(order, withHistory: false))));
            Assert.Equal(SagaSubject.Of(order) with { Refunds = [] }, state with { Refunds = [] });
            Assert.Equal(order.Refunds, state.Refunds);

            foreach (var (saga, instanceId) in Candidates(order))
            {
                var expected = fromHistory.Any(e => e.Saga == saga && e.InstanceId == instanceId);
                Assert.True(expected == SagaExpectations.Awaits(state, saga, instanceId),
                    $"{order.Id} v{order.Version} ({order.Status}): {instanceId} awaited by history {expected}, by state {!expected}");
                if (expected) checkedAwaited++;
                else checkedNot++;
            }
        }
        // Not vacuous: the scenarios reach checkouts, fulfillments and refunds that are awaited, and many that are not.
        Assert.True(checkedAwaited >= 10, $"awaited cases: {checkedAwaited}");
        Assert.True(checkedNot >= 10, $"not awaited cases: {checkedNot}");
    }

    [Fact]
    public void TheScenarios_ReachEveryBranchOfTheRule()
    {
        var awaited = OrderScenarios.Prefixes().SelectMany(o => SagaExpectations.For(o).Select(e => (o.Status, o.Type, e.Saga))).ToHashSet();

        Assert.Contains((OrderStatus.Created, OrderType.Prepaid, SagaNames.Checkout), awaited);
        Assert.Contains((OrderStatus.Confirmed, OrderType.Prepaid, SagaNames.Checkout), awaited);
        Assert.Contains((OrderStatus.Confirmed, OrderType.CashOnDelivery, SagaNames.Fulfillment), awaited);
        Assert.Contains((OrderStatus.Paid, OrderType.Prepaid, SagaNames.Fulfillment), awaited);
        Assert.Contains((OrderStatus.Paid, OrderType.Prepaid, SagaNames.Refund), awaited);
        Assert.Contains((OrderStatus.Shipped, OrderType.Prepaid, SagaNames.Fulfillment), awaited);
        Assert.Contains((OrderStatus.Shipped, OrderType.Prepaid, SagaNames.Refund), awaited);
        Assert.Contains((OrderStatus.Cancelled, OrderType.Prepaid, SagaNames.Refund), awaited);
    }

    private static IEnumerable<(string Saga, string InstanceId)> Candidates(Order order) =>
    [
        (SagaNames.Checkout, SagaNames.CheckoutId(order.Id)),
        (SagaNames.Fulfillment, SagaNames.FulfillmentId(order.Id)),
        .. order.Refunds.Select(r => (SagaNames.Refund, SagaNames.RefundId(order.Id, r.RefundId))),
    ];
}
