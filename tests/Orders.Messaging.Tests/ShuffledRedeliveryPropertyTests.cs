using System.Text.Json;
using CsCheck;
using Orders.Application;
using Orders.Application.Access;
using Orders.Application.Integration;
using Orders.Application.ReadModels;
using Orders.Application.UseCases;
using Orders.Application.UseCases.Commands;
using Orders.Application.Views;
using Orders.Contracts.Integration;
using Orders.Domain.ValueObjects;
using Orders.Infrastructure.ReadModels;

namespace Orders.Messaging.Tests;

/// <summary>
/// Issue 12's delivery property, at the handler: every inbound integration event of a few orders delivered two or
/// three times, all deliveries shuffled together (the facts the answers wait for — a confirmation, a shipment —
/// recorded at a random moment among them, as the sagas would), then the parked-answer replayer run once. The orders
/// and their read models must converge to exactly what one in-order delivery of each event gives: the same order
/// documents (status, version, payments, history with its hashes), the same read models, the same sagas started and
/// signalled, nothing poisoned, and each money fact (a capture, a cash report) recorded once.
/// </summary>
public sealed class ShuffledRedeliveryPropertyTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private enum Kind
    {
        PrepaidConfirmed,   // the capture can apply at once
        PrepaidCreated,     // the capture may come before the confirmation: parked, then applied
        CodShipped,         // cash on delivery, shipped: the cash report applies at once
        CodConfirmed,       // the cash report may come before the shipment: parked, then applied
    }

    private sealed record Delivery(int Order, InboundEvent? Event, string? Fact);

    private static readonly Gen<(Kind[] Orders, int Seed)> Scenarios =
        Gen.Select(Gen.Enum<Kind>().Array[1, 5], Gen.Int);

    [Fact]
    public async Task EveryInboundEvent_DeliveredTwoOrThreeTimesShuffled_ConvergesToOneDelivery_WithNoDuplicateEffect()
    {
        var (scenarios, orders, deliveries) = (0, 0, 0);
        await Scenarios.SampleAsync(async (kinds, seed) =>
        {
            var reference = await RunAsync(kinds, shuffleSeed: null);
            var shuffled = await RunAsync(kinds, shuffleSeed: seed);

            Assert.Empty(reference.Poisoned);
            Assert.Empty(shuffled.Poisoned);
            Assert.Equal(reference.Orders, shuffled.Orders);
            Assert.Equal(reference.ReadModels, shuffled.ReadModels);
            Assert.Equal(reference.SagasStarted, shuffled.SagasStarted);
            Assert.Equal(reference.Signals, shuffled.Signals);
            Assert.Equal(reference.MoneyFacts, shuffled.MoneyFacts);
            Assert.All(shuffled.MoneyFacts, fact => Assert.Equal(1, fact.Count));
            Assert.True(shuffled.Deliveries > reference.Deliveries, "every event was delivered more than once");
            (scenarios, orders, deliveries) = (scenarios + 1, orders + kinds.Length, deliveries + shuffled.Deliveries);
        }, iter: 60, threads: 1);
        output.WriteLine($"{scenarios} scenarios, {orders} orders, {deliveries} shuffled deliveries (each event 2-3 times): converged, no duplicate effect.");
    }

    private sealed record Outcome(
        IReadOnlyList<string> Orders, IReadOnlyList<string> ReadModels, IReadOnlyList<string> SagasStarted, IReadOnlyList<string> Signals,
        IReadOnlyList<(string Order, string Fact, int Count)> MoneyFacts, IReadOnlyList<string> Poisoned, int Deliveries);

    /// <summary>One world: the orders of <paramref name="kinds"/>, their events delivered once in order, or 2–3× shuffled.</summary>
    private static async Task<Outcome> RunAsync(Kind[] kinds, int? shuffleSeed)
    {
        var world = new MessagingWorld();
        var ids = new OrderId[kinds.Length];
        var plan = new List<Delivery>();
        for (var i = 0; i < kinds.Length; i++)
        {
            var cod = kinds[i] is Kind.CodShipped or Kind.CodConfirmed;
            ids[i] = await CreatedAsync(world, $"k{i}", cod);
            if (kinds[i] is Kind.PrepaidConfirmed or Kind.CodShipped or Kind.CodConfirmed) await ConfirmAsync(world, ids[i], cod);
            if (kinds[i] is Kind.CodShipped) await ShipAsync(world, ids[i]);
            plan.AddRange(EventsOf(i, ids[i], kinds[i]));
        }
        await world.ReactAsync(); // the pump follows every commit: the checkouts of the new orders start

        var deliveries = shuffleSeed is { } seed ? Shuffled(plan, new Random(seed)) : plan;
        var poisoned = new List<string>();
        foreach (var delivery in deliveries)
        {
            if (delivery.Fact == "confirm") await ConfirmAsync(world, ids[delivery.Order], cod: false);
            else if (delivery.Fact == "ship") await ShipAsync(world, ids[delivery.Order]);
            else
            {
                var result = await world.Handler.HandleAsync(delivery.Event!);
                if (result.Outcome == InboundOutcome.Poison) poisoned.Add($"{delivery.Event!.EventId}: {result.Reason}");
            }
            await world.ReactAsync();
        }
        await world.ReactAsync();

        var readModels = new InMemoryReadModelStore();
        await new OrderProjector(world.Store, readModels).RunOnceAsync(10_000, MessagingWorld.T0.AddHours(1));

        var orders = new List<string>();
        var views = new List<string>();
        var facts = new List<(string, string, int)>();
        foreach (var id in ids)
        {
            var order = await world.OrderAsync(id);
            orders.Add(ApplicationJson.Serialize(OrderView.From(order)) + string.Join(",", order.History.Select(h => h.Hash)));
            views.Add(ApplicationJson.Serialize(await readModels.GetOrderDetailAsync(id)));
            var buyerList = await readModels.ListBuyerOrdersAsync(BuyerId.From("buyer-1"), null, 100, null);
            views.Add(ApplicationJson.Serialize(buyerList.Items.Single(item => item.OrderId == id)));
            foreach (var fact in new[] { nameof(Domain.Events.OrderPaid), nameof(Domain.Events.CashOnDeliveryCollected) })
            {
                var count = order.History.Count(h => h.Event.GetType().Name == fact);
                if (count > 0) facts.Add((id.Value, fact, count));
            }
        }
        // Sagas keep the first answer to each wait and drop repeats, so what counts is which answers were raised.
        var signals = world.Signals.Raised.Select(s => $"{s.InstanceId} {s.EventName} {JsonSerializer.Serialize(s.Payload, s.Payload.GetType())}")
            .Distinct().Order(StringComparer.Ordinal).ToArray();
        return new Outcome(orders, views, [.. world.Scheduler.Started.Distinct().Order(StringComparer.Ordinal)], signals, facts, poisoned,
            deliveries.Count);
    }

    /// <summary>Each event two or three times, all shuffled; a fact keeps its place after the answers that lead to it.</summary>
    private static List<Delivery> Shuffled(List<Delivery> plan, Random random)
    {
        var copies = plan.SelectMany(d => d.Fact is null ? Enumerable.Repeat(d, 2 + random.Next(2)) : [d])
            .Select(d => (Delivery: d, Key: random.Next())).OrderBy(x => x.Key).Select(x => x.Delivery).ToList();
        // The saga records its fact only after hearing the answers it waits for (stock and payment, or the shipment).
        foreach (var fact in plan.Where(d => d.Fact is not null))
        {
            copies.Remove(fact);
            var waitsFor = plan.Where(d => d.Order == fact.Order && d.Event?.Data is StockReserved or PaymentAuthorized or ShipmentCreated).ToArray();
            var after = waitsFor.Length == 0 ? -1 : waitsFor.Max(w => copies.IndexOf(w)); // the first copy of each is what the saga hears
            copies.Insert(random.Next(after + 1, copies.Count + 1), fact);
        }
        return copies;
    }

    private static IEnumerable<Delivery> EventsOf(int i, OrderId id, Kind kind)
    {
        var at = MessagingWorld.T0.AddMinutes(5);
        var o = id.Value;
        InboundEvent E(string name, string type, object data) => new($"{name}-{i}", type, at, data);
        var total = new MoneyAmount(MessagingWorld.Total.Minor, "USD");
        switch (kind)
        {
            case Kind.PrepaidConfirmed:
                yield return new(i, E("cap", InboundEventTypes.PaymentCaptured, new PaymentCaptured(o, $"pay-{i}", total)), null);
                yield return new(i, E("shp", InboundEventTypes.ShipmentCreated, new ShipmentCreated(o, $"shp-{i}", "DHL", $"T-{i}")), null);
                break;
            case Kind.PrepaidCreated:
                yield return new(i, E("res", InboundEventTypes.StockReserved, new StockReserved(o, "res-1")), null);
                yield return new(i, E("auth", InboundEventTypes.PaymentAuthorized, new PaymentAuthorized(o, "auth-1", total)), null);
                yield return new(i, null, "confirm");
                yield return new(i, E("cap", InboundEventTypes.PaymentCaptured, new PaymentCaptured(o, $"pay-{i}", total)), null);
                break;
            case Kind.CodShipped:
                yield return new(i, E("dlv", InboundEventTypes.ShipmentDelivered, new ShipmentDelivered(o, $"shp-{i}")), null);
                yield return new(i, E("cash", InboundEventTypes.CashCollected, new CashCollected(o, "shp-" + o, $"cash-{i}", total)), null);
                break;
            default:
                yield return new(i, E("shp", InboundEventTypes.ShipmentCreated, new ShipmentCreated(o, $"shp-{i}", "DHL", $"T-{i}")), null);
                yield return new(i, null, "ship");
                yield return new(i, E("cash", InboundEventTypes.CashCollected, new CashCollected(o, "shp-" + o, $"cash-{i}", total)), null);
                break;
        }
    }

    private static async Task<OrderId> CreatedAsync(MessagingWorld world, string key, bool cod)
    {
        if (!cod) return await world.CreatedAsync(key);
        var items = new[]
        {
            Domain.OrderAggregate.OrderItem.Snapshot(1, "sku-1", "prod-sku-1", SellerId.From("seller-a"), "Item sku-1", Money.Of(1000, Currency.USD), 2),
            Domain.OrderAggregate.OrderItem.Snapshot(2, "sku-2", "prod-sku-2", SellerId.From("seller-a"), "Item sku-2", Money.Of(500, Currency.USD), 1),
        };
        var command = new CreateOrderCommand(BuyerId.From("buyer-1"), OrderType.CashOnDelivery, items, [], Money.Of(500, Currency.USD),
            new ShippingAddress("Ada Lovelace", "1 Analytical Way", null, "London", "N1 1AA", "GB"));
        var reply = await world.Create.ExecuteAsync(command, new RequestContext(Caller.Buyer("buyer-1"), MessagingWorld.T0, "create-" + key, key));
        return reply.Unwrap().Receipt.OrderId;
    }

    private static async Task ConfirmAsync(MessagingWorld world, OrderId id, bool cod) =>
        (await world.Confirm.ExecuteAsync(new ConfirmOrderCommand(id, "res-1", cod ? null : "auth-1"),
            new RequestContext(Caller.System("checkout-saga"), MessagingWorld.T0.AddMinutes(1), "confirm-" + id.Value))).Unwrap();

    private static async Task ShipAsync(MessagingWorld world, OrderId id) =>
        (await new RecordShipment(new OrderCommandRunner(world.Store, new CommandOptions())).ExecuteAsync(
            new RecordShipmentCommand(id, "shp-" + id.Value, "DHL", "T-1"),
            new RequestContext(Caller.System("fulfillment-saga"), MessagingWorld.T0.AddMinutes(2), "ship-" + id.Value))).Unwrap();
}
