using System.Collections.Concurrent;
using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging.Abstractions;
using Orders.Application.Access;
using Orders.Application.Integration;
using Orders.Application.Ports.Outbound;
using Orders.Application.Reactions;
using Orders.Application.UseCases;
using Orders.Application.UseCases.Commands;
using Orders.Contracts.Integration;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;
using Microsoft.Extensions.Time.Testing;
using Moq;
using Orders.Infrastructure.InMemory;
using Orders.Infrastructure.Jobs;

namespace Orders.Messaging.Tests;

/// <summary>
/// The real use cases and the real integration event handler over an in-memory store, with recording fakes for the
/// saga ports. Fixed ids and a fixed clock.
/// </summary>
public sealed class MessagingWorld
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public MessagingWorld(IInbox? inbox = null)
    {
        var options = new CommandOptions();
        var runner = new OrderCommandRunner(Store, options);
        Create = new CreateOrder(Store, options);
        Confirm = new ConfirmOrder(runner);
        Inbox = inbox ?? new InMemoryInbox();
        Cancel = new CancelOrder(runner);
        Handler = new IntegrationEventHandler(Store, Signals, Inbox, new MarkOrderPaid(runner), new RecordCashCollected(runner),
            new Orders.Application.UseCases.Resolutions.ReturnLateCapture(runner, Inbox, StuckOrders), StuckOrders, Clock, NullLogger<IntegrationEventHandler>.Instance);
        Reactions = new OrderReactions(Store, Store, Scheduler,
            new CancellationCompensator(Store, Mock.Of<IInventoryPort>(), Mock.Of<IPaymentsPort>(), Mock.Of<IPromotionsPort>()),
            Handler, Clock, NullLogger<OrderReactions>.Instance);
    }

    /// <summary>The reaction table over this world's change log (saga starts go to <see cref="Scheduler"/>).</summary>
    public OrderReactions Reactions { get; }

    /// <summary>
    /// Runs the reaction table's lanes, as the pump does after a commit, until they have read every fact (a parked
    /// answer applied records a new fact, whose reactions the next pass runs). Returns how many facts were read.
    /// </summary>
    public async Task<int> ReactAsync()
    {
        var total = 0;
        for (var read = -1; read != 0; total += read)
        {
            read = 0;
            foreach (var lane in OrderReactions.Lanes) read += await Reactions.RunOnceAsync(lane, 10_000);
        }
        return total;
    }

    public InMemoryOrderStore Store { get; } = new();
    public RecordingSignals Signals { get; } = new();
    public RecordingScheduler Scheduler { get; } = new();
    public IInbox Inbox { get; }
    public InMemoryStuckOrderLog StuckOrders { get; } = new();
    public FakeTimeProvider Clock { get; } = new(T0.AddMinutes(10));
    public CancelOrder Cancel { get; }
    public CreateOrder Create { get; }
    public ConfirmOrder Confirm { get; }
    public IntegrationEventHandler Handler { get; }

    /// <summary>30.00 USD in all: two lines (2 × 10.00 and 5.00) and 5.00 shipping.</summary>
    public static Money Total { get; } = Money.Of(3000, Currency.USD);

    public async Task<OrderId> CreatedAsync(string key, string buyer = "buyer-1", OrderType type = OrderType.Prepaid)
    {
        var items = new[]
        {
            OrderItem.Snapshot(1, "sku-1", "prod-sku-1", SellerId.From("seller-a"), "Item sku-1", Money.Of(1000, Currency.USD), 2),
            OrderItem.Snapshot(2, "sku-2", "prod-sku-2", SellerId.From("seller-a"), "Item sku-2", Money.Of(500, Currency.USD), 1),
        };
        var command = new CreateOrderCommand(BuyerId.From(buyer), type, items, [], Money.Of(500, Currency.USD),
            new ShippingAddress("Ada Lovelace", "1 Analytical Way", null, "London", "N1 1AA", "GB"));
        var reply = await Create.ExecuteAsync(command, new RequestContext(Caller.Buyer(buyer), T0, "create-" + key, key));
        return reply.Unwrap().Receipt.OrderId;
    }

    public async Task ConfirmAsync(OrderId id) =>
        (await Confirm.ExecuteAsync(new ConfirmOrderCommand(id, "res-1", "auth-1"), new RequestContext(Caller.System("checkout-saga"), T0.AddMinutes(1), "confirm-" + id.Value))).Unwrap();

    public async Task<OrderId> ConfirmedAsync(string key)
    {
        var id = await CreatedAsync(key);
        await ConfirmAsync(id);
        return id;
    }

    public async Task<Order> OrderAsync(OrderId id) => (await Store.LoadAsync(id))!;

    /// <summary>Every event in the change log, in log order (read by a throwaway consumer).</summary>
    public async Task<IReadOnlyList<StoredEvent>> AllEventsAsync() =>
        (await Store.ReadAsync("inspect-" + Guid.NewGuid().ToString("N"), 10_000)).Events;

    /// <summary>A CloudEvent in structured JSON, as another domain would publish it.</summary>
    public static string CloudEventJson(string id, string type, string subject, object data, string source = "/payments") =>
        JsonSerializer.Serialize(new CloudEvent(id, source, type, subject, T0.AddMinutes(5), JsonSerializer.SerializeToElement(data, ContractJson.Options)), ContractJson.Options);

    public static string PaymentCapturedJson(string eventId, OrderId order, long minor = 3000, string paymentId = "pay-1") =>
        CloudEventJson(eventId, InboundEventTypes.PaymentCaptured, order.Value, new PaymentCaptured(order.Value, paymentId, new MoneyAmount(minor, "USD")));

    public static ServiceBusReceivedMessage Received(string body, string messageId = "msg-1", string sessionId = "ord", int deliveryCount = 1) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: BinaryData.FromString(body),
            messageId: messageId,
            sessionId: sessionId,
            contentType: "application/cloudevents+json; charset=utf-8",
            deliveryCount: deliveryCount,
            lockTokenGuid: Guid.NewGuid());
}

