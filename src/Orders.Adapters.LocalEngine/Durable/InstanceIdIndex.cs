namespace Orders.Infrastructure.Durable;

/// <summary>
/// The instance ids an in-memory store holds, sorted (ignoring case, as the store matches prefixes), so that a query by
/// id prefix reads the few ids that match instead of every instance the store holds. The store stays the truth: an id
/// here may be gone from it (purged, or the store was reset), and whoever reads the index checks each one and drops
/// those (<see cref="RemoveIfGone"/>, <see cref="Prune"/>).
/// </summary>
internal sealed class InstanceIdIndex
{
    private readonly SortedSet<string> _ids = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();

    public int Count
    {
        get { lock (_gate) return _ids.Count; }
    }

    public void Add(string instanceId)
    {
        lock (_gate) _ids.Add(instanceId);
    }

    /// <summary>
    /// Drops <paramref name="instanceId"/> if <paramref name="exists"/> says it is gone, asked under the index's lock: an
    /// instance created again meanwhile is never dropped (created before the check, the check sees it; after, its
    /// <see cref="Add"/> comes after the drop). Returns whether it was dropped.
    /// </summary>
    public bool RemoveIfGone(string instanceId, Func<string, bool> exists)
    {
        ArgumentNullException.ThrowIfNull(exists);
        lock (_gate) return !exists(instanceId) && _ids.Remove(instanceId);
    }

    /// <summary>The ids that start with <paramref name="prefix"/> (ignoring case), in order; at most <paramref name="max"/>.</summary>
    public IReadOnlyList<string> StartingWith(string prefix, int max)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var found = new List<string>();
        lock (_gate)
        {
            // Every id that starts with the prefix sorts at or after it and before the prefix followed by the last char.
            foreach (var id in _ids.GetViewBetween(prefix, prefix + char.MaxValue))
            {
                if (!id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) continue;
                found.Add(id);
                if (found.Count >= max) break;
            }
        }
        return found;
    }

    /// <summary>Drops every id <paramref name="exists"/> says is gone; returns how many.</summary>
    public int Prune(Func<string, bool> exists)
    {
        string[] all;
        lock (_gate) all = [.. _ids];
        var gone = all.Where(id => !exists(id)).ToList();
        lock (_gate)
            foreach (var id in gone)
                if (!exists(id)) _ids.Remove(id);
        return gone.Count;
    }
}
