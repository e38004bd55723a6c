using Orders.Application.Views;

namespace Orders.Infrastructure.Sqlite;

/// <summary>
/// The state views this process saved last, by order: a read of an order's state whose row still holds the version
/// saved here returns the view that was serialised into that row instead of deserialising the row again (every
/// answer from another domain, every gateway step and every status read reads the state). The row stays the truth:
/// only a view whose version the row still has is used, and a view is kept only after its save committed. Bounded:
/// the oldest are dropped past <see cref="Capacity"/> (orders in flight are the ones read again soon).
/// </summary>
internal sealed class SavedStates(int capacity = SavedStates.DefaultCapacity)
{
    public const int DefaultCapacity = 4_096;

    private readonly Dictionary<string, OrderView> _views = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly Lock _gate = new();

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    public int Count
    {
        get { lock (_gate) return _views.Count; }
    }

    /// <summary>Keeps <paramref name="view"/> as the state of its order at its version (call only once its save committed).</summary>
    public void Saved(OrderView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var id = view.OrderId.Value;
        lock (_gate)
        {
            if (_views.TryGetValue(id, out var kept) && kept.Version >= view.Version) return;
            if (!_views.ContainsKey(id))
            {
                while (_views.Count >= Capacity && _order.TryDequeue(out var oldest)) _views.Remove(oldest);
                _order.Enqueue(id);
            }
            _views[id] = view;
        }
    }

    /// <summary>The view saved here for the order at exactly <paramref name="version"/>, if any.</summary>
    public OrderView? At(string orderId, long version)
    {
        lock (_gate) return _views.TryGetValue(orderId, out var view) && view.Version == version ? view : null;
    }
}
