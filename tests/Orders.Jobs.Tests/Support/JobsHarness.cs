using Microsoft.Extensions.Time.Testing;
using Moq;
using Orders.Application.Integration;
using Orders.Application.Access;
using Orders.Application.Jobs;
using Orders.Application.Ports.Outbound;
using Orders.Application.ReadModels;
using Orders.Application.UseCases;
using Orders.Application.UseCases.Commands;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;
using Orders.Infrastructure.InMemory;
using Orders.Infrastructure.Jobs;
using Orders.Infrastructure.ReadModels;

namespace Orders.Jobs.Tests.Support;

/// <summary>
/// The jobs over the real use cases, the in-memory order store, the in-memory read models fed by the real projector,
/// a fake saga engine and an injected clock. Orders are driven through their life with the same use cases the
/// sagas and the API call, at the harness's current time.
/// </summary>
public sealed class JobsHarness
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    public static readonly Caller Buyer = Caller.Buyer("buyer-1");
    public static readonly Caller Saga = Caller.System("test-saga");
    public static readonly Money Total = Money.Of(3000, Currency.USD);

    private readonly OrderCommandRunner _runner;

    public JobsHarness()
        : this(new StoreWithLog<InMemoryOrderStore>(new InMemoryOrderStore()))
    {
    }

    /// <summary>Over another store: one that is both the order store and its change log (SQLite, in-memory).</summary>
    public JobsHarness(IOrderStoreWithLog store)
    {
        Store = store;
        Sagas.Now = T0;
        _runner = new OrderCommandRunner(Store, new CommandOptions());
        Projector = new OrderProjector(Store, ReadModels);
    }

    public FakeTimeProvider Time { get; } = new(T0);
    public IOrderStoreWithLog Store { get; }
    public InMemoryReadModelStore ReadModels { get; } = new();
    public OrderProjector Projector { get; }
    public FakeSagas Sagas { get; } = new();
    public FakeRelayMonitor Relay { get; } = new();
    public InMemoryStuckOrderLog StuckLog { get; } = new();
    public LogSink Logs { get; } = new();
    public DateTimeOffset Now => Time.GetUtcNow();

    public AutoCancelUnpaidOrders AutoCancel(JobOptions? options = null, IOrderStore? store = null) =>
        new(store ?? Store, new CancelOrder(new OrderCommandRunner(store ?? Store, new CommandOptions())), Answers, StuckLog, Time, options ?? new JobOptions(), Logs.For<AutoCancelUnpaidOrders>());

    public InMemoryInbox Inbox { get; } = new();

    /// <summary>The real handler over the same store (no saga runs here: signals go nowhere).</summary>
    public IntegrationEventHandler Answers => new(Store, Mock.Of<ISagaSignals>(), Inbox,
        new MarkOrderPaid(_runner), new RecordCashCollected(_runner),
        new Orders.Application.UseCases.Resolutions.ReturnLateCapture(_runner, Inbox, StuckLog), StuckLog, Time, Logs.For<IntegrationEventHandler>());

    public DetectStuckOrders DetectStuck(JobOptions? options = null, JobScanPositions? positions = null) =>
        new(Store, Sagas, StuckLog, Inbox, Time, options ?? new JobOptions(), Logs.For<DetectStuckOrders>(), positions);

    public ReconcileOrders Reconcile(JobOptions? options = null, IOrderStore? store = null, JobScanPositions? positions = null) =>
        new(store ?? Store, ReadModels, Sagas, Sagas, Relay, StuckLog, Time, options ?? new JobOptions(), Logs.For<ReconcileOrders>(), positions);

    public void Advance(TimeSpan by)
    {
        Time.Advance(by);
        Sagas.Now = Now;
    }

    public async Task<OrderId> CreatedAsync(string key, OrderType type = OrderType.Prepaid)
    {
        var command = new CreateOrderCommand(BuyerId.From("buyer-1"), type,
            [Item(1, "sku-1", 1000, 2), Item(2, "sku-2", 500, 1)], [], Money.Of(500, Currency.USD),
            new ShippingAddress("Ada Lovelace", "1 Analytical Way", null, "London", "N1 1AA", "GB"));
        var reply = await new CreateOrder(Store, new CommandOptions()).ExecuteAsync(command, new RequestContext(Buyer, Now, "create-" + key, key));
        return reply.Unwrap().Receipt.OrderId;
    }

    /// <summary><paramref name="count"/> CREATED orders keyed <paramref name="prefix"/>1, 2, ..., a second apart: oldest first lists them so.</summary>
    public async Task<List<OrderId>> CreatedInTurnAsync(int count, string prefix = "o")
    {
        var ids = new List<OrderId>(count);
        for (var i = 1; i <= count; i++)
        {
            ids.Add(await CreatedAsync($"{prefix}{i}"));
            Advance(TimeSpan.FromSeconds(1));
        }
        return ids;
    }

    public async Task<OrderId> ConfirmedAsync(string key, OrderType type = OrderType.Prepaid)
    {
        var id = await CreatedAsync(key, type);
        await ConfirmAsync(id, type);
        return id;
    }

    public async Task<OrderId> PaidAsync(string key)
    {
        var id = await ConfirmedAsync(key);
        await PayAsync(id);
        return id;
    }

    public async Task<OrderId> ShippedAsync(string key, OrderType type = OrderType.Prepaid)
    {
        var id = type == OrderType.Prepaid ? await PaidAsync(key) : await ConfirmedAsync(key, type);
        await ShipAsync(id);
        return id;
    }

    public async Task ConfirmAsync(OrderId id, OrderType type = OrderType.Prepaid) =>
        (await new ConfirmOrder(_runner).ExecuteAsync(
            new ConfirmOrderCommand(id, "res-" + id.Value, type == OrderType.Prepaid ? "auth-" + id.Value : null), Request("confirm"))).Unwrap();

    public async Task PayAsync(OrderId id) =>
        (await new MarkOrderPaid(_runner).ExecuteAsync(new MarkOrderPaidCommand(id, "pay-" + id.Value, Total), Request("pay"))).Unwrap();

    public async Task ShipAsync(OrderId id) =>
        (await new RecordShipment(_runner).ExecuteAsync(new RecordShipmentCommand(id, "ship-" + id.Value, "carrier", "trk-1"), Request("ship"))).Unwrap();

    public async Task DeliverAsync(OrderId id) =>
        (await new RecordDelivery(_runner).ExecuteAsync(new RecordDeliveryCommand(id, "ship-" + id.Value), Request("deliver"))).Unwrap();

    public async Task RequestRefundAsync(OrderId id, string refundId, long minor) =>
        (await new InitiateRefund(_runner).ExecuteAsync(new InitiateRefundCommand(id, refundId, Money.Of(minor, Currency.USD), "buyer asked"), Request("refund"))).Unwrap();

    public async Task CancelAsync(OrderId id) =>
        (await new CancelOrder(_runner).ExecuteAsync(new CancelOrderCommand(id, "buyer changed their mind"), new RequestContext(Buyer, Now, "cancel"))).Unwrap();

    /// <summary>A payment captured after the order's cancellation, returned through a refund (the order stays CANCELLED).</summary>
    public async Task ReturnLateCaptureAsync(OrderId id, string paymentId) =>
        (await new Orders.Application.UseCases.Resolutions.ReturnLateCapture(_runner, Inbox, StuckLog).ExecuteAsync(
            new Orders.Application.UseCases.Resolutions.LateCapture(id, paymentId, Total, "captured after the cancellation"), Request("late-capture"))).Unwrap();

    /// <summary>A cancelled order that still owes a refund: a payment captured after the cancellation, being returned.</summary>
    public async Task<(OrderId Order, string RefundId)> CancelledOwingARefundAsync(string key, string paymentId)
    {
        var id = await CreatedAsync(key);
        await CancelAsync(id);
        await ReturnLateCaptureAsync(id, paymentId);
        return (id, (await LoadAsync(id)).PendingRefunds.Single().RefundId);
    }

    /// <summary>A payment capture for the order, handled as it arrives: kept (parked) while the order is CREATED.</summary>
    public Task<InboundResult> CaptureArrivesAsync(OrderId id, string paymentId = "pay-1") =>
        Answers.HandleAsync(new InboundEvent("cap-" + id.Value, Orders.Contracts.Integration.InboundEventTypes.PaymentCaptured, Now,
            new Orders.Contracts.Integration.PaymentCaptured(id.Value, paymentId, new Orders.Contracts.Integration.MoneyAmount(1, "USD"))));

    public async Task<Order> LoadAsync(OrderId id) => (await Store.LoadAsync(id))!;

    /// <summary>Runs the projector until it has read everything.</summary>
    public async Task ProjectAllAsync()
    {
        while (await Projector.RunOnceAsync(100, Now) > 0) { }
    }

    public async Task<int> EventCountAsync() => (await Store.ReadAsync("count-" + Guid.NewGuid().ToString("N"), 100_000)).Events.Count;

    private RequestContext Request(string what) => new(Saga, Now, what + "-" + Now.UtcTicks);

    public static JobsHarness Over<T>(T store) where T : IOrderStore, IOrderChangeLog => new(new StoreWithLog<T>(store));

    private static OrderItem Item(int line, string sku, long unitMinor, int quantity) =>
        OrderItem.Snapshot(line, sku, "prod-" + sku, SellerId.From("seller-a"), "Item " + sku, Money.Of(unitMinor, Currency.USD), quantity);
}

