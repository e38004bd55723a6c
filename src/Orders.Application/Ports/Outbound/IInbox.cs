namespace Orders.Application.Ports.Outbound;

/// <summary>
/// Remembers which inbound integration events were handled, so a redelivered message is recognised and ignored.
/// Recorded after handling: a crash in between means the event is handled again, which every handler tolerates.
/// </summary>
public interface IInbox
{
    Task<bool> WasHandledAsync(string eventId, CancellationToken cancellationToken = default);

    Task MarkHandledAsync(string eventId, DateTimeOffset at, CancellationToken cancellationToken = default);
}
