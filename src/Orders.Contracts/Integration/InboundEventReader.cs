using System.Text.Json;

namespace Orders.Contracts.Integration;

/// <summary>Why an inbound message was not accepted.</summary>
public enum InboundReadFailure
{
    None,

    /// <summary>Not JSON at all (or empty).</summary>
    MalformedJson,

    /// <summary>JSON, but not a CloudEvent as <c>events/cloudevent.v1.json</c> describes it.</summary>
    InvalidEnvelope,

    /// <summary>A valid envelope of a type Orders does not accept (<see cref="InboundEventTypes.All"/>).</summary>
    UnknownType,

    /// <summary>The data does not match its type's schema, or its order id is not the envelope's subject.</summary>
    InvalidData,
}

/// <summary>
/// The outcome of reading one inbound message: either the envelope and the typed event (one of the records in
/// <c>InboundEvents.cs</c>), or why not, with every error found. Reading never throws on bad input.
/// </summary>
public sealed record InboundReadResult
{
    private InboundReadResult(InboundReadFailure failure, CloudEvent? envelope, object? @event, IReadOnlyList<string> errors, string? type, string? id)
    {
        Failure = failure;
        Envelope = envelope;
        Event = @event;
        Errors = errors;
        Type = type;
        Id = id;
    }

    public InboundReadFailure Failure { get; }

    public bool IsValid => Failure == InboundReadFailure.None;

    public CloudEvent? Envelope { get; }

    /// <summary>The typed payload: <see cref="StockReserved"/>, <see cref="PaymentCaptured"/>, … (null when invalid).</summary>
    public object? Event { get; }

    public IReadOnlyList<string> Errors { get; }

    /// <summary>The CloudEvent type, when it could be read (also for an invalid message: useful in logs and dead letters).</summary>
    public string? Type { get; }

    /// <summary>The CloudEvent id, when it could be read.</summary>
    public string? Id { get; }

    internal static InboundReadResult Valid(CloudEvent envelope, object @event) =>
        new(InboundReadFailure.None, envelope, @event, [], envelope.Type, envelope.Id);

    internal static InboundReadResult Invalid(InboundReadFailure failure, IReadOnlyList<string> errors, string? type = null, string? id = null) =>
        new(failure, null, null, errors, type, id);
}

