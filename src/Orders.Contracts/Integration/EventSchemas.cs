using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.Json;
using Json.Schema;
using Orders.Contracts.PublicEvents;

namespace Orders.Contracts.Integration;

/// <summary>
/// The JSON Schemas (draft 2020-12) of every event type Orders publishes or accepts, and of the CloudEvent envelope,
/// embedded in this assembly under their paths (<c>events/order-created.v1.json</c>,
/// <c>events/inbound/payments.payment-captured.v1.json</c>, <c>events/cloudevent.v1.json</c>). The path of a public
/// event's schema is its CloudEvent <c>dataschema</c>. Validation asserts <c>format</c> too (date-time, uri-reference).
/// </summary>
public static class EventSchemas
{
    public const string EnvelopePath = "events/cloudevent.v1.json";

    /// <summary>Schemas resolve against this base; the host is reserved (.invalid) and never fetched.</summary>
    private static readonly Uri BaseUri = new("https://orders-contracts.invalid/");

    private static readonly FrozenDictionary<string, string> PathsByType = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [PublicEventTypes.OrderCreated] = "events/order-created.v1.json",
        [PublicEventTypes.OrderConfirmed] = "events/order-confirmed.v1.json",
        [PublicEventTypes.OrderCancelled] = "events/order-cancelled.v1.json",
        [PublicEventTypes.OrderPaid] = "events/order-paid.v1.json",
        [PublicEventTypes.OrderShipped] = "events/order-shipped.v1.json",
        [PublicEventTypes.OrderDelivered] = "events/order-delivered.v1.json",
        [PublicEventTypes.CodCashCollected] = "events/cod-cash-collected.v1.json",
        [PublicEventTypes.RefundRequested] = "events/refund-requested.v1.json",
        [PublicEventTypes.OrderRefunded] = "events/order-refunded.v1.json",
        [PublicEventTypes.OrderClosed] = "events/order-closed.v1.json",
        [PublicEventTypes.OrderSplit] = "events/order-split.v1.json",
        [PublicEventTypes.ShippingAddressChanged] = "events/shipping-address-changed.v1.json",
        [PublicEventTypes.OperatorResolution] = "events/operator-resolution.v1.json",
        [InboundEventTypes.StockReserved] = "events/inbound/inventory.stock-reserved.v1.json",
        [InboundEventTypes.StockReservationFailed] = "events/inbound/inventory.stock-reservation-failed.v1.json",
        [InboundEventTypes.StockReleased] = "events/inbound/inventory.stock-released.v1.json",
        [InboundEventTypes.PaymentAuthorized] = "events/inbound/payments.payment-authorized.v1.json",
        [InboundEventTypes.PaymentDeclined] = "events/inbound/payments.payment-declined.v1.json",
        [InboundEventTypes.PaymentCaptured] = "events/inbound/payments.payment-captured.v1.json",
        [InboundEventTypes.PaymentVoided] = "events/inbound/payments.payment-voided.v1.json",
        [InboundEventTypes.PaymentReversed] = "events/inbound/payments.payment-reversed.v1.json",
        [InboundEventTypes.RefundFailed] = "events/inbound/payments.refund-failed.v1.json",
        [InboundEventTypes.ShipmentCreated] = "events/inbound/shipping.shipment-created.v1.json",
        [InboundEventTypes.ShipmentDispatched] = "events/inbound/shipping.shipment-dispatched.v1.json",
        [InboundEventTypes.ShipmentDelivered] = "events/inbound/shipping.shipment-delivered.v1.json",
        [InboundEventTypes.ShipmentLost] = "events/inbound/shipping.shipment-lost.v1.json",
        [InboundEventTypes.CashCollected] = "events/inbound/shipping.cod-cash-collected.v1.json",
        [InboundEventTypes.PromotionsRedeemed] = "events/inbound/promotions.promotions-redeemed.v1.json",
        [InboundEventTypes.PromotionRedemptionRefused] = "events/inbound/promotions.promotion-redemption-refused.v1.json",
        [InboundEventTypes.PromotionsReleased] = "events/inbound/promotions.promotions-released.v1.json",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly ConcurrentDictionary<string, JsonSchema> Built = new(StringComparer.Ordinal);

