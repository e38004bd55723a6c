// Compiled only with -p:ServiceBusTriggers=true (Microsoft.Azure.Functions.Worker.Extensions.ServiceBus is not served
// in the development environment). Its body is one call into InboundMessageProcessor, which is tested on its own.
using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Orders.Functions.Durable;
using Orders.Functions.Settings;
using Orders.Infrastructure.ServiceBus;

namespace Orders.Functions.ServiceBus;

/// <summary>
/// Answers from payments, inventory and shipping, from Orders' session-enabled subscription. The processor settles
/// every message itself (complete, abandon with a reason, dead-letter with a reason), hence
/// <c>AutoCompleteMessages = false</c>; it needs the Durable client because answers are raised to waiting sagas.
/// </summary>
public sealed class InboundIntegrationEventsFunction(InboundMessageProcessor processor, InvocationDurableClient durable)
{
    public const string Name = "ReceiveIntegrationEvent";

    [Function(Name)]
    public async Task Run(
        [ServiceBusTrigger("%" + AppSettings.ServiceBusInboundTopic + "%", "%" + AppSettings.ServiceBusInboundSubscription + "%",
            Connection = AppSettings.ServiceBusTriggerConnection, IsSessionsEnabled = true, AutoCompleteMessages = false)]
        ServiceBusReceivedMessage message,
        ServiceBusMessageActions actions,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        durable.Use(client);
        await processor.ProcessAsync(message, new MessageActionsSettlement(actions), cancellationToken);
    }
}
