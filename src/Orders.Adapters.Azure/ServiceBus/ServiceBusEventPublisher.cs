using Azure.Messaging.ServiceBus;
using Orders.Application.Integration.PublicEvents;
using Orders.Application.Ports.Outbound;
using Orders.Contracts.Integration;

namespace Orders.Infrastructure.ServiceBus;

/// <summary>
/// Publishes stored order events to the <c>order-events</c> topic as CloudEvents 1.0 in structured JSON mode: the body
/// is the whole envelope (<see cref="ContractJson.SerializeCloudEvent"/>), content type
/// <see cref="CloudEventsContentType"/>. Message id = event id, so the topic's duplicate detection drops a re-publish;
/// session id = order id, so session-aware subscribers see each order's events one at a time and in order.
/// <para>
/// Messages go out in the order given, in as few batches as fit, one batch after the other (never in parallel), so
/// the relay's commit order per order is the order on the topic. If a send fails, the exception propagates and the
/// relay does not commit; the batches already sent come again next time and are dropped as duplicates.
/// </para>
/// </summary>
public sealed class ServiceBusEventPublisher : IEventPublisher
{
    public const string CloudEventsContentType = "application/cloudevents+json; charset=utf-8";

    /// <summary>Application property names of the CloudEvents AMQP binding, so consumers can filter without parsing the body.</summary>
    public const string TypeProperty = "cloudEvents:type";

    public const string IdProperty = "cloudEvents:id";

    public const string SourceProperty = "cloudEvents:source";

    private readonly ServiceBusSender _sender;
    private readonly ServiceBusOptions _options;

    public ServiceBusEventPublisher(ServiceBusSender sender, ServiceBusOptions? options = null)
    {
        _sender = sender ?? throw new ArgumentNullException(nameof(sender));
        _options = options ?? new ServiceBusOptions();
        ArgumentException.ThrowIfNullOrWhiteSpace(_options.EventSource, "options.EventSource");
    }

    public async Task PublishAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0) return;

        ServiceBusMessageBatch? batch = null;
        string? batchSession = null;
        try
        {
            foreach (var stored in events)
            {
                var message = ToMessage(stored, _options.EventSource);
                if (batch is { Count: > 0 } && _options.OneSessionPerBatch && !string.Equals(batchSession, message.SessionId, StringComparison.Ordinal))
                {
                    await SendAsync(batch, cancellationToken).ConfigureAwait(false);
                    batch.Dispose();
                    batch = null;
                }

                batch ??= await _sender.CreateMessageBatchAsync(cancellationToken).ConfigureAwait(false);
                if (!batch.TryAddMessage(message))
                {
                    if (batch.Count == 0) throw TooLarge(stored, message, batch);
                    await SendAsync(batch, cancellationToken).ConfigureAwait(false);
                    batch.Dispose();
                    batch = null;
                    batch = await _sender.CreateMessageBatchAsync(cancellationToken).ConfigureAwait(false);
                    if (!batch.TryAddMessage(message)) throw TooLarge(stored, message, batch);
                }
                batchSession = message.SessionId;
            }

            if (batch is { Count: > 0 }) await SendAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            batch?.Dispose();
        }
    }

    /// <summary>The Service Bus message of one stored event: the CloudEvent as its body, and the headers above.</summary>
    public static ServiceBusMessage ToMessage(StoredEvent stored, string source)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var cloudEvent = PublicEventMapper.ToCloudEvent(stored, source);
        var message = new ServiceBusMessage(ContractJson.SerializeCloudEvent(cloudEvent))
        {
            MessageId = cloudEvent.Id,
            SessionId = stored.OrderId.Value,
            ContentType = CloudEventsContentType,
            Subject = cloudEvent.Type,
        };
        message.ApplicationProperties[TypeProperty] = cloudEvent.Type;
        message.ApplicationProperties[IdProperty] = cloudEvent.Id;
        message.ApplicationProperties[SourceProperty] = cloudEvent.Source;
        return message;
    }

    private Task SendAsync(ServiceBusMessageBatch batch, CancellationToken cancellationToken) =>
        _sender.SendMessagesAsync(batch, cancellationToken);

    private static EventTooLargeException TooLarge(StoredEvent stored, ServiceBusMessage message, ServiceBusMessageBatch batch) =>
        new(stored.EventId, message.Subject, message.Body.ToMemory().Length, batch.MaxSizeInBytes);
}
