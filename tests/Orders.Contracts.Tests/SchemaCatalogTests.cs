using System.Reflection;
using System.Text.Json;
using Json.Schema;
using Orders.Contracts.Integration;
using Orders.Contracts.PublicEvents;

namespace Orders.Contracts.Tests;

/// <summary>The schemas themselves: valid draft 2020-12, strict, one per type and one type per schema, and in step with the records.</summary>
public class SchemaCatalogTests
{
    private const string Draft202012 = "https://json-schema.org/draft/2020-12/schema";

    public static TheoryData<string> EmbeddedPaths() => [.. EventSchemas.EmbeddedPaths()];

    [Theory]
    [MemberData(nameof(EmbeddedPaths))]
    public void Every_schema_is_valid_json_schema_2020_12(string path)
    {
        using var document = JsonDocument.Parse(EventSchemas.ReadText(path));
        var root = document.RootElement;
        Assert.Equal(Draft202012, root.GetProperty("$schema").GetString());

        var results = MetaSchemas.Draft202012.Evaluate(root, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(results.IsValid, $"{path} is not a valid 2020-12 schema");

        // And it builds (every $ref resolves inside the file).
        var schema = JsonSchema.FromText(EventSchemas.ReadText(path), new BuildOptions { SchemaRegistry = new SchemaRegistry() },
            new Uri("https://catalog-test.invalid/" + path));
        Assert.NotNull(schema);
    }

    [Fact]
    public void The_meta_schema_check_can_fail()
    {
        using var broken = JsonDocument.Parse("""{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"objekt","required":"orderId"}""");
        Assert.False(MetaSchemas.Draft202012.Evaluate(broken.RootElement).IsValid);
    }

    [Theory]
    [MemberData(nameof(EmbeddedPaths))]
    public void Every_object_in_every_schema_is_closed_and_lists_what_it_requires(string path)
    {
        using var document = JsonDocument.Parse(EventSchemas.ReadText(path));
        var objects = new List<(string Where, JsonElement Schema)>();
        FindObjectSchemas(document.RootElement, "#", objects);
        Assert.NotEmpty(objects);
        foreach (var (where, schema) in objects)
        {
            if (where.EndsWith("/attributes", StringComparison.Ordinal)) continue; // a string map: open keys, string values
            if (where == "#/properties/data") continue; // the envelope's data: described by the type's own schema
            Assert.True(schema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.False,
                $"{path} {where}: additionalProperties must be false");
            var properties = schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet();
            var required = schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()!).ToArray();
            Assert.NotEmpty(required);
            Assert.All(required, r => Assert.Contains(r, properties));
        }
    }

    [Fact]
    public void Every_public_type_has_exactly_one_schema_and_every_schema_one_type()
    {
        var mapped = PublicEventTypes.All.Concat(InboundEventTypes.All).Select(EventSchemas.PathOf).ToArray();
        Assert.Equal(mapped.Length, mapped.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(PublicEventTypes.All.Count + InboundEventTypes.All.Count, EventSchemas.EventTypes.Count);

        var embedded = EventSchemas.EmbeddedPaths();
        Assert.Equal(mapped.Append(EventSchemas.EnvelopePath).Order(StringComparer.Ordinal), embedded);

        Assert.All(PublicEventTypes.All, t => Assert.Matches(@"^events/[a-z-]+\.v1\.json$", EventSchemas.PathOf(t)));
        Assert.All(InboundEventTypes.All, t => Assert.Equal($"events/inbound/{t}.json", EventSchemas.PathOf(t)));
    }

    [Fact]
    public void Every_schema_is_titled_with_its_type()
    {
        foreach (var type in EventSchemas.EventTypes)
        {
            using var document = JsonDocument.Parse(EventSchemas.ReadText(EventSchemas.PathOf(type)));
            Assert.Equal(type, document.RootElement.GetProperty("title").GetString());
        }
    }

    [Fact]
    public void Public_type_names_are_stable_cloud_event_types()
    {
        Assert.Equal(13, PublicEventTypes.All.Count);
        Assert.Equal(PublicEventTypes.All.Count, PublicEventTypes.All.Distinct(StringComparer.Ordinal).Count());
        Assert.All(PublicEventTypes.All, t => Assert.Matches(@"^orders\.[a-z]+(-[a-z]+)*\.v1$", t));
        Assert.Empty(PublicEventTypes.All.Intersect(InboundEventTypes.All, StringComparer.Ordinal));
    }

    [Fact]
    public void Every_payload_record_has_one_type_name_and_every_type_name_one_record()
    {
        var records = typeof(IPublicOrderEvent).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IPublicOrderEvent).IsAssignableFrom(t))
            .ToArray();
        Assert.Equal(PublicEventTypes.All.Order(StringComparer.Ordinal), PublicEventTypes.PayloadTypes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(records.OrderBy(t => t.Name), PublicEventTypes.PayloadTypes.Values.OrderBy(t => t.Name));
        foreach (var (type, record) in PublicEventTypes.PayloadTypes)
            Assert.Equal(type, record.GetField("EventType", BindingFlags.Public | BindingFlags.Static)!.GetValue(null));
    }

