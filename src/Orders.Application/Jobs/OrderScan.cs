using Orders.Application.Ports.Outbound;
using Orders.Domain.ValueObjects;

namespace Orders.Application.Jobs;

/// <summary>
/// Picks a run's orders among those in the given statuses, so that a bounded run still reaches every order in time.
/// The store lists a status oldest first and has no continuation, so:
/// <list type="bullet">
/// <item>statuses take turns (round robin), so a crowded status (hundreds of orders inside their return window)
/// cannot starve the others;</item>
/// <item>each status keeps a position that moves on by what was picked, so consecutive runs walk through its oldest
/// <c>scanLimit</c> orders and then start over (the position lives in the job instance; a restart starts over).</item>
/// </list>
/// A run reads at most <c>scanLimit + 1</c> summaries per status and picks at most <c>max</c> orders.
/// </summary>
internal sealed class OrderScan(IReadOnlyList<OrderStatus> statuses)
{
    public static readonly OrderStatus[] NonTerminal =
        [OrderStatus.Created, OrderStatus.Confirmed, OrderStatus.Paid, OrderStatus.Shipped, OrderStatus.Delivered, OrderStatus.Refunded];

    private readonly Lock _lock = new();
    private readonly Dictionary<OrderStatus, int> _positions = statuses.ToDictionary(s => s, _ => 0);

    public async Task<(IReadOnlyList<OrderSummary> Orders, bool MoreRemaining)> NextAsync(
        IOrderStore store, int max, int scanLimit, CancellationToken cancellationToken)
    {
        var limit = Math.Max(scanLimit, max);
        var windows = new List<(OrderStatus Status, int Start, IReadOnlyList<OrderSummary> Found)>(statuses.Count);
        foreach (var status in statuses)
        {
            int start;
            lock (_lock) start = _positions[status];
            var found = await store.FindByStatusAsync([status], Math.Min(start + max, limit) + 1, cancellationToken).ConfigureAwait(false);
            if (start >= Math.Min(found.Count, limit)) start = 0; // walked past the end (or orders left): start over
            windows.Add((status, start, found));
        }

        var picked = new List<OrderSummary>(max);
        var taken = new int[windows.Count];
        for (var progressed = true; progressed && picked.Count < max;)
        {
            progressed = false;
            for (var i = 0; i < windows.Count && picked.Count < max; i++)
            {
                var (_, start, found) = windows[i];
                var index = start + taken[i];
                if (index >= Math.Min(found.Count, limit)) continue;
                picked.Add(found[index]);
                taken[i]++;
                progressed = true;
            }
        }

        var more = false;
        lock (_lock)
        {
            for (var i = 0; i < windows.Count; i++)
            {
                var (status, start, found) = windows[i];
                var next = start + taken[i];
                var remaining = next < Math.Min(found.Count, limit);
                more |= remaining || (found.Count > limit && next >= limit);
                _positions[status] = remaining ? next : 0;
            }
        }
        return (picked, more);
    }
}
