using Orders.Domain.ValueObjects;

namespace Orders.Application.Jobs;

/// <summary>
/// The stuck-order read model: at most one entry per order, written by <see cref="DetectStuckOrders"/> and read by
/// operations (a dashboard, an alert, a person deciding what to do). Flagging the same entry again changes nothing.
/// </summary>
public interface IStuckOrderLog
{
    Task<StuckOrder?> GetAsync(OrderId orderId, CancellationToken cancellationToken = default);

    /// <summary>Records <paramref name="entry"/> as the order's entry; true when that changed what was stored.</summary>
    Task<bool> FlagAsync(StuckOrder entry, CancellationToken cancellationToken = default);

    /// <summary>Removes the order's entry; true when there was one.</summary>
    Task<bool> UnflagAsync(OrderId orderId, CancellationToken cancellationToken = default);

    /// <summary>Flagged orders, longest flagged first (then by order id), at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<StuckOrder>> ListAsync(int max, CancellationToken cancellationToken = default);
}
