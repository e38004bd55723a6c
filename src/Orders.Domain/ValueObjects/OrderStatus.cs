using System.Text.Json.Serialization;

namespace Orders.Domain.ValueObjects;

/// <summary>Where an order is in its life. Transitions are one-way (see <see cref="OrderStateMachine"/>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OrderStatus>))]
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