public sealed class RecordingSignals : ISagaSignals
{
    public ConcurrentQueue<(string InstanceId, string EventName, object Payload)> Raised { get; } = new();

    public Task RaiseAsync(string instanceId, string eventName, object payload, CancellationToken cancellationToken = default)
    {
        Raised.Enqueue((instanceId, eventName, payload));
        return Task.CompletedTask;
    }
}

public sealed class RecordingScheduler : ISagaScheduler
{
    public ConcurrentQueue<string> Started { get; } = new();

    public Task StartCheckoutAsync(OrderId orderId, CancellationToken cancellationToken = default) => Record("checkout", orderId);

    public Task StartFulfillmentAsync(OrderId orderId, CancellationToken cancellationToken = default) => Record("fulfillment", orderId);

    public Task StartRefundAsync(OrderId orderId, string refundId, CancellationToken cancellationToken = default) => Record("refund:" + refundId, orderId);

    private Task Record(string saga, OrderId orderId)
    {
        Started.Enqueue($"{saga}:{orderId.Value}");
        return Task.CompletedTask;
    }
}

/// <summary>An inbox whose store is down: every call throws, as a transient fault would.</summary>
public sealed class UnavailableInbox : IInbox
{
    public Task<bool> WasHandledAsync(string eventId, CancellationToken cancellationToken = default) =>
        throw new TimeoutException("The inbox store did not answer.");

    public Task MarkHandledAsync(string eventId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        throw new TimeoutException("The inbox store did not answer.");

    public Task ParkAsync(ParkedAnswer answer, CancellationToken cancellationToken = default) =>
        throw new TimeoutException("The inbox store did not answer.");

    public Task<IReadOnlyList<ParkedAnswer>> ParkedForAsync(string orderId, CancellationToken cancellationToken = default) =>
        throw new TimeoutException("The inbox store did not answer.");

    public Task UnparkAsync(string orderId, string eventId, CancellationToken cancellationToken = default) =>
        throw new TimeoutException("The inbox store did not answer.");
}
