namespace Orders.Infrastructure.Sqlite;

/// <summary>
/// What this process saved last, by key and version (an order's state view, an order's read-model detail): a read of
/// a row that still holds the version saved here returns the value that was serialised into that row instead of
/// deserialising the row again. The row stays the truth: only a value whose version the row still has is used, and a
/// value is kept only after its save committed, so a row another process wrote since, at any other version, is read
/// from the file. Values must be immutable snapshots (they are handed to every reader). Bounded: past
/// <see cref="Capacity"/> keys the oldest are dropped (orders in flight are the ones read again soon).
/// </summary>
internal sealed class LastSaved<T>(Func<T, string> keyOf, Func<T, long> versionOf, int capacity = LastSaved<T>.DefaultCapacity)
    where T : class
{
    public const int DefaultCapacity = 2_048;

    private readonly Dictionary<string, T> _values = new(StringComparer.Ordinal);
    private readonly Queue<string> _arrival = new();
    private readonly Lock _gate = new();

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    public int Count
    {
        get { lock (_gate) return _values.Count; }
    }

    /// <summary>Keeps <paramref name="value"/> at its version (call only once its save committed). An older version than the one kept is ignored.</summary>
    public void Saved(T value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var key = keyOf(value);
        lock (_gate)
        {
            if (_values.TryGetValue(key, out var kept))
            {
                if (versionOf(kept) < versionOf(value)) _values[key] = value;
                return;
            }
            while (_values.Count >= Capacity && _arrival.TryDequeue(out var oldest)) _values.Remove(oldest);
            _arrival.Enqueue(key);
            _values[key] = value;
        }
    }

    /// <summary>The value saved here for <paramref name="key"/> at exactly <paramref name="version"/>, if any.</summary>
    public T? At(string key, long version)
    {
        lock (_gate) return _values.TryGetValue(key, out var value) && versionOf(value) == version ? value : null;
    }
}
