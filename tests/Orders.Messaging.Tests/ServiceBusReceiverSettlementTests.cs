using Azure.Messaging.ServiceBus;
using Moq;
using Orders.Infrastructure.ServiceBus;

namespace Orders.Messaging.Tests;

public sealed class ServiceBusReceiverSettlementTests
{
    private readonly Mock<ServiceBusReceiver> _receiver = new();
    private readonly ServiceBusReceivedMessage _message = MessagingWorld.Received("{}");

    [Fact]
    public async Task Complete_CompletesOnTheReceiver()
    {
        await new ServiceBusReceiverSettlement(_receiver.Object).CompleteAsync(_message);

        _receiver.Verify(r => r.CompleteMessageAsync(_message, It.IsAny<CancellationToken>()), Times.Once);
        _receiver.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Abandon_AbandonsOnTheReceiver_WithThePropertiesToModify()
    {
        var properties = new Dictionary<string, object> { [InboundMessageProcessor.RetryReasonProperty] = "too early" };

        await new ServiceBusReceiverSettlement(_receiver.Object).AbandonAsync(_message, properties);

        _receiver.Verify(r => r.AbandonMessageAsync(_message, properties, It.IsAny<CancellationToken>()), Times.Once);
        _receiver.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task DeadLetter_DeadLettersOnTheReceiver_WithReasonAndDescription()
    {
        await new ServiceBusReceiverSettlement(_receiver.Object).DeadLetterAsync(_message, "poison", "order missing");

        _receiver.Verify(r => r.DeadLetterMessageAsync(_message, "poison", "order missing", It.IsAny<CancellationToken>()), Times.Once);
        _receiver.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task ASessionReceiver_IsAReceiverToo()
    {
        var session = new Mock<ServiceBusSessionReceiver>();

        await new ServiceBusReceiverSettlement(session.Object).CompleteAsync(_message);

        session.Verify(r => r.CompleteMessageAsync(_message, It.IsAny<CancellationToken>()), Times.Once);
    }
}
