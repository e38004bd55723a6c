using Orders.Application.Jobs;
using Orders.Domain.ValueObjects;

namespace Orders.Infrastructure.Jobs;

/// <summary>The stuck-order read model in memory, for tests and quick local runs. Same contract as <c>SqliteStuckOrderLog</c>.</summary>
public sealed class InMemoryStuckOrderLog : IStuckOrderLog
{
    private readonly Lock _lock = new();
    private readonly Dictionary<OrderId, StuckOrder> _entries = [];

    public Task<StuckOrder?> GetAsync(OrderId orderId, CancellationToken cancellationToken = default)
    {
        lock (_lock) return Task.FromResult(_entries.GetValueOrDefault(orderId));
    }

    public Task<bool> FlagAsync(StuckOrder entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_lock)
        {
            if (_entries.TryGetValue(entry.OrderId, out var stored) && stored == entry) return Task.FromResult(false);
            _entries[entry.OrderId] = entry;
            return Task.FromResult(true);
        }
    }

    public Task<bool> UnflagAsync(OrderId orderId, CancellationToken cancellationToken = default)
    {
        lock (_lock) return Task.FromResult(_entries.Remove(orderId));
    }

    public Task<IReadOnlyList<StuckOrder>> ListAsync(int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        lock (_lock)
        {
            IReadOnlyList<StuckOrder> list = _entries.Values.OrderBy(e => e.DetectedAt.UtcTicks)
                .ThenBy(e => e.OrderId.Value, StringComparer.Ordinal).Take(max).ToArray();
            return Task.FromResult(list);
        }
    }
}
