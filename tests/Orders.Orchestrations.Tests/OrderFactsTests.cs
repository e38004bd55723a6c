using System.Text.Json;
using System.Text.Json.Nodes;
using Orders.Application;
using Orders.Application.Views;
using Orders.Orchestrations.Activities;
using Orders.Testing.Scenarios;

namespace Orders.Orchestrations.Tests;

/// <summary>
/// The checkout and fulfillment sagas read their facts from the order's stored state (a point read), the refund saga
/// from its history: one mapping (<see cref="OrderFacts.OfState"/>), so what is tested is that the state as a store
/// hands it back (read from JSON) says what the order does, and what the loaded facts add.
/// </summary>
public sealed class OrderFactsTests
{
    [Fact]
    public void FactsFromTheStoredState_AreTheLoadedFacts_ButForTheIdsOnlyTheRefundSagaReads_AfterEveryFactOfEveryScenario()
    {
        var orders = 0;
        foreach (var order in OrderScenarios.Prefixes())
        {
            var loaded = OrderFacts.Of(order) with { ReservationId = null, AuthorizationId = null };
            var fromState = OrderFacts.OfState(Stored(order));
            // Compared as the saga reads them: the JSON that crosses Durable's history.
            Assert.Equal(JsonSerializer.Serialize(loaded), JsonSerializer.Serialize(fromState));
            orders++;
        }
        Assert.True(orders >= 40, $"orders compared: {orders}");
    }

    [Fact]
    public void LoadedFacts_AddTheIdsAndTheRefundOnlyTheHistoryKnows()
    {
        var order = OrderScenarios.PrepaidWithRefunds();
        var refund = order.Refunds[0];

        var facts = OrderFacts.Of(order, refund.RefundId);

        Assert.Equal((order.ReservationId, order.PaymentAuthorizationId), (facts.ReservationId, facts.AuthorizationId));
        Assert.NotNull(facts.ReservationId);
        Assert.Equal((true, refund.IsCompleted), (facts.RefundRequested, facts.RefundCompleted));
        Assert.False(OrderFacts.Of(order, "no-such-refund").RefundRequested);
    }

    [Fact]
    public void TheScenarios_ReachTheFactsThatSteerTheSagas()
    {
        var facts = OrderScenarios.Prefixes().Select(o => OrderFacts.OfState(Stored(o))).ToArray();

        Assert.Contains(facts, f => f.ReservesStockNext);
        Assert.Contains(facts, f => f.CashOnDelivery);
        Assert.Contains(facts, f => f.Paid);
        Assert.Contains(facts, f => f.HasPromotions);
        Assert.Contains(facts, f => f.SellerCount > 1 && f.ChildOrderIds is { Count: > 0 });
        Assert.Contains(facts, f => f.ReplacementPending && f.ShipmentAttempt == 1);
        Assert.Contains(facts, f => f.ShipmentId is not null);
    }

    [Fact]
    public void AStateDocumentSavedBeforeSplitsAndLostParcels_GivesFactsWithNeither()
    {
        // Documents written before 2026-12-05 have no lostShipments (nor, earlier still, splitInto) member.
        var document = JsonNode.Parse(ApplicationJson.Serialize(OrderView.From(OrderScenarios.PrepaidClosedAfterReturnWindow(), withHistory: false)))!.AsObject();
        Assert.True(document.Remove("lostShipments") && document.Remove("splitInto"), "the members to drop are named as stored");

        var facts = OrderFacts.OfState(ApplicationJson.Deserialize<OrderView>(document.ToJsonString()));

        Assert.Equal((0, 0), (facts.ShipmentAttempt, facts.ChildOrderIds!.Count));
        Assert.NotNull(facts.ShipmentId);
    }

    /// <summary>The state as a store hands it back: the document its save wrote, read from JSON.</summary>
    private static OrderView Stored(Domain.OrderAggregate.Order order) =>
        ApplicationJson.Deserialize<OrderView>(ApplicationJson.Serialize(OrderView.From(order, withHistory: false)));
}
