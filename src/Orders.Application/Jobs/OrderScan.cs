using Orders.Application.Ports.Outbound;
using Orders.Domain.ValueObjects;

namespace Orders.Application.Jobs;

/// <summary>
/// Picks a run's orders: the oldest of each status in turn (round robin), so that a crowded status (hundreds of
/// orders inside their return window) cannot starve the others. Reads at most <c>statuses × (max + 1)</c> summaries.
/// </summary>
internal static class OrderScan
{
    public static readonly OrderStatus[] NonTerminal =
        [OrderStatus.Created, OrderStatus.Confirmed, OrderStatus.Paid, OrderStatus.Shipped, OrderStatus.Delivered, OrderStatus.Refunded];

    public static async Task<(IReadOnlyList<OrderSummary> Orders, bool MoreRemaining)> OldestAsync(
        IOrderStore store, IReadOnlyList<OrderStatus> statuses, int max, CancellationToken cancellationToken)
    {
        var perStatus = new List<IReadOnlyList<OrderSummary>>(statuses.Count);
        foreach (var status in statuses)
            perStatus.Add(await store.FindByStatusAsync([status], max + 1, cancellationToken).ConfigureAwait(false));

        var picked = new List<OrderSummary>(max);
        for (var rank = 0; picked.Count < max; rank++)
        {
            var any = false;
            foreach (var list in perStatus)
            {
                if (rank >= list.Count) continue;
                any = true;
                picked.Add(list[rank]);
                if (picked.Count == max) break;
            }
            if (!any) break;
        }
        return (picked, perStatus.Sum(l => l.Count) > picked.Count);
    }
}
