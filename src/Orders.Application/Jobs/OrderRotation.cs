using Orders.Application.Ports.Outbound;
using Orders.Domain.ValueObjects;

namespace Orders.Application.Jobs;

/// <summary>
/// A walk through every order, whatever its status, in order-id order (<see cref="IOrderStore.ListOrderIdsAsync"/>):
/// each run takes the next batch after where the last one stopped and starts over from the first order at the end,
/// so with N orders every order comes round within N / batch runs. New orders join the walk wherever their ids sort.
/// </summary>
internal sealed class OrderRotation
{
    private readonly Lock _lock = new();
    private OrderId? _after;

    /// <summary>The next <paramref name="batch"/> orders (fewer only when there are fewer orders in all), wrapping round.</summary>
    public async Task<IReadOnlyList<OrderId>> NextAsync(IOrderStore store, int batch, CancellationToken cancellationToken)
    {
        OrderId? after;
        lock (_lock) after = _after;
        var ids = new List<OrderId>(await store.ListOrderIdsAsync(after, batch, cancellationToken).ConfigureAwait(false));
        if (ids.Count < batch && after is not null)
        {
            // The end of the walk: start over from the first order, up to where this batch began.
            foreach (var id in await store.ListOrderIdsAsync(null, batch - ids.Count, cancellationToken).ConfigureAwait(false))
            {
                if (string.CompareOrdinal(id.Value, after.Value) > 0 || ids.Contains(id)) break;
                ids.Add(id);
            }
        }
        lock (_lock) _after = ids.Count == 0 ? null : ids[^1];
        return ids;
    }
}
