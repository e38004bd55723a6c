using Azure.Messaging.ServiceBus;

namespace Orders.Infrastructure.ServiceBus;

/// <summary>
/// The settlement actions on a received (peek-locked) message, so that <see cref="InboundMessageProcessor"/> works the
/// same under a Functions <c>[ServiceBusTrigger]</c> (adapt <c>ServiceBusMessageActions</c>, with
/// <c>autoCompleteMessages: false</c>) and under a plain receiver (<see cref="ServiceBusReceiverSettlement"/>). The
/// shapes are the SDK's, so each adapter is one line per method.
/// </summary>
public interface IMessageSettlement
{
    /// <summary>Done with the message: the broker deletes it.</summary>
    Task CompleteAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Release the lock so that the message is delivered again (its delivery count goes up; past the subscription's
    /// MaxDeliveryCount the broker dead-letters it itself). <paramref name="propertiesToModify"/> are written onto the
    /// message's application properties, so the last reason travels with it into the dead-letter queue.
    /// </summary>
    Task AbandonAsync(ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify = null, CancellationToken cancellationToken = default);

    /// <summary>Move the message to the dead-letter subqueue with a reason and a human-readable description.</summary>
    Task DeadLetterAsync(ServiceBusReceivedMessage message, string reason, string description, CancellationToken cancellationToken = default);
}