/// <summary>
/// Reads an inbound integration event: a CloudEvent in structured JSON mode (the Service Bus message body). The
/// envelope is validated against <c>events/cloudevent.v1.json</c>, the type must be one Orders accepts, the data is
/// validated against <c>events/inbound/&lt;type&gt;.json</c>, its <c>orderId</c> must be the envelope's subject, and
/// the data is deserialised into the matching record.
/// </summary>
public static class InboundEventReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    public static InboundReadResult Read(string? json) =>
        json is null ? InboundReadResult.Invalid(InboundReadFailure.MalformedJson, ["malformed JSON: no content"]) : Read(System.Text.Encoding.UTF8.GetBytes(json));

    public static InboundReadResult Read(ReadOnlyMemory<byte> utf8Json)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(utf8Json, DocumentOptions);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return InboundReadResult.Invalid(InboundReadFailure.MalformedJson, [$"malformed JSON: {e.Message}"]);
        }

        var type = StringAttribute(root, "type");
        var id = StringAttribute(root, "id");
        var envelopeErrors = EventSchemas.ValidateEnvelope(root);
        if (envelopeErrors.Count > 0)
            return InboundReadResult.Invalid(InboundReadFailure.InvalidEnvelope, envelopeErrors.Select(e => $"envelope {e}").ToArray(), type, id);

        if (type is null || !InboundEventTypes.All.Contains(type, StringComparer.Ordinal))
            return InboundReadResult.Invalid(InboundReadFailure.UnknownType, [$"unknown event type '{type}'"], type, id);

        var data = root.GetProperty("data");
        var dataErrors = EventSchemas.Validate(type, data).Select(e => $"data {e}").ToList();
        var subject = StringAttribute(root, "subject");
        if (dataErrors.Count == 0 && StringAttribute(data, "orderId") is { } orderId && !string.Equals(orderId, subject, StringComparison.Ordinal))
            dataErrors.Add($"data /orderId: '{orderId}' is not the envelope's subject '{subject}'");
        if (dataErrors.Count > 0) return InboundReadResult.Invalid(InboundReadFailure.InvalidData, dataErrors, type, id);

        try
        {
            // Built attribute by attribute: the envelope schema already vouched for each (and for the trace context
            // extensions, the only ones it allows).
            var envelope = new CloudEvent(
                id!, StringAttribute(root, "source")!, type, subject!, root.GetProperty("time").GetDateTimeOffset(), data.Clone(),
                StringAttribute(root, "specversion")!, StringAttribute(root, "datacontenttype")!, StringAttribute(root, "dataschema"),
                StringAttribute(root, "traceparent"), StringAttribute(root, "tracestate"));
            var @event = DeserializeData(type, data);
            return InboundReadResult.Valid(envelope, @event);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or FormatException or ArgumentException or InvalidOperationException)
        {
            // The schemas should have caught it; if they did not, the message is still refused, not thrown.
            return InboundReadResult.Invalid(InboundReadFailure.InvalidData, [$"data: {e.Message}"], type, id);
        }
    }

    /// <summary>
    /// The record of an inbound event's <c>data</c> kept as JSON (a parked answer): the same mapping as a message's.
    /// Throws <see cref="JsonException"/> or <see cref="InvalidOperationException"/> when it cannot be read.
    /// </summary>
    public static object ReadData(string type, string dataJson)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(dataJson);
        using var document = JsonDocument.Parse(dataJson, DocumentOptions);
        return DeserializeData(type, document.RootElement);
    }

    /// <summary>The <c>data</c> of an inbound event's record, as the contract's JSON (the inverse of <see cref="ReadData"/>).</summary>
    public static string WriteData(object data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return JsonSerializer.Serialize(data, data.GetType(), ContractJson.Options);
    }

    /// <summary>The record of each inbound type. Explicit: one line per type, no reflection.</summary>
    private static object DeserializeData(string type, JsonElement data) => type switch
    {
        InboundEventTypes.StockReserved => As<StockReserved>(data),
        InboundEventTypes.StockReservationFailed => As<StockReservationFailed>(data),
        InboundEventTypes.StockReleased => As<StockReleased>(data),
        InboundEventTypes.PaymentAuthorized => As<PaymentAuthorized>(data),
        InboundEventTypes.PaymentDeclined => As<PaymentDeclined>(data),
        InboundEventTypes.PaymentCaptured => As<PaymentCaptured>(data),
        InboundEventTypes.PaymentVoided => As<PaymentVoided>(data),
        InboundEventTypes.PaymentReversed => As<PaymentReversed>(data),
        InboundEventTypes.RefundFailed => As<RefundFailed>(data),
        InboundEventTypes.ShipmentCreated => As<ShipmentCreated>(data),
        InboundEventTypes.ShipmentDispatched => As<ShipmentDispatched>(data),
        InboundEventTypes.ShipmentDelivered => As<ShipmentDelivered>(data),
        InboundEventTypes.ShipmentLost => As<ShipmentLost>(data),
        InboundEventTypes.CashCollected => As<CashCollected>(data),
        InboundEventTypes.PromotionsRedeemed => As<PromotionsRedeemed>(data),
        InboundEventTypes.PromotionRedemptionRefused => As<PromotionRedemptionRefused>(data),
        InboundEventTypes.PromotionsReleased => As<PromotionsReleased>(data),
        _ => throw new InvalidOperationException($"No record for inbound event type '{type}'."),
    };

    private static T As<T>(JsonElement data) where T : class =>
        data.Deserialize<T>(ContractJson.Options) ?? throw new JsonException($"The data of a {typeof(T).Name} is null.");

    private static string? StringAttribute(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