    public static TheoryData<string, Type> RecordsAndTypes()
    {
        var data = new TheoryData<string, Type>();
        foreach (var (type, record) in PublicEventTypes.PayloadTypes) data.Add(type, record);
        foreach (var (type, record) in InboundRecords) data.Add(type, record);
        return data;
    }

    [Theory]
    [MemberData(nameof(RecordsAndTypes))]
    public void Each_schema_describes_exactly_the_properties_of_its_record_all_required(string type, Type record)
    {
        using var document = JsonDocument.Parse(EventSchemas.ReadText(EventSchemas.PathOf(type)));
        var schema = document.RootElement;
        var expected = record.GetConstructors().Single().GetParameters().Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name!)).ToArray();
        Assert.Equal(expected, schema.GetProperty("properties").EnumerateObject().Select(p => p.Name));
        Assert.Equal(expected.Order(StringComparer.Ordinal),
            schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()!).Order(StringComparer.Ordinal));
    }

    private static readonly IReadOnlyDictionary<string, Type> InboundRecords = new Dictionary<string, Type>
    {
        [InboundEventTypes.StockReserved] = typeof(StockReserved),
        [InboundEventTypes.StockReservationFailed] = typeof(StockReservationFailed),
        [InboundEventTypes.StockReleased] = typeof(StockReleased),
        [InboundEventTypes.PaymentAuthorized] = typeof(PaymentAuthorized),
        [InboundEventTypes.PaymentDeclined] = typeof(PaymentDeclined),
        [InboundEventTypes.PaymentCaptured] = typeof(PaymentCaptured),
        [InboundEventTypes.PaymentVoided] = typeof(PaymentVoided),
        [InboundEventTypes.PaymentReversed] = typeof(PaymentReversed),
        [InboundEventTypes.RefundFailed] = typeof(RefundFailed),
        [InboundEventTypes.ShipmentCreated] = typeof(ShipmentCreated),
        [InboundEventTypes.ShipmentDispatched] = typeof(ShipmentDispatched),
        [InboundEventTypes.ShipmentDelivered] = typeof(ShipmentDelivered),
        [InboundEventTypes.ShipmentLost] = typeof(ShipmentLost),
        [InboundEventTypes.CashCollected] = typeof(CashCollected),
        [InboundEventTypes.PromotionsRedeemed] = typeof(PromotionsRedeemed),
        [InboundEventTypes.PromotionRedemptionRefused] = typeof(PromotionRedemptionRefused),
        [InboundEventTypes.PromotionsReleased] = typeof(PromotionsReleased),
    };

    private static void FindObjectSchemas(JsonElement node, string where, List<(string, JsonElement)> found)
    {
        if (node.ValueKind != JsonValueKind.Object) return;
        if (node.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "object")
            found.Add((where, node));
        foreach (var property in node.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Object)
                FindObjectSchemas(property.Value, $"{where}/{property.Name}", found);
            else if (property.Value.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var item in property.Value.EnumerateArray()) FindObjectSchemas(item, $"{where}/{property.Name}/{i++}", found);
            }
        }
    }
}
