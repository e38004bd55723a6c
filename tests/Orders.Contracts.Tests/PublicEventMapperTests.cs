using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Orders.Application.Integration.PublicEvents;
using Orders.Application.Ports.Outbound;
using Orders.Contracts.Integration;
using Orders.Contracts.PublicEvents;
using Orders.Contracts.Tests.TestSupport;
using Orders.Testing.Scenarios;
using Orders.Domain.Events;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;

namespace Orders.Contracts.Tests;

public class PublicEventMapperTests
{
    private const string Source = "/orders";

    private static readonly IReadOnlyList<Type> DomainEventTypes =
        typeof(OrderEvent).GetCustomAttributes<JsonDerivedTypeAttribute>().Select(a => a.DerivedType).ToArray();

    public static TheoryData<string> ScenarioNames() => [.. OrderScenarios.All().Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(ScenarioNames))]
    public void Every_history_entry_of_every_scenario_maps_to_a_cloud_event_valid_against_its_schemas(string scenario)
    {
        var orders = OrderScenarios.All().Single(s => s.Name == scenario).Orders;
        var stored = orders.SelectMany(OrderScenarios.Stored).ToArray();
        Assert.NotEmpty(stored);

        foreach (var e in stored)
        {
            var cloudEvent = PublicEventMapper.ToCloudEvent(e, Source);
            var errors = Wire.Validate(cloudEvent);
            Assert.True(errors.Count == 0, $"{cloudEvent.Type} #{e.Sequence} of {e.OrderId}:\n{string.Join("\n", errors)}\n{cloudEvent.Data}");
        }
    }

    [Fact]
    public void The_scenarios_produce_every_domain_event_type_so_every_mapping_is_exercised()
    {
        var produced = OrderScenarios.AllStoredEvents().Select(e => e.Entry.Event.GetType()).ToHashSet();
        Assert.NotEmpty(DomainEventTypes);
        Assert.All(DomainEventTypes, t => Assert.Contains(t, produced));
    }

    [Fact]
    public void Every_domain_event_type_has_exactly_one_public_type_and_every_public_type_one_domain_event()
    {
        Assert.Equal(DomainEventTypes.OrderBy(t => t.Name), PublicEventMapper.PublicTypes.Keys.OrderBy(t => t.Name));
        Assert.Equal(PublicEventTypes.All.Order(StringComparer.Ordinal), PublicEventMapper.PublicTypes.Values.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_cloud_event_type_is_the_declared_public_type_and_the_data_is_its_payload_record()
    {
        foreach (var stored in OrderScenarios.AllStoredEvents())
        {
            var cloudEvent = PublicEventMapper.ToCloudEvent(stored, Source);
            Assert.Equal(PublicEventMapper.PublicTypes[stored.Entry.Event.GetType()], cloudEvent.Type);

            var payloadType = PublicEventTypes.PayloadTypes[cloudEvent.Type];
            var payload = Assert.IsAssignableFrom<IPublicOrderEvent>(cloudEvent.Data.Deserialize(payloadType, ContractJson.Options));
            Assert.Equal(stored.OrderId.Value, payload.OrderId);
            Assert.Equal(stored.Sequence, payload.Sequence);
            Assert.Equal(stored.Entry.At, payload.OccurredAt);
            Assert.Equal(stored.Entry.From is { } from ? PublicEventMapper.Status(from) : null, payload.FromStatus);
            Assert.Equal(PublicEventMapper.Status(stored.Entry.To), payload.ToStatus);
            Assert.Equal(stored.Entry.Actor.Id, payload.Actor.Id);
            Assert.Equal(stored.Entry.CausationId, payload.CausationId);
        }
    }

    [Fact]
    public void The_envelope_carries_the_event_id_the_order_as_subject_the_entry_time_and_the_schema_path()
    {
        var order = OrderScenarios.PrepaidWithRefunds();
        var stored = OrderScenarios.Stored(order)[2]; // confirmed
        var cloudEvent = PublicEventMapper.ToCloudEvent(stored, Source);

        Assert.Equal("ord-1001:3", cloudEvent.Id);
        Assert.Equal(stored.EventId, cloudEvent.Id);
        Assert.Equal(Source, cloudEvent.Source);
        Assert.Equal(PublicEventTypes.OrderConfirmed, cloudEvent.Type);
        Assert.Equal("ord-1001", cloudEvent.Subject);
        Assert.Equal(stored.Entry.At, cloudEvent.Time);
        Assert.Equal(TimeSpan.Zero, cloudEvent.Time.Offset);
        Assert.Equal("events/order-confirmed.v1.json", cloudEvent.DataSchema);
        Assert.False(Uri.TryCreate(cloudEvent.DataSchema, UriKind.Absolute, out _));

        var json = Wire.ToJson(cloudEvent);
        Assert.Equal("1.0", json.GetProperty("specversion").GetString());
        Assert.Equal("application/json", json.GetProperty("datacontenttype").GetString());
        Assert.Equal("events/order-confirmed.v1.json", json.GetProperty("dataschema").GetString());
        Assert.Equal("res-1001", json.GetProperty("data").GetProperty("reservationId").GetString());
        Assert.Equal("auth-1001", json.GetProperty("data").GetProperty("paymentAuthorizationId").GetString());
        Assert.Equal("CREATED", json.GetProperty("data").GetProperty("fromStatus").GetString());
        Assert.Equal("CONFIRMED", json.GetProperty("data").GetProperty("toStatus").GetString());
        Assert.Equal("SYSTEM", json.GetProperty("data").GetProperty("actor").GetProperty("kind").GetString());
    }

    [Fact]
    public void Order_created_carries_the_whole_contract_with_exact_money()
    {
        var order = OrderScenarios.PrepaidWithRefunds();
        var created = Payload<OrderCreatedV1>(OrderScenarios.Stored(order)[0]);

        Assert.Null(created.FromStatus);
        Assert.Equal("CREATED", created.ToStatus);
        Assert.Equal(1, created.Sequence);
        Assert.Equal("BUYER", created.Actor.Kind);
        Assert.Equal("buyer-ord-1001", created.BuyerId);
        Assert.Equal("PREPAID", created.OrderType);
        Assert.Equal("USD", created.Currency);
        Assert.Null(created.SplitFrom);
        Assert.Equal(14 * 24 * 3600, created.ReturnWindowSeconds);
        Assert.Equal(created.OccurredAt + TimeSpan.FromMinutes(30), created.PaymentDueBy);

        Assert.Equal(2, created.Items.Count);
        var shirt = created.Items[0];
        Assert.Equal((1, "SKU-RED-M", "prod-1", "seller-a", 2), (shirt.Line, shirt.Sku, shirt.ProductId, shirt.SellerId, shirt.Quantity));
        Assert.Equal(new MoneyAmount(2_499, "USD"), shirt.UnitPrice);
        Assert.Equal("red", shirt.Attributes["colour"]);
        Assert.Equal(order.Items[0].Hash.Value, shirt.SnapshotHash);
        Assert.Equal("Mug “café” ☕", created.Items[1].Title);

        var pricing = created.Pricing;
        Assert.Equal(new MoneyAmount(order.Pricing.Subtotal.Minor, "USD"), pricing.Subtotal);
        Assert.Equal(new MoneyAmount(order.Pricing.Discount.Minor, "USD"), pricing.Discount);
        Assert.Equal(new MoneyAmount(499, "USD"), pricing.Shipping);
        Assert.Equal(new MoneyAmount(order.Total.Minor, "USD"), pricing.Total);
        Assert.Equal(pricing.Subtotal.Minor - pricing.Discount.Minor + pricing.Shipping.Minor, pricing.Total.Minor);
        Assert.Equal(pricing.Total.Minor, pricing.Lines.Sum(l => l.Net.Minor));
        Assert.Equal(pricing.Discount.Minor, pricing.Lines.Sum(l => l.Discount.Minor));
        Assert.Equal(pricing.Shipping.Minor, pricing.Lines.Sum(l => l.Shipping.Minor));
        Assert.All(pricing.Lines, l => Assert.Equal(l.Gross.Minor - l.Discount.Minor + l.Shipping.Minor, l.Net.Minor));
        Assert.Equal("SPRING10", Assert.Single(pricing.Promotions).Code);

        Assert.Equal(new ShippingAddressV1("Grace Hopper", "42 Harbour Road", "Flat 3", "Arlington", "22201", "US"), created.ShippingAddress);
    }

    [Fact]
    public void Amounts_are_integers_of_minor_units_on_the_wire_never_floats()
    {
        var stored = OrderScenarios.Stored(OrderScenarios.PrepaidWithRefunds())[0];
        var data = PublicEventMapper.ToCloudEvent(stored, Source).Data;
        var total = data.GetProperty("pricing").GetProperty("total");
        Assert.Equal(JsonValueKind.Number, total.GetProperty("minor").ValueKind);
        Assert.DoesNotContain(".", total.GetProperty("minor").GetRawText(), StringComparison.Ordinal);
        Assert.Equal("USD", total.GetProperty("currency").GetString());
        Assert.Equal(JsonValueKind.Null, data.GetProperty("fromStatus").ValueKind);
        Assert.Equal(JsonValueKind.Null, data.GetProperty("splitFrom").ValueKind);
    }

    [Fact]
    public void Refunds_are_partial_then_full_with_the_running_total()
    {
        var refunded = OrderScenarios.Stored(OrderScenarios.PrepaidWithRefunds())
            .Where(e => e.Entry.Event is OrderRefunded)
            .Select(Payload<OrderRefundedV1>)
            .ToArray();

        Assert.Equal(2, refunded.Length);
        var (partial, full) = (refunded[0], refunded[1]);
        Assert.False(partial.Full);
        Assert.Equal(new MoneyAmount(500, "USD"), partial.Amount);
        Assert.Equal(new MoneyAmount(500, "USD"), partial.TotalRefunded);
        Assert.Equal(("PAID", "PAID"), (partial.FromStatus, partial.ToStatus));
        Assert.True(full.Full);
        Assert.Equal(partial.TotalRefunded.Minor + full.Amount.Minor, full.TotalRefunded.Minor);
        Assert.Equal(("DELIVERED", "REFUNDED"), (full.FromStatus, full.ToStatus));
    }

    [Fact]
    public void Cash_on_delivery_confirms_without_authorisation_and_records_the_cash_without_a_status_change()
    {
        var stored = OrderScenarios.Stored(OrderScenarios.CashOnDelivery());
        var confirmed = Payload<OrderConfirmedV1>(stored.Single(e => e.Entry.Event is OrderConfirmed));
        Assert.Null(confirmed.PaymentAuthorizationId);
        var shipped = Payload<OrderShippedV1>(stored.Single(e => e.Entry.Event is OrderShipped));
        Assert.Equal(("CONFIRMED", "SHIPPED"), (shipped.FromStatus, shipped.ToStatus));
        var cash = Payload<CodCashCollectedV1>(stored.Single(e => e.Entry.Event is CashOnDeliveryCollected));
        Assert.Equal(("DELIVERED", "DELIVERED"), (cash.FromStatus, cash.ToStatus));
        Assert.Equal(new MoneyAmount(13_500, "BHD"), cash.Amount);
        Assert.Equal("CASH_ON_DELIVERY", Payload<OrderCreatedV1>(stored[0]).OrderType);
    }

    [Fact]
    public void A_split_names_its_children_and_each_child_is_created_with_split_from()
    {
        var orders = OrderScenarios.SplitOrders();
        var parent = OrderScenarios.Stored(orders[0]);
        var split = Payload<OrderSplitV1>(parent.Single(e => e.Entry.Event is OrderSplit));
        Assert.Equal(("CREATED", "SPLIT"), (split.FromStatus, split.ToStatus));
        Assert.Equal(["ord-1007-s1", "ord-1007-s2"], split.Children.Select(c => c.OrderId));
        Assert.Equal(["seller-a", "seller-b"], split.Children.Select(c => c.SellerId));
        var parentTotal = Payload<OrderCreatedV1>(parent[0]).Pricing.Total.Minor;
        Assert.Equal(parentTotal, split.Children.Sum(c => c.Total.Minor));

        foreach (var child in orders.Skip(1))
        {
            var created = Payload<OrderCreatedV1>(OrderScenarios.Stored(child)[0]);
            Assert.Equal("ord-1007", created.SplitFrom);
            Assert.Equal(split.Children.Single(c => c.OrderId == created.OrderId).Total, created.Pricing.Total);
        }
    }

    [Fact]
    public void Every_status_actor_kind_and_order_type_has_a_public_spelling_in_the_contract_lists()
    {
        Assert.Equal(PublicOrderStatus.All.Order(StringComparer.Ordinal),
            Enum.GetValues<OrderStatus>().Select(PublicEventMapper.Status).Order(StringComparer.Ordinal));
        Assert.Equal(PublicActorKind.All.Order(StringComparer.Ordinal),
            Enum.GetValues<ActorKind>().Select(PublicEventMapper.ActorKindOf).Order(StringComparer.Ordinal));
        Assert.Equal(PublicOrderType.All.Order(StringComparer.Ordinal),
            Enum.GetValues<OrderType>().Select(PublicEventMapper.OrderTypeOf).Order(StringComparer.Ordinal));
        Assert.All(PublicOrderStatus.All, s => Assert.Matches("^[A-Z_]+$", s));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(TimeSpan.TicksPerSecond, 1)]
    [InlineData(TimeSpan.TicksPerSecond + 1, 2)]
    [InlineData(14 * TimeSpan.TicksPerDay, 14 * 86_400)]
    public void The_return_window_is_whole_seconds_rounded_up(long ticks, long seconds) =>
        Assert.Equal(seconds, PublicEventMapper.WholeSecondsRoundedUp(TimeSpan.FromTicks(ticks)));

    [Fact]
    public void Mapping_is_deterministic_so_a_republished_event_is_byte_identical()
    {
        foreach (var stored in OrderScenarios.AllStoredEvents())
            Assert.Equal(ContractJson.SerializeCloudEvent(PublicEventMapper.ToCloudEvent(stored, Source)),
                ContractJson.SerializeCloudEvent(PublicEventMapper.ToCloudEvent(stored, Source)));
    }

    [Fact]
    public void A_source_is_required()
    {
        var stored = OrderScenarios.AllStoredEvents()[0];
        Assert.Throws<ArgumentException>(() => PublicEventMapper.ToCloudEvent(stored, " "));
    }

    [Fact]
    public void A_domain_event_without_a_mapping_is_refused_loudly()
    {
        var created = OrderScenarios.AllStoredEvents()[0];
        var unknown = new StoredEvent(created.OrderId, created.Entry with { Event = new UnmappedEvent(created.OrderId) });
        var error = Assert.Throws<InvalidOperationException>(() => PublicEventMapper.ToCloudEvent(unknown, Source));
        Assert.Contains(nameof(UnmappedEvent), error.Message, StringComparison.Ordinal);
    }

    private static T Payload<T>(StoredEvent stored) where T : IPublicOrderEvent =>
        PublicEventMapper.ToCloudEvent(stored, Source).Data.Deserialize<T>(ContractJson.Options)!;

    private sealed record UnmappedEvent(OrderId OrderId) : OrderEvent(OrderId)
    {
        public override string Type => "test.unmapped";
    }
}
