using System.Collections.Concurrent;
using Orders.Application.Ports.Outbound;

namespace Orders.Infrastructure.InMemory;

public sealed class InMemoryInbox : IInbox
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _handled = new(StringComparer.Ordinal);
    private readonly Lock _parkedLock = new();
    private readonly Dictionary<string, List<ParkedAnswer>> _parked = new(StringComparer.Ordinal);

    public Task<bool> WasHandledAsync(string eventId, CancellationToken cancellationToken = default) => Task.FromResult(_handled.ContainsKey(eventId));

    public Task MarkHandledAsync(string eventId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        _handled.TryAdd(eventId, at);
        return Task.CompletedTask;
    }

    public Task ParkAsync(ParkedAnswer answer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(answer);
        lock (_parkedLock)
        {
            if (!_parked.TryGetValue(answer.OrderId, out var list)) _parked[answer.OrderId] = list = [];
            if (!list.Exists(p => p.EventId == answer.EventId)) list.Add(answer);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ParkedAnswer>> ParkedForAsync(string orderId, CancellationToken cancellationToken = default)
    {
        lock (_parkedLock)
            return Task.FromResult<IReadOnlyList<ParkedAnswer>>(_parked.TryGetValue(orderId, out var list) ? [.. list] : []);
    }

    public Task UnparkAsync(string orderId, string eventId, CancellationToken cancellationToken = default)
    {
        lock (_parkedLock)
        {
            if (_parked.TryGetValue(orderId, out var list) && list.RemoveAll(p => p.EventId == eventId) > 0 && list.Count == 0)
                _parked.Remove(orderId);
        }
        return Task.CompletedTask;
    }
}