    private static readonly EvaluationOptions Evaluation = new()
    {
        OutputFormat = OutputFormat.List,
        RequireFormatValidation = true,
    };

    /// <summary>Every event type with a schema: the public ones and the inbound ones.</summary>
    public static IReadOnlyCollection<string> EventTypes => PathsByType.Keys;

    public static bool HasSchema(string? eventType) => eventType is not null && PathsByType.ContainsKey(eventType);

    /// <summary>The schema's path relative to the contracts (e.g. <c>events/order-created.v1.json</c>): the <c>dataschema</c>.</summary>
    public static string PathOf(string eventType) =>
        eventType is not null && PathsByType.TryGetValue(eventType, out var path)
            ? path
            : throw new ArgumentException($"No schema for event type '{eventType}'.", nameof(eventType));

    /// <summary>The paths of every schema embedded in this assembly, the envelope's included.</summary>
    public static IReadOnlyList<string> EmbeddedPaths() =>
        typeof(EventSchemas).Assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith("events/", StringComparison.Ordinal) && name.EndsWith(".json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();

    /// <summary>The text of an embedded schema, by path.</summary>
    public static string ReadText(string path)
    {
        using var stream = typeof(EventSchemas).Assembly.GetManifestResourceStream(path)
            ?? throw new ArgumentException($"No embedded schema '{path}'.", nameof(path));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The built schema of an event type.</summary>
    public static JsonSchema For(string eventType) => Load(PathOf(eventType));

    public static JsonSchema Envelope => Load(EnvelopePath);

    /// <summary>
    /// Validates an event's payload (<c>data</c>) against the schema of its type. Returns the violations, each as
    /// "<c>instance location: message</c>"; empty when valid. An unknown type is one error, never an exception.
    /// </summary>
    public static IReadOnlyList<string> Validate(string eventType, JsonElement data) =>
        HasSchema(eventType) ? Evaluate(For(eventType), data) : [$"unknown event type '{eventType}'"];

    /// <summary>Validates a whole CloudEvent (structured JSON) against <c>events/cloudevent.v1.json</c>; not its data's schema.</summary>
    public static IReadOnlyList<string> ValidateEnvelope(JsonElement cloudEvent) => Evaluate(Envelope, cloudEvent);

    /// <summary>Validates an embedded schema by path (for tests and tools that hold a path, not a type).</summary>
    public static IReadOnlyList<string> ValidateAgainst(string path, JsonElement instance) => Evaluate(Load(path), instance);

    private static JsonSchema Load(string path) =>
        Built.GetOrAdd(path, static p =>
            // A registry of its own per schema: nothing leaks into the global registry, and rebuilding never collides.
            JsonSchema.FromText(ReadText(p), new BuildOptions { SchemaRegistry = new SchemaRegistry() }, new Uri(BaseUri, p)));

    private static IReadOnlyList<string> Evaluate(JsonSchema schema, JsonElement instance)
    {
        var results = schema.Evaluate(instance, Evaluation);
        if (results.IsValid) return [];
        var errors = new List<string>();
        Collect(results, errors);
        if (results.Details is { } details)
            foreach (var detail in details) Collect(detail, errors);
        return errors.Count > 0 ? errors.Distinct(StringComparer.Ordinal).ToArray() : ["the instance does not match the schema"];
    }

    private static void Collect(EvaluationResults result, List<string> errors)
    {
        if (result.Errors is null) return;
        var location = result.InstanceLocation.ToString();
        if (location.Length == 0) location = "/";
        foreach (var (keyword, message) in result.Errors)
        {
            var explained = keyword == "" && result.EvaluationPath.ToString().EndsWith("/additionalProperties", StringComparison.Ordinal)
                ? "property not allowed (additionalProperties: false)"
                : message;
            errors.Add(keyword.Length == 0 ? $"{location}: {explained}" : $"{location}: {keyword}: {explained}");
        }
    }
}
