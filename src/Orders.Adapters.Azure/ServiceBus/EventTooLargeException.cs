namespace Orders.Infrastructure.ServiceBus;

/// <summary>
/// One event does not fit in an empty Service Bus batch, so it can never be published as it is. The relay stops at it
/// (its checkpoint does not move past it) rather than skip it: raise the entity's maximum message size (Premium) or
/// make the event smaller.
/// </summary>
public sealed class EventTooLargeException : InvalidOperationException
{
    public EventTooLargeException(string eventId, string eventType, long bodyBytes, long maxBatchBytes)
        : base($"Event {eventId} ({eventType}) cannot be published: its message ({bodyBytes} bytes of body plus headers) " +
               $"does not fit in an empty Service Bus batch (at most {maxBatchBytes} bytes). It was not sent and is not " +
               "skipped; the relay will stop here until the entity allows larger messages or the event is made smaller.")
    {
        EventId = eventId;
        EventType = eventType;
        BodyBytes = bodyBytes;
        MaxBatchBytes = maxBatchBytes;
    }

    public string EventId { get; }

    public string EventType { get; }

    public long BodyBytes { get; }

    public long MaxBatchBytes { get; }
}
