using Orders.Domain.ValueObjects;

namespace Orders.Application.ReadModels;

/// <summary>One order in a buyer's or a seller's list.</summary>
public sealed record OrderListItem(
    OrderId OrderId,
    BuyerId BuyerId,
    IReadOnlyList<SellerId> Sellers,
    OrderStatus Status,
    OrderType Type,
    Money Total,
    int ItemCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version);

/// <summary>A page of a list and the opaque token for the next one (null on the last page).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? ContinuationToken);

/// <summary>How many of a seller's orders are in one status, and what they are worth (one amount per currency).</summary>
public sealed record StatusTotal(OrderStatus Status, int Count, IReadOnlyList<Money> Value);

/// <summary>
/// An order waiting on the seller: paid (or COD confirmed) and not shipped, with how long it has waited and the
/// order version the row reflects (read models follow the store eventually; GET /orders/{id} has the current one).
/// </summary>
public sealed record AwaitingShipment(OrderId OrderId, long Version, DateTimeOffset ReadySince, bool Late);

/// <summary>A seller's operational view: counts and value by status, what waits for shipment, what is late.</summary>
public sealed record SellerDashboard(
    SellerId SellerId,
    IReadOnlyList<StatusTotal> ByStatus,
    IReadOnlyList<AwaitingShipment> AwaitingShipment,
    int LateShipments,
    DateTimeOffset AsOf);
