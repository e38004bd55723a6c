// Compiled only with -p:ServiceBusTriggers=true (Microsoft.Azure.Functions.Worker.Extensions.ServiceBus is not served
// in the development environment). Keep it one line per method: the processor it serves is tested elsewhere.
using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;
using Orders.Infrastructure.ServiceBus;

namespace Orders.Functions.ServiceBus;

/// <summary><see cref="IMessageSettlement"/> over the trigger's <see cref="ServiceBusMessageActions"/> (autoCompleteMessages off).</summary>
public sealed class MessageActionsSettlement(ServiceBusMessageActions actions) : IMessageSettlement
{
    public Task CompleteAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default) =>
        actions.CompleteMessageAsync(message, cancellationToken);

    public Task AbandonAsync(ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify = null, CancellationToken cancellationToken = default) =>
        actions.AbandonMessageAsync(message, propertiesToModify, cancellationToken);

    public Task DeadLetterAsync(ServiceBusReceivedMessage message, string reason, string description, CancellationToken cancellationToken = default) =>
        actions.DeadLetterMessageAsync(message, deadLetterReason: reason, deadLetterErrorDescription: description, cancellationToken: cancellationToken);
}
