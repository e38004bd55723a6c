namespace Orders.Application.Jobs;

/// <summary>
/// Where a bounded walk through an oldest-first list resumes. The list has no continuation, so each run reads from the
/// top to <see cref="ReadCount"/>, takes its batch from <see cref="Start"/>, and moves on; past the end (or past the
/// scan limit) it starts over. Items leaving the list shift it a little: the walk is approximate, and every item still
/// comes round within a cycle or two.
/// </summary>
internal sealed class ListPosition
{
    private readonly Lock _lock = new();
    private int _next;

    /// <summary>How many items to read: the batch after the position, and one more to see whether more follow.</summary>
    public int ReadCount(int batch, int limit)
    {
        lock (_lock) return Math.Min(_next + batch, limit) + 1;
    }

    /// <summary>Where this run's batch starts in a list of <paramref name="count"/> items read.</summary>
    public int Start(int count, int limit)
    {
        lock (_lock) return _next >= Math.Min(count, limit) ? 0 : _next;
    }

    /// <summary>Records that the run took items up to <paramref name="next"/>; true when more remain after it.</summary>
    public bool MoveTo(int next, int count, int limit)
    {
        var remaining = next < Math.Min(count, limit);
        lock (_lock) _next = remaining ? next : 0;
        return remaining;
    }
}
