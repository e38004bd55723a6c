using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orders.Domain.ValueObjects;

/// <summary>
/// Where an order is in its life. Transitions are one-way (see <see cref="OrderStateMachine"/>). Spelled one way
/// everywhere outside the code — API, events, history, read models, stores, docs — in capitals: <c>CREATED</c>,
/// <c>DELIVERED</c> (<see cref="OrderStatusNames"/>).
/// </summary>
[JsonConverter(typeof(OrderStatusJsonConverter))]
public enum OrderStatus
{
    Created,
    Confirmed,
    Paid,
    Shipped,
    Delivered,
    Closed,
    Cancelled,
    Refunded,

    /// <summary>A multi-seller order that was divided into one child order per seller. Terminal: it never ships.</summary>
    Split,
}

/// <summary>The one table of allowed status changes. Every other pair is refused.</summary>
public static class OrderStateMachine
{
    private static readonly HashSet<(OrderStatus From, OrderStatus To)> Edges =
    [
        (OrderStatus.Created, OrderStatus.Confirmed),
        (OrderStatus.Created, OrderStatus.Cancelled),
        (OrderStatus.Created, OrderStatus.Split),
        (OrderStatus.Confirmed, OrderStatus.Paid),
        (OrderStatus.Confirmed, OrderStatus.Cancelled),
        (OrderStatus.Confirmed, OrderStatus.Shipped), // cash on delivery only (FulfillmentPolicy)
        (OrderStatus.Paid, OrderStatus.Shipped),
        (OrderStatus.Paid, OrderStatus.Refunded),
        (OrderStatus.Shipped, OrderStatus.Delivered),
        (OrderStatus.Shipped, OrderStatus.Refunded), // a parcel lost in transit, refunded in full by an operator (decision 0016)
        (OrderStatus.Delivered, OrderStatus.Refunded),
        (OrderStatus.Delivered, OrderStatus.Closed),
        (OrderStatus.Refunded, OrderStatus.Closed),
    ];

    public static IReadOnlyCollection<(OrderStatus From, OrderStatus To)> AllEdges => Edges;

    public static bool IsAllowed(OrderStatus from, OrderStatus to) => Edges.Contains((from, to));

    public static bool IsTerminal(OrderStatus status) =>
        status is OrderStatus.Closed or OrderStatus.Cancelled or OrderStatus.Split;
}

/// <summary>
/// The one spelling of each status (<c>CREATED</c>, <c>CONFIRMED</c>, …, <c>SPLIT</c>): the seed's, the public
/// events', the API's, the history's and the docs'. Stored data written before this spelling was settled (history
/// entries and documents of 2026-12 and earlier say <c>Created</c>) is still read: such bytes are never rewritten, so
/// readers of stored data accept that legacy spelling too; nothing writes it any more.
/// </summary>
public static class OrderStatusNames
{
    private static readonly FrozenDictionary<OrderStatus, string> Names =
        Enum.GetValues<OrderStatus>().ToFrozenDictionary(s => s, s => s.ToString().ToUpperInvariant());

    private static readonly FrozenDictionary<string, OrderStatus> ByName =
        Names.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, OrderStatus> ByNameOrLegacy =
        Names.Select(p => KeyValuePair.Create(p.Value, p.Key))
            .Concat(Names.Select(p => KeyValuePair.Create(p.Key.ToString(), p.Key)))
            .ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every status's name, in declaration order.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Enum.GetValues<OrderStatus>().Select(s => Names[s])];

    /// <summary>The status's one spelling.</summary>
    public static string Of(OrderStatus status) =>
        Names.TryGetValue(status, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(status), status, "Not an order status.");

    /// <summary>The status named exactly <paramref name="name"/> (what requests must say).</summary>
    public static bool TryParse(string? name, out OrderStatus status) => ByName.TryGetValue(name ?? "", out status);

    /// <summary>The status stored data names: the one spelling, or the legacy one of data written before it.</summary>
    public static bool TryParseStored(string? name, out OrderStatus status) => ByNameOrLegacy.TryGetValue(name ?? "", out status);

    public static OrderStatus ParseStored(string name) =>
        TryParseStored(name, out var status) ? status : throw new FormatException($"'{name}' is not an order status.");

    /// <summary>What a query over stored data matches for <paramref name="status"/>: its name and the legacy spelling.</summary>
    public static IReadOnlyList<string> StoredSpellings(OrderStatus status) => [Of(status), status.ToString()];
}

/// <summary>Writes <see cref="OrderStatusNames.Of"/>; reads it (and, in stored data, the legacy spelling).</summary>
public sealed class OrderStatusJsonConverter : JsonConverter<OrderStatus>
{
    public override OrderStatus Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && OrderStatusNames.TryParseStored(reader.GetString(), out var status)
            ? status
            : throw new JsonException($"Expected an order status: one of {string.Join(", ", OrderStatusNames.All)}.");

    public override void Write(Utf8JsonWriter writer, OrderStatus value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(OrderStatusNames.Of(value));
    }
}
