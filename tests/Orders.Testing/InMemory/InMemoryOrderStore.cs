using System.Globalization;
using Orders.Application;
using Orders.Application.Idempotency;
using Orders.Application.Views;
using Orders.Application.Ports.Outbound;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;
using Orders.Application.Persistence;

namespace Orders.Infrastructure.InMemory;

/// <summary>
/// A store in memory, for fast unit tests. It keeps entries in their stored JSON form, so a test against it also
/// proves the entries survive serialisation. Same guarantees as every <see cref="IOrderStore"/> (the conformance
/// suite runs against it): one lock makes each save atomic and ordered.
/// </summary>
public sealed class InMemoryOrderStore : IOrderStore, IOrderChangeLog
{
    private readonly Lock _lock = new();
    private readonly Dictionary<OrderId, List<string>> _entries = [];
    private readonly Dictionary<OrderId, OrderSummary> _orders = [];
    private readonly Dictionary<OrderId, string> _states = [];
    private readonly Dictionary<(OrderId, string), IdempotencyRecord> _idempotency = [];
    private readonly List<(OrderId OrderId, string Entry)> _log = [];
    private readonly Dictionary<string, int> _checkpoints = new(StringComparer.Ordinal);

    /// <summary>Test seam: runs after the save is staged and before it becomes visible; a throw discards it.</summary>
    public Action<Order>? BeforeCommit { get; set; }

    public Task<Order?> LoadAsync(OrderId orderId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_entries.TryGetValue(orderId, out var stored) ? StoredJson.Rebuild(orderId, stored) : null);
        }
    }

    public Task<IReadOnlyList<StoredHistoryEntry>> ReadStoredHistoryAsync(OrderId orderId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<StoredHistoryEntry>>(_entries.TryGetValue(orderId, out var stored)
                ? [.. stored.Select((json, i) => StoredJson.ReadStored(i + 1, json))]
                : []);
        }
    }

    public Task<IReadOnlyList<OrderId>> ListOrderIdsAsync(OrderId? after, int max, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<OrderId>>([.. _entries.Keys
                .Where(id => after is null || string.CompareOrdinal(id.Value, after.Value) > 0)
                .OrderBy(id => id.Value, StringComparer.Ordinal).Take(Math.Max(0, max))]);
        }
    }

    public Task<StoredOrderState?> ReadStateAsync(OrderId orderId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_states.TryGetValue(orderId, out var state) && _orders.TryGetValue(orderId, out var summary)
                ? new StoredOrderState(ApplicationJson.Deserialize<OrderView>(state), summary.UpdatedAt)
                : null);
        }
    }

    public Task<SaveOutcome> SaveAsync(Order order, IdempotencyRecord? idempotency = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(order);
        var staged = order.UncommittedEntries.Select(StoredJson.WriteEntry).ToArray();
        var state = ApplicationJson.Serialize(OrderView.From(order, withHistory: false));
        lock (_lock)
        {
            var version = _entries.TryGetValue(order.Id, out var existing) ? existing.Count : 0;
            if (version != order.PersistedVersion) return Task.FromResult(SaveOutcome.Conflict);
            BeforeCommit?.Invoke(order);

            if (staged.Length > 0)
            {
                if (existing is null) _entries[order.Id] = existing = [];
                existing.AddRange(staged);
                _log.AddRange(staged.Select(e => (order.Id, e)));
                var created = _orders.TryGetValue(order.Id, out var summary) ? summary.CreatedAt : order.CreatedAt;
                _states[order.Id] = state;
                _orders[order.Id] = new OrderSummary(order.Id, order.Status, order.Version, created, order.History[^1].At, order.PaymentDueBy);
            }
            if (idempotency is not null) _idempotency[(idempotency.OrderId, idempotency.RecordId)] = idempotency;
        }
        order.MarkPersisted();
        return Task.FromResult(SaveOutcome.Saved);
    }

    public Task<IdempotencyRecord?> FindIdempotencyRecordAsync(OrderId orderId, string recordId, CancellationToken cancellationToken = default)
    {
        lock (_lock) return Task.FromResult(_idempotency.GetValueOrDefault((orderId, recordId)));
    }

    public Task<int> PurgeExpiredIdempotencyRecordsAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var expired = _idempotency.Where(r => r.Value.IsExpired(now)).OrderBy(r => r.Value.ExpiresAt).Take(max).Select(r => r.Key).ToArray();
            foreach (var key in expired) _idempotency.Remove(key);
            return Task.FromResult(expired.Length);
        }
    }

    public Task<IReadOnlyList<OrderSummary>> FindByStatusAsync(IReadOnlyCollection<OrderStatus> statuses, int max, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<OrderSummary> found = _orders.Values.Where(o => statuses.Contains(o.Status))
                .OrderBy(o => o.CreatedAt).ThenBy(o => o.OrderId.Value, StringComparer.Ordinal).Take(max).ToArray();
            return Task.FromResult(found);
        }
    }

    public Task<ChangeBatch> ReadAsync(string consumer, int maxEvents, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var from = _checkpoints.GetValueOrDefault(consumer);
            var page = _log.Skip(from).Take(maxEvents).Select(e => new StoredEvent(e.OrderId, StoredJson.ReadEntry(e.Entry))).ToArray();
            return Task.FromResult(new ChangeBatch(page, (from + page.Length).ToString(CultureInfo.InvariantCulture)));
        }
    }

    public Task CommitAsync(string consumer, string checkpoint, CancellationToken cancellationToken = default)
    {
        var position = int.Parse(checkpoint, CultureInfo.InvariantCulture);
        lock (_lock) _checkpoints[consumer] = Math.Max(position, _checkpoints.GetValueOrDefault(consumer));
        return Task.CompletedTask;
    }
}
