using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Moq;
using Orders.Application.Outbox;
using Orders.Application.Ports.Outbound;
using Orders.Contracts.Integration;
using Orders.Contracts.PublicEvents;
using Orders.Infrastructure.ServiceBus;

namespace Orders.Messaging.Tests;

public sealed class ServiceBusEventPublisherTests
{
    private readonly MessagingWorld _world = new();

    /// <summary>Two orders: a (created, confirmed) and b (created), in log order a:1, b:1, a:2.</summary>
    private async Task<IReadOnlyList<StoredEvent>> EventsAsync()
    {
        var a = await _world.CreatedAsync("key-a");
        await _world.CreatedAsync("key-b");
        await _world.ConfirmAsync(a);
        return await _world.AllEventsAsync();
    }

    [Fact]
    public async Task EachMessage_CarriesTheEventIdOrderIdTypeAndContentType()
    {
        var events = await EventsAsync();
        var rig = new SenderRig();

        await new ServiceBusEventPublisher(rig.Sender.Object).PublishAsync(events);

        var sent = rig.AllSent;
        Assert.Equal(events.Count, sent.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var message = sent[i];
            Assert.Equal(events[i].EventId, message.MessageId);
            Assert.Equal(events[i].OrderId.Value, message.SessionId);
            Assert.Equal("application/cloudevents+json; charset=utf-8", message.ContentType);
            var type = i == 2 ? PublicEventTypes.OrderConfirmed : PublicEventTypes.OrderCreated;
            Assert.Equal(type, message.Subject);
            Assert.Equal(type, message.ApplicationProperties["cloudEvents:type"]);
            Assert.Equal(events[i].EventId, message.ApplicationProperties["cloudEvents:id"]);
            Assert.Equal("/orders", message.ApplicationProperties["cloudEvents:source"]);
        }
    }

    [Fact]
    public async Task TheBody_IsAStructuredCloudEvent_WhoseEnvelopeAndDataMatchTheSchemas()
    {
        var events = await EventsAsync();
        var rig = new SenderRig();

        await new ServiceBusEventPublisher(rig.Sender.Object, new ServiceBusOptions { EventSource = "/marketplace/orders" }).PublishAsync(events);

        foreach (var (message, stored) in rig.AllSent.Zip(events))
        {
            using var document = JsonDocument.Parse(message.Body.ToMemory());
            Assert.Empty(EventSchemas.ValidateEnvelope(document.RootElement));
            var cloudEvent = JsonSerializer.Deserialize<CloudEvent>(message.Body.ToMemory().Span, ContractJson.Options)!;
            Assert.Equal(stored.EventId, cloudEvent.Id);
            Assert.Equal("/marketplace/orders", cloudEvent.Source);
            Assert.Equal(stored.OrderId.Value, cloudEvent.Subject);
            Assert.Equal("1.0", cloudEvent.SpecVersion);
            Assert.Equal("application/json", cloudEvent.DataContentType);
            Assert.Equal(EventSchemas.PathOf(cloudEvent.Type), cloudEvent.DataSchema);
            Assert.Empty(EventSchemas.Validate(cloudEvent.Type, cloudEvent.Data));
            Assert.Equal(stored.Sequence, cloudEvent.Data.GetProperty("sequence").GetInt64());
        }
    }

    [Fact]
    public async Task EventsThatFitOneBatch_GoInOneSend()
    {
        var events = await EventsAsync();
        var rig = new SenderRig();

        await new ServiceBusEventPublisher(rig.Sender.Object).PublishAsync(events);

        Assert.Single(rig.Sent);
        Assert.Equal(1, rig.BatchesCreated);
    }

    [Fact]
    public async Task AFullBatch_IsSentAndANewOneStarted_KeepingTheOrder()
    {
        var events = await EventsAsync();
        var rig = new SenderRig(perBatch: 2);

        await new ServiceBusEventPublisher(rig.Sender.Object).PublishAsync(events);

        Assert.Equal([2, 1], rig.Sent.Select(b => b.Count));
        Assert.Equal(events.Select(e => e.EventId), rig.AllSent.Select(m => m.MessageId));
    }

    [Fact]
    public async Task OneSessionPerBatch_StartsABatchWheneverTheOrderChanges()
    {
        var events = await EventsAsync(); // a, b, a
        var rig = new SenderRig();

        await new ServiceBusEventPublisher(rig.Sender.Object, new ServiceBusOptions { OneSessionPerBatch = true }).PublishAsync(events);

        Assert.Equal(3, rig.Sent.Count);
        Assert.All(rig.Sent, batch => Assert.Single(batch.Select(m => m.SessionId).Distinct()));
        Assert.Equal(events.Select(e => e.EventId), rig.AllSent.Select(m => m.MessageId));
    }

    [Fact]
    public async Task AMessageTooLargeForAnEmptyBatch_Throws_AndIsNeverSent()
    {
        var events = await EventsAsync();
        var tooLarge = events[1].EventId;
        var rig = new SenderRig(fits: m => m.MessageId != tooLarge);

        var error = await Assert.ThrowsAsync<EventTooLargeException>(() => new ServiceBusEventPublisher(rig.Sender.Object).PublishAsync(events));

        Assert.Equal(tooLarge, error.EventId);
        Assert.Equal(PublicEventTypes.OrderCreated, error.EventType);
        Assert.Contains(tooLarge, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(rig.AllSent, m => m.MessageId == tooLarge);
        Assert.Equal([events[0].EventId], rig.AllSent.Select(m => m.MessageId)); // what came before went out; nothing after
    }

    [Fact]
    public async Task NoEvents_CreateNoBatch()
    {
        var rig = new SenderRig();

        await new ServiceBusEventPublisher(rig.Sender.Object).PublishAsync([]);

        Assert.Equal(0, rig.BatchesCreated);
        rig.Sender.Verify(s => s.SendMessagesAsync(It.IsAny<ServiceBusMessageBatch>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ThroughTheRelay_AFailedSendIsRepublishedWithTheSameMessageIds()
    {
        var events = await EventsAsync();
        var rig = new SenderRig { FailSends = true };
        var relay = new OutboxRelay(_world.Store, new ServiceBusEventPublisher(rig.Sender.Object));

        await Assert.ThrowsAsync<ServiceBusException>(() => relay.RunOnceAsync(100));
        Assert.Empty(rig.Sent);

        rig.FailSends = false;
        Assert.Equal(3, await relay.RunOnceAsync(100));
        Assert.Equal(events.Select(e => e.EventId), rig.AllSent.Select(m => m.MessageId));
        Assert.Equal(0, await relay.RunOnceAsync(100));
        Assert.Single(rig.Sent);
    }
}
