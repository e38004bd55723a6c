using System.Collections.Concurrent;
using Orders.Application.Ports.Outbound;

namespace Orders.Infrastructure.InMemory;

public sealed class InMemoryInbox : IInbox
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _handled = new(StringComparer.Ordinal);

    public Task<bool> WasHandledAsync(string eventId, CancellationToken cancellationToken = default) => Task.FromResult(_handled.ContainsKey(eventId));

    public Task MarkHandledAsync(string eventId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        _handled.TryAdd(eventId, at);
        return Task.CompletedTask;
    }
}
