using Orders.Domain.ValueObjects;

namespace Orders.Application.ReadModels;

/// <summary>
/// How both stores turn a seller's rows into a <see cref="SellerDashboard"/>, so that they agree to the item: statuses
/// in the state machine's order with one amount per currency (by code), waiting orders oldest first.
/// </summary>
public static class SellerDashboards
{
    /// <summary>Late once it has waited longer than the service level.</summary>
    public static bool IsLate(DateTimeOffset readySince, DateTimeOffset now, TimeSpan serviceLevel) => now - readySince > serviceLevel;

    /// <summary>The latest ready-since that is late at <paramref name="now"/> is anything strictly before this.</summary>
    public static DateTimeOffset LateBefore(DateTimeOffset now, TimeSpan serviceLevel) => now - serviceLevel;

    /// <param name="totals">One row per (status, currency): how many orders and the seller's share of their value.</param>
    /// <param name="oldestAwaiting">The oldest waiting orders, oldest first (ties by order id).</param>
    /// <param name="lateCount">How many of all waiting orders are late.</param>
    public static SellerDashboard Build(SellerId sellerId, IEnumerable<(OrderStatus Status, Money Value, int Count)> totals,
        IEnumerable<(OrderId OrderId, long Version, DateTimeOffset ReadySince)> oldestAwaiting, int lateCount, DateTimeOffset now, TimeSpan serviceLevel)
    {
        ArgumentNullException.ThrowIfNull(totals);
        ArgumentNullException.ThrowIfNull(oldestAwaiting);
        // Rows stored under both spellings of a status (before and after the one spelling) are one total.
        totals = totals.GroupBy(t => (t.Status, t.Value.Currency))
            .Select(g => (g.Key.Status, Money.Of(g.Sum(t => t.Value.Minor), g.Key.Currency), g.Sum(t => t.Count))).ToArray();
        var byStatus = totals.GroupBy(t => t.Status).OrderBy(g => g.Key)
            .Select(g => new StatusTotal(g.Key, g.Sum(t => t.Count),
                [.. g.OrderBy(t => t.Value.Currency.Code, StringComparer.Ordinal).Select(t => t.Value)]))
            .ToArray();
        var awaiting = oldestAwaiting.Select(a => new AwaitingShipment(a.OrderId, a.Version, a.ReadySince, IsLate(a.ReadySince, now, serviceLevel))).ToArray();
        return new SellerDashboard(sellerId, byStatus, awaiting, lateCount, now);
    }
}
