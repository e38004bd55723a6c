using Orders.Application.Reactions;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Orders.Application.Integration;
using Orders.Contracts.Integration;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;
using Orders.Infrastructure.ServiceBus;
using static Orders.Messaging.Tests.MessagingWorld;

namespace Orders.Messaging.Tests;

public sealed class InboundMessageProcessorTests
{
    private static readonly ServiceBusOptions NoBackoff = new() { InboundRetryBaseDelay = TimeSpan.Zero, InboundRetryMaxDelay = TimeSpan.Zero };

    private readonly Mock<IMessageSettlement> _settlement = new();

    private static InboundMessageProcessor Processor(MessagingWorld world, ServiceBusOptions? options = null) =>
        new(world.Handler, NullLogger<InboundMessageProcessor>.Instance, options ?? NoBackoff);

    /// <summary>A world whose handler throws if it is ever called (its inbox is down): proves a message never reached it.</summary>
    private static MessagingWorld HandlerMustNotBeCalled() => new(new UnavailableInbox());

    private void VerifyDeadLettered(ServiceBusReceivedMessage message, string reason, Func<string, bool> description)
    {
        _settlement.Verify(s => s.DeadLetterAsync(message, reason, It.Is<string>(d => description(d)), It.IsAny<CancellationToken>()), Times.Once);
        _settlement.VerifyNoOtherCalls();
    }

