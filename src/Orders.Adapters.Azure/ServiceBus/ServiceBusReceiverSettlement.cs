using Azure.Messaging.ServiceBus;

namespace Orders.Infrastructure.ServiceBus;

/// <summary>
/// <see cref="IMessageSettlement"/> over a <see cref="ServiceBusReceiver"/> in peek-lock mode. A
/// <see cref="ServiceBusSessionReceiver"/> is one too, so this serves the session-enabled inbound subscription.
/// </summary>
public sealed class ServiceBusReceiverSettlement(ServiceBusReceiver receiver) : IMessageSettlement
{
    private readonly ServiceBusReceiver _receiver = receiver ?? throw new ArgumentNullException(nameof(receiver));

    public Task CompleteAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default) =>
        _receiver.CompleteMessageAsync(message, cancellationToken);

    public Task AbandonAsync(ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify = null, CancellationToken cancellationToken = default) =>
        _receiver.AbandonMessageAsync(message, propertiesToModify, cancellationToken);

    public Task DeadLetterAsync(ServiceBusReceivedMessage message, string reason, string description, CancellationToken cancellationToken = default) =>
        _receiver.DeadLetterMessageAsync(message, reason, description, cancellationToken);
}
