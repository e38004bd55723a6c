namespace Orders.Application.Ports.Outbound;

/// <summary>
/// Publishes stored order events to the outside world (Service Bus, as CloudEvents). Called by the outbox relay with
/// events already committed; publishing the same event twice must be harmless (message id = event id).
/// </summary>
public interface IEventPublisher
{
    Task PublishAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken = default);
}
