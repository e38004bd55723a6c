using Orders.Application.Ports.Outbound;
using Orders.Domain.ValueObjects;

namespace Orders.Application.Jobs;

/// <summary>
/// Picks a run's orders among those in the given statuses, so that a bounded run still reaches every order in time.
/// The store lists a status oldest first and has no continuation, so:
/// <list type="bullet">
/// <item>statuses take turns (round robin), so a crowded status (hundreds of orders inside their return window)
/// cannot starve the others;</item>
/// <item>each status keeps a <see cref="ListPosition"/>, so consecutive runs walk through its oldest
/// <c>scanLimit</c> orders and then start over.</item>
/// </list>
/// A run reads at most <c>scanLimit + 1</c> summaries per status and picks at most <c>max</c> orders.
/// </summary>
internal sealed class OrderScan(IReadOnlyList<OrderStatus> statuses)
{
    public static readonly OrderStatus[] NonTerminal =
        [OrderStatus.Created, OrderStatus.Confirmed, OrderStatus.Paid, OrderStatus.Shipped, OrderStatus.Delivered, OrderStatus.Refunded];

    private readonly (OrderStatus Status, ListPosition Position)[] _positions = [.. statuses.Select(s => (s, new ListPosition()))];

    public async Task<(IReadOnlyList<OrderSummary> Orders, bool MoreRemaining)> NextAsync(
        IOrderStore store, int max, int scanLimit, CancellationToken cancellationToken)
    {
        var limit = Math.Max(scanLimit, max);
        var windows = new List<(int Start, int End, IReadOnlyList<OrderSummary> Found)>(_positions.Length);
        foreach (var (status, position) in _positions)
        {
            var found = await store.FindByStatusAsync([status], position.ReadCount(max, limit), cancellationToken).ConfigureAwait(false);
            windows.Add((position.Start(found.Count, limit), Math.Min(found.Count, limit), found));
        }

        var picked = new List<OrderSummary>(max);
        var taken = new int[windows.Count];
        for (var progressed = true; progressed && picked.Count < max;)
        {
            progressed = false;
            for (var i = 0; i < windows.Count && picked.Count < max; i++)
            {
                var index = windows[i].Start + taken[i];
                if (index >= windows[i].End) continue;
                picked.Add(windows[i].Found[index]);
                taken[i]++;
                progressed = true;
            }
        }

        var more = false;
        for (var i = 0; i < windows.Count; i++)
        {
            var (start, _, found) = windows[i];
            more |= _positions[i].Position.MoveTo(start + taken[i], found.Count, limit) || found.Count > limit;
        }
        return (picked, more);
    }
}
