using Orders.Application.Ports.Outbound;
using Orders.Domain.ValueObjects;

namespace Orders.Application.Jobs;

/// <summary>
/// Picks a run's orders among those in the given statuses, so that a bounded run still reaches every order in time.
/// The store lists a status oldest first and has no continuation, so:
/// <list type="bullet">
/// <item>statuses take turns (round robin, the first turn rotating from run to run), so a crowded status (hundreds
/// of orders inside their return window) cannot starve the others;</item>
/// <item>each status keeps a <see cref="KeysetWalk{T}"/>, so consecutive runs walk through its oldest
/// <c>scanLimit</c> orders and then start over. A walk resumes after the last order it took, by the list's own order
/// (creation time, then order id), not at a position: orders leaving the status meanwhile (the common case, as they
/// move on) shift nothing, so none is passed over.</item>
/// </list>
/// A run reads at most <c>scanLimit + max + 1</c> summaries per status and picks at most <c>max</c> orders.
/// </summary>
internal sealed class OrderScan(IReadOnlyList<OrderStatus> statuses)
{
    public static readonly OrderStatus[] NonTerminal =
        [OrderStatus.Created, OrderStatus.Confirmed, OrderStatus.Paid, OrderStatus.Shipped, OrderStatus.Delivered, OrderStatus.Refunded];

    /// <summary>The order a store lists a status in (<see cref="IOrderStore.FindByStatusAsync"/>): creation time, then order id.</summary>
    public static readonly IComparer<OrderSummary> ListOrder = Comparer<OrderSummary>.Create((a, b) =>
    {
        var byTime = a.CreatedAt.CompareTo(b.CreatedAt);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.OrderId.Value, b.OrderId.Value);
    });

    private readonly (OrderStatus Status, KeysetWalk<OrderSummary> Walk)[] _walks =
        [.. statuses.Select(s => (s, new KeysetWalk<OrderSummary>(ListOrder)))];

    // One run at a time walks (a run asked for by hand may overlap a scheduled one): read, pick and move on together.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _firstTurn;

    public async Task<(IReadOnlyList<OrderSummary> Orders, bool MoreRemaining)> NextAsync(
        IOrderStore store, int max, int scanLimit, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await NextCoreAsync(store, max, scanLimit, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<(IReadOnlyList<OrderSummary> Orders, bool MoreRemaining)> NextCoreAsync(
        IOrderStore store, int max, int scanLimit, CancellationToken cancellationToken)
    {
        if (_walks.Length == 0) return ([], false);
        var limit = Math.Max(scanLimit, max);
        var windows = new List<(int Start, int End, IReadOnlyList<OrderSummary> Found)>(_walks.Length);
        foreach (var (status, walk) in _walks)
        {
            var found = await store.FindByStatusAsync([status], walk.ReadCount(max, limit), cancellationToken).ConfigureAwait(false);
            windows.Add((walk.Start(found, limit), Math.Min(found.Count, limit), found));
        }

        // Statuses take turns, the first turn moving on each run, so the slots a batch does not divide evenly (and a
        // batch smaller than the number of statuses) go to each status in turn rather than always to the first.
        var picked = new List<OrderSummary>(max);
        var taken = new int[windows.Count];
        var first = _firstTurn;
        _firstTurn = (first + 1) % windows.Count;
        for (var progressed = true; progressed && picked.Count < max;)
        {
            progressed = false;
            for (var turn = 0; turn < windows.Count && picked.Count < max; turn++)
            {
                var i = (first + turn) % windows.Count;
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
            more |= _walks[i].Walk.MoveTo(found, start, taken[i], limit) || found.Count > limit;
        }
        return (picked, more);
    }
}