/// <summary>An order store that is also its change log, as every embedded store is.</summary>
public interface IOrderStoreWithLog : IOrderStore, IOrderChangeLog;

/// <summary>Adapts a store that implements both ports to <see cref="IOrderStoreWithLog"/>.</summary>
public sealed class StoreWithLog<T>(T inner) : IOrderStoreWithLog where T : IOrderStore, IOrderChangeLog
{
    public T Inner { get; } = inner;

    public Task<Order?> LoadAsync(OrderId orderId, CancellationToken cancellationToken = default) => Inner.LoadAsync(orderId, cancellationToken);

    public Task<StoredOrderState?> ReadStateAsync(OrderId orderId, CancellationToken cancellationToken = default) => Inner.ReadStateAsync(orderId, cancellationToken);

    public Task<SaveOutcome> SaveAsync(Order order, Orders.Application.Idempotency.IdempotencyRecord? idempotency = null, CancellationToken cancellationToken = default) =>
        Inner.SaveAsync(order, idempotency, cancellationToken);

    public Task<Orders.Application.Idempotency.IdempotencyRecord?> FindIdempotencyRecordAsync(OrderId orderId, string recordId, CancellationToken cancellationToken = default) =>
        Inner.FindIdempotencyRecordAsync(orderId, recordId, cancellationToken);

