using System.Text.Json;
using Orders.Domain.Common;
using Orders.Domain.Events;
using Orders.Domain.OrderAggregate;
using Orders.Domain.Services;
using Orders.Domain.ValueObjects;
using static Orders.Domain.Tests.TestSupport.TestOrders;

namespace Orders.Domain.Tests.Events;

/// <summary>
/// Events are hashed into the history and stored as the outbox in their DomainJson form, with the stable type name as
/// the one "type" discriminator. (Regression: the derived events' <c>Type</c> overrides were serialised as a second
/// "type" property, which System.Text.Json refuses, so no order could be created at all.)
/// </summary>
public sealed class OrderEventJsonTests
{
    private static readonly OrderId Id = OrderId.From(OrderIdValue);

    public static TheoryData<string> EventTypeNames() => new(AllEvents().Select(e => e.Type));

    private static IEnumerable<OrderEvent> AllEvents()
    {
        var items = Cart(multiSeller: true);
        yield return new OrderCreated(Id, Buyer, OrderType.Prepaid, items, OrderPricingService.Price(items, [], Usd(499)), Home,
            ReturnWindow, T0.AddMinutes(30), null);
        yield return new OrderConfirmed(Id, ReservationId, AuthorizationId);
        yield return new OrderCancelled(Id, "no stock");
        yield return new OrderPaid(Id, PaymentId, Usd(TotalMinor));
        yield return new OrderShipped(Id, ShipmentId, Carrier, TrackingNumber);
        yield return new OrderDelivered(Id, ShipmentId);
        yield return new CashOnDeliveryCollected(Id, CashPaymentId, Usd(TotalMinor));
        yield return new RefundRequested(Id, RefundId, Usd(100), "damaged");
        yield return new OrderRefunded(Id, RefundId, Usd(100), Usd(100), false);
        yield return new OrderClosed(Id);
        yield return new OrderSplit(Id, [new SplitChild(Id.Child(1), SellerA, Usd(3272)), new SplitChild(Id.Child(2), SellerB, Usd(2727))]);
        yield return new ShippingAddressChanged(Id, Office);
        yield return new OperatorResolution(Id, OperatorResolution.Actions.RetrySaga, "fulfillment-ord-1", "carrier API was down");
    }

    [Fact]
    public void TheResolutionMembers_AreWrittenOnlyWhenPresent_SoOrdinaryEventsKeepTheirBytes()
    {
        var plain = JsonSerializer.Serialize<OrderEvent>(new RefundRequested(Id, RefundId, Usd(100), "damaged"), DomainJson.Options);
        var lost = JsonSerializer.Serialize<OrderEvent>(new RefundRequested(Id, RefundId, Usd(100), "lost", LostShipmentId: ShipmentId), DomainJson.Options);

        Assert.DoesNotContain("lostShipmentId", plain, StringComparison.Ordinal);
        Assert.DoesNotContain("capturedPaymentId", plain, StringComparison.Ordinal);
        Assert.Contains($"\"lostShipmentId\":\"{ShipmentId}\"", lost, StringComparison.Ordinal);
        Assert.Equal(new RefundRequested(Id, RefundId, Usd(100), "lost", LostShipmentId: ShipmentId),
            JsonSerializer.Deserialize<OrderEvent>(lost, DomainJson.Options));
    }

    [Theory]
    [MemberData(nameof(EventTypeNames))]
    public void AnEvent_IsWrittenWithItsTypeNameAsTheOnlyTypeProperty(string typeName)
    {
        var @event = AllEvents().Single(e => e.Type == typeName);

        var json = JsonSerializer.Serialize(@event, DomainJson.Options);

        using var document = JsonDocument.Parse(json);
        var typeProperties = document.RootElement.EnumerateObject().Where(p => p.NameEquals("type")).ToArray();
        Assert.Single(typeProperties);
        Assert.Equal(typeName, typeProperties[0].Value.GetString());
    }

    [Theory]
    [MemberData(nameof(EventTypeNames))]
    public void AnEvent_SurvivesAJsonRoundTripAsItsOwnType(string typeName)
    {
        var @event = AllEvents().Single(e => e.Type == typeName);

        var back = JsonSerializer.Deserialize<OrderEvent>(JsonSerializer.Serialize(@event, DomainJson.Options), DomainJson.Options);

        Assert.NotNull(back);
        Assert.Equal(@event.GetType(), back.GetType());
        Assert.Equal(@event, back);
    }

    [Fact]
    public void EveryEventType_IsCoveredByTheseTests()
    {
        var derived = typeof(OrderEvent).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(OrderEvent)) && !t.IsAbstract);

        Assert.Equal(derived.OrderBy(t => t.Name), AllEvents().Select(e => e.GetType()).OrderBy(t => t.Name));
    }
}
