using System.Buffers;
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
        // The envelopes' UTF-8 bytes as they are, one per line: no detour through UTF-16 text (this runs for every
        // relayed event).
        var lines = new ArrayBufferWriter<byte>(Math.Max(1, events.Count) * 1024);
        foreach (var stored in events)
        {
            lines.Write(ContractJson.SerializeCloudEvent(PublicEventMapper.ToCloudEvent(stored, source)));
            lines.Write("\n"u8);
        }
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 1, useAsync: true);
            await file.WriteAsync(lines.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }
}