    public Task<int> PurgeExpiredIdempotencyRecordsAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default) =>
        Inner.PurgeExpiredIdempotencyRecordsAsync(now, max, cancellationToken);

    public Task<IReadOnlyList<OrderSummary>> FindByStatusAsync(IReadOnlyCollection<OrderStatus> statuses, int max, CancellationToken cancellationToken = default) =>
        Inner.FindByStatusAsync(statuses, max, cancellationToken);

    public Task<IReadOnlyList<OrderId>> ListOrderIdsAsync(OrderId? after, int max, CancellationToken cancellationToken = default) =>
        Inner.ListOrderIdsAsync(after, max, cancellationToken);

    public Task<IReadOnlyList<StoredHistoryEntry>> ReadStoredHistoryAsync(OrderId orderId, CancellationToken cancellationToken = default) =>
        Inner.ReadStoredHistoryAsync(orderId, cancellationToken);

    public Task<ChangeBatch> ReadAsync(string consumer, int maxEvents, CancellationToken cancellationToken = default) =>
        Inner.ReadAsync(consumer, maxEvents, cancellationToken);

    public Task CommitAsync(string consumer, string checkpoint, CancellationToken cancellationToken = default) =>
        Inner.CommitAsync(consumer, checkpoint, cancellationToken);
}