    private void VerifyAbandoned(ServiceBusReceivedMessage message, Func<string, bool> reason)
    {
        _settlement.Verify(s => s.AbandonAsync(message,
            It.Is<IDictionary<string, object>>(p => reason((string)p[InboundMessageProcessor.RetryReasonProperty])), It.IsAny<CancellationToken>()), Times.Once);
        _settlement.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task AValidPaymentCaptured_ReachesTheHandler_AndIsCompleted()
    {
        var world = new MessagingWorld();
        var order = await world.ConfirmedAsync("key-1");
        var message = Received(PaymentCapturedJson("pay-evt-1", order), sessionId: order.Value);

        var result = await Processor(world).ProcessAsync(message, _settlement.Object);

        Assert.Equal(new InboundProcessingResult(InboundDisposition.Completed, InboundOutcome.Handled), result);
        _settlement.Verify(s => s.CompleteAsync(message, It.IsAny<CancellationToken>()), Times.Once);
        _settlement.VerifyNoOtherCalls();
        var paid = await world.OrderAsync(order);
        Assert.Equal(OrderStatus.Paid, paid.Status);
        Assert.Equal("pay-evt-1", paid.History[^1].CausationId);
        Assert.True(await world.Inbox.WasHandledAsync("pay-evt-1"));
        // The handler records the fact; the reaction to order.paid starts the fulfillment saga.
        Assert.Empty(world.Scheduler.Started);
        await world.Reactions.RunOnceAsync(ReactionLane.SagaStarts, 100);
        Assert.Contains($"fulfillment:{order.Value}", world.Scheduler.Started);
    }

    [Fact]
    public async Task ARedeliveredEvent_IsCompletedAsADuplicate_AndAppliedOnce()
    {
        var world = new MessagingWorld();
        var order = await world.ConfirmedAsync("key-1");
        var processor = Processor(world);
        await processor.ProcessAsync(Received(PaymentCapturedJson("pay-evt-1", order), "msg-1"), _settlement.Object);
        var version = (await world.OrderAsync(order)).Version;
        var again = Received(PaymentCapturedJson("pay-evt-1", order), "msg-2", deliveryCount: 1);

        var result = await processor.ProcessAsync(again, _settlement.Object);

        Assert.Equal(new InboundProcessingResult(InboundDisposition.Completed, InboundOutcome.Duplicate), result);
        _settlement.Verify(s => s.CompleteAsync(again, It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal(version, (await world.OrderAsync(order)).Version);
        await world.Reactions.RunOnceAsync(ReactionLane.SagaStarts, 100);
        Assert.Equal([$"fulfillment:{order.Value}"], world.Scheduler.Started); // one fact recorded, one saga
    }

    [Fact]
    public async Task MalformedJson_IsDeadLetteredAsInvalid_WithoutCallingTheHandler()
    {
        var message = Received("{\"specversion\": \"1.0\", ");

        var result = await Processor(HandlerMustNotBeCalled()).ProcessAsync(message, _settlement.Object);

        Assert.Equal(InboundDisposition.DeadLettered, result.Disposition);
        Assert.Null(result.Outcome);
        VerifyDeadLettered(message, "invalid-message", d => d.StartsWith("MalformedJson: malformed JSON", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnEmptyBody_IsDeadLetteredAsInvalid()
    {
        var message = Received("");

        await Processor(HandlerMustNotBeCalled()).ProcessAsync(message, _settlement.Object);

        VerifyDeadLettered(message, "invalid-message", d => d.StartsWith("MalformedJson:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnUnknownType_IsDeadLetteredAsInvalid_NamingTheType()
    {
        var message = Received(CloudEventJson("evt-9", "payments.payment-teleported.v1", "ord-1", new { orderId = "ord-1" }));

        var result = await Processor(HandlerMustNotBeCalled()).ProcessAsync(message, _settlement.Object);

        Assert.Equal("invalid-message", result.Reason);
        VerifyDeadLettered(message, "invalid-message",
            d => d.StartsWith("UnknownType:", StringComparison.Ordinal) && d.Contains("payments.payment-teleported.v1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DataThatBreaksItsSchema_IsDeadLetteredAsInvalid_ListingEveryError()
    {
        var data = new { orderId = "ord-1", amount = new { minor = -5, currency = "usd" } }; // no paymentId, negative, lower-case currency
        var message = Received(CloudEventJson("evt-9", InboundEventTypes.PaymentCaptured, "ord-1", data));

        var result = await Processor(HandlerMustNotBeCalled()).ProcessAsync(message, _settlement.Object);

        Assert.NotNull(result.Description);
        Assert.StartsWith("InvalidData:", result.Description, StringComparison.Ordinal);
        Assert.Contains("paymentId", result.Description, StringComparison.Ordinal);
        Assert.Contains("/amount/minor", result.Description, StringComparison.Ordinal);
        Assert.Contains("/amount/currency", result.Description, StringComparison.Ordinal);
        VerifyDeadLettered(message, "invalid-message", d => d == result.Description);
    }

    [Fact]
    public async Task AnEnvelopeThatIsNotACloudEvent_IsDeadLetteredAsInvalid()
    {
        var message = Received("""{"id":"evt-1","type":"payments.payment-captured.v1","data":{}}""");

        await Processor(HandlerMustNotBeCalled()).ProcessAsync(message, _settlement.Object);

        VerifyDeadLettered(message, "invalid-message", d => d.StartsWith("InvalidEnvelope:", StringComparison.Ordinal) && d.Contains("envelope", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DataForAnotherOrderThanTheSubject_IsDeadLetteredAsInvalid()
    {
        var message = Received(CloudEventJson("evt-1", InboundEventTypes.PaymentCaptured, "ord-1",
            new PaymentCaptured("ord-2", "pay-1", new MoneyAmount(3000, "USD"))));

        await Processor(HandlerMustNotBeCalled()).ProcessAsync(message, _settlement.Object);

        VerifyDeadLettered(message, "invalid-message", d => d.Contains("is not the envelope's subject", StringComparison.Ordinal));
    }

    [Fact]
    public async Task APoisonEvent_IsDeadLetteredWithTheHandlersReason()
    {
        var world = new MessagingWorld();
        var missing = OrderId.From("ord-nowhere");
        var message = Received(PaymentCapturedJson("pay-evt-1", missing));

        var result = await Processor(world).ProcessAsync(message, _settlement.Object);

        Assert.Equal(InboundDisposition.DeadLettered, result.Disposition);
        Assert.Equal(InboundOutcome.Poison, result.Outcome);
        VerifyDeadLettered(message, "poison", d => d.Contains("ord-nowhere does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnEventThatArrivedTooEarly_IsCompletedAndParked_AndAppliedWhenTheOrderIsConfirmed()
    {
        var world = new MessagingWorld();
        var order = await world.CreatedAsync("key-1"); // not confirmed yet: the capture is early
        var early = Received(PaymentCapturedJson("pay-evt-1", order), deliveryCount: 1);

        var result = await Processor(world).ProcessAsync(early, _settlement.Object);

        // The message is done with: the answer is kept in the inbox, not left to the broker's retries.
        Assert.Equal(InboundDisposition.Completed, result.Disposition);
        Assert.Equal(InboundOutcome.Parked, result.Outcome);
        _settlement.Verify(s => s.CompleteAsync(early, It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal("pay-evt-1", Assert.Single(await world.Inbox.ParkedForAsync(order.Value)).EventId);
        Assert.Equal(OrderStatus.Created, (await world.OrderAsync(order)).Status);

        await world.ConfirmAsync(order);
        Assert.Equal(1, await world.Handler.ReplayParkedAsync(order.Value));

        Assert.Equal(OrderStatus.Paid, (await world.OrderAsync(order)).Status);
        Assert.Empty(await world.Inbox.ParkedForAsync(order.Value));
        await world.Reactions.RunOnceAsync(ReactionLane.SagaStarts, 100);
        Assert.Contains("fulfillment:" + order.Value, world.Scheduler.Started);
    }

    [Fact]
    public async Task AHandlerFailure_AbandonsTheMessageForRedelivery_WithoutThrowing()
    {
        var world = new MessagingWorld(new UnavailableInbox());
        var message = Received(PaymentCapturedJson("pay-evt-1", OrderId.From("ord-1")));

        var result = await Processor(world).ProcessAsync(message, _settlement.Object);

        Assert.Equal(InboundDisposition.Abandoned, result.Disposition);
        Assert.Null(result.Outcome);
        VerifyAbandoned(message, r => r.Contains("TimeoutException", StringComparison.Ordinal) && r.Contains("did not answer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARetry_HoldsTheMessageForTheBackoffBeforeAbandoning_AndStillAbandonsWhenCancelled()
    {
        var world = new MessagingWorld(new UnavailableInbox()); // a transient fault: the message is retried
        var order = await world.CreatedAsync("key-1");
        var message = Received(PaymentCapturedJson("pay-evt-1", order));
        var slow = new ServiceBusOptions { InboundRetryBaseDelay = TimeSpan.FromMinutes(10), InboundRetryMaxDelay = TimeSpan.FromMinutes(10) };
        using var shutdown = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Processor(world, slow).ProcessAsync(message, _settlement.Object, shutdown.Token));

        _settlement.Verify(s => s.AbandonAsync(message, It.IsAny<IDictionary<string, object>>(), CancellationToken.None), Times.Once);
        _settlement.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(5, 16)]
    [InlineData(6, 30)]
    [InlineData(100, 30)]
    public void TheBackoff_DoublesPerDelivery_UpToTheCap(int deliveryCount, int seconds)
    {
        var processor = Processor(new MessagingWorld(), new ServiceBusOptions());

        Assert.Equal(TimeSpan.FromSeconds(seconds), processor.RetryDelay(deliveryCount));
    }

    [Fact]
    public void ABackoffCapBelowItsBase_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Processor(new MessagingWorld(),
            new ServiceBusOptions { InboundRetryBaseDelay = TimeSpan.FromSeconds(5), InboundRetryMaxDelay = TimeSpan.FromSeconds(1) }));

    [Fact]
    public async Task AVeryLongDescription_IsCutToTheLimit()
    {
        var data = new Dictionary<string, object> { ["orderId"] = "ord-1" };
        for (var i = 0; i < 400; i++) data[$"unexpectedProperty{i:D3}"] = i;
        var message = Received(CloudEventJson("evt-1", InboundEventTypes.PaymentCaptured, "ord-1", data));

        var result = await Processor(HandlerMustNotBeCalled()).ProcessAsync(message, _settlement.Object);

        Assert.Equal(InboundMessageProcessor.MaxDescriptionLength, result.Description!.Length);
        Assert.EndsWith("…", result.Description, StringComparison.Ordinal);
    }
}
