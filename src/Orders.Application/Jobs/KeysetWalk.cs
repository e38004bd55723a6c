namespace Orders.Application.Jobs;

/// <summary>
/// Where a bounded walk through an ordered list without a continuation resumes (a status's orders oldest first, the
/// flagged orders longest flagged first): each run reads from the top, takes its batch after the last item it took
/// (compared by the list's own order, not found at a position), and moves on; past the end, or past the scan limit,
/// it starts over. Items leaving the list meanwhile (the common case: orders move on, flags clear) shift nothing, so
/// none is passed over. An item joining before the mark is met on the next cycle; the read reaches a batch further
/// than the walk's next batch, so up to a batch of such joins do not end a cycle early.
/// </summary>
internal sealed class KeysetWalk<T>(IComparer<T> order) where T : class
{
    private readonly Lock _lock = new();
    private T? _last;
    private int _walked;

    /// <summary>How many items to read from the top: the walk so far, its next batch, a batch of slack, and one more to see whether more follow.</summary>
    public int ReadCount(int batch, int limit)
    {
        lock (_lock) return Math.Min(_walked + batch, limit) + batch + 1;
    }

    /// <summary>The index of the first item after the mark among the first <paramref name="limit"/>, or 0 to start over.</summary>
    public int Start(IReadOnlyList<T> found, int limit)
    {
        T? last;
        lock (_lock) last = _last;
        if (last is null) return 0;
        var end = Math.Min(found.Count, limit);
        for (var i = 0; i < end; i++)
            if (order.Compare(found[i], last) > 0) return i;
        return 0;
    }

    /// <summary>Records that the run took <paramref name="taken"/> items from <paramref name="start"/>; true when more remain after them.</summary>
    public bool MoveTo(IReadOnlyList<T> found, int start, int taken, int limit)
    {
        var next = start + taken;
        var remaining = next < Math.Min(found.Count, limit);
        lock (_lock)
        {
            if (!remaining)
            {
                _last = null;
                _walked = 0;
            }
            else if (taken > 0)
            {
                _last = found[next - 1];
                _walked = next;
            }
        }
        return remaining;
    }
}
