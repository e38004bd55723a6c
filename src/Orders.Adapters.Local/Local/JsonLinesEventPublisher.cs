using System.Text;
using Orders.Application.Integration.PublicEvents;
using Orders.Application.Ports.Outbound;
using Orders.Contracts.Integration;

namespace Orders.Infrastructure.Local;

/// <summary>
/// The local host's outbound "topic": every relayed event appended as one CloudEvent per line to a file, exactly as
/// it would be published to Service Bus. At-least-once like the real thing: a replayed batch appends its events
/// again, with the same ids, so readers de-duplicate by id just as Service Bus duplicate detection would.
/// </summary>
public sealed class JsonLinesEventPublisher(string path, string source = "/orders/local") : IEventPublisher
{
    private readonly SemaphoreSlim _lock = new(1, 1);

    public async Task PublishAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var lines = new StringBuilder();
        foreach (var stored in events)
            lines.Append(Encoding.UTF8.GetString(ContractJson.SerializeCloudEvent(PublicEventMapper.ToCloudEvent(stored, source)))).Append('\n');
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await File.AppendAllTextAsync(path, lines.ToString(), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }
}
