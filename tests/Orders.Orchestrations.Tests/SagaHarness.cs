using System.Collections.Concurrent;
using DurableTask.Core.History;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orders.Application.Access;
using Orders.Application.Integration;
using Orders.Application.Ports.Outbound;
using Orders.Application.Reactions;
using Orders.Application.UseCases;
using Orders.Application.UseCases.Commands;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;
using Orders.Infrastructure.Durable;
using Orders.Infrastructure.InMemory;
using Orders.Infrastructure.Simulators;
using Orders.Orchestrations;

namespace Orders.Orchestrations.Tests;

/// <summary>
/// The three sagas on the real Durable Task engine (in process), with the real use cases over an in-memory store,
/// the real integration event handler, and the simulators answering through it.
/// </summary>
public sealed class SagaHarness : IAsyncDisposable
{
    public static readonly SagaOptions FastOptions = new()
    {
        InventoryTimeout = TimeSpan.FromSeconds(20),
        PaymentTimeout = TimeSpan.FromSeconds(20),
        ShipmentTimeout = TimeSpan.FromSeconds(20),
        DeliveryTimeout = TimeSpan.FromSeconds(20),
        ReversalTimeout = TimeSpan.FromSeconds(20),
        MaxEscalations = 1,
        MaxAttempts = 4,
        FirstRetryInterval = TimeSpan.FromMilliseconds(20),
    };

    private InProcessDurableEngine _engine = null!;
    private readonly CancellationTokenSource _stopPump = new();
    private Task _pump = Task.CompletedTask;

    public InMemoryOrderStore Store { get; } = new();
    public SimulatorKnobs Knobs { get; } = new();
    public SimulatorLedger Ledger { get; } = new();
    public FaultInjection Faults { get; } = new();
    public SagaOptions Options { get; private set; } = FastOptions;
    public ListLoggerProvider Logs { get; } = new();
    public DurableTaskClient Client => _engine.Client;
    public IServiceProvider Services => _engine.Services;
    public SimulatedDomains Simulators => Services.GetRequiredService<SimulatedDomains>();
    public DurableSagaClient Sagas => Services.GetRequiredService<DurableSagaClient>();

    /// <summary>
    /// With <c>recordHistories</c>, the whole history of every orchestration as last saved (<see cref="Histories"/>),
    /// as the engine keeps it: what the replay tests record and replay.
    /// </summary>
    public ConcurrentDictionary<string, IReadOnlyList<HistoryEvent>> Histories { get; } = new(StringComparer.Ordinal);

    public static async Task<SagaHarness> StartAsync(SagaOptions? options = null, TimeSpan? answerDelay = null, bool recordHistories = false)
    {
        var harness = new SagaHarness { Options = options ?? FastOptions };
        harness.Knobs.AnswerDelay = answerDelay ?? TimeSpan.Zero;
        harness._engine = await InProcessDurableEngine.StartAsync(r => r.AddOrderSagas(), harness.Configure,
            checkpoints: recordHistories ? (instanceId, events) => harness.Histories[instanceId] = events : null);
        harness._pump = harness.PumpAsync();
        return harness;
    }

    /// <summary>The reaction table over this harness's change log (or <paramref name="log"/>), starting sagas through <paramref name="sagas"/>.</summary>
    public OrderReactions Reactions(ISagaScheduler sagas, IOrderChangeLog? log = null) =>
        new(log ?? Store, Services.GetRequiredService<IOrderStore>(), sagas, new CancellationCompensator(Store, Simulators, Simulators, Simulators), Services.GetRequiredService<IntegrationEventHandler>(),
            TimeProvider.System, NullLogger<OrderReactions>.Instance);

    /// <summary>
    /// A host's change-feed pump, reduced to the reaction table's saga-start lane: the fulfillment after order.paid, a
    /// refund after order.refund-requested. Checkouts are left to each test, which sets the simulators' knobs for the
    /// new order before it starts one (<see cref="CheckoutsLeftToTests"/>).
    /// </summary>
    private async Task PumpAsync()
    {
        // Its own checkpoints, so a test that runs the table itself reads every fact too.
        var reactions = Reactions(new CheckoutsLeftToTests(Sagas), new OwnCheckpoints(Store, "harness-pump:"));
        while (!_stopPump.IsCancellationRequested)
        {
            try
            {
                await reactions.RunOnceAsync(ReactionLane.SagaStarts, 100, _stopPump.Token);
                await Task.Delay(10, _stopPump.Token);
            }
            catch (OperationCanceledException) when (_stopPump.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // as a host's pump: a failed run is retried from the checkpoint
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    private sealed class OwnCheckpoints(IOrderChangeLog inner, string prefix) : IOrderChangeLog
    {
        public Task<ChangeBatch> ReadAsync(string consumer, int maxEvents, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(prefix + consumer, maxEvents, cancellationToken);

        public Task CommitAsync(string consumer, string checkpoint, CancellationToken cancellationToken = default) =>
            inner.CommitAsync(prefix + consumer, checkpoint, cancellationToken);
    }

    private sealed class CheckoutsLeftToTests(ISagaScheduler inner) : ISagaScheduler
    {
        public Task StartCheckoutAsync(OrderId orderId, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task StartFulfillmentAsync(OrderId orderId, CancellationToken cancellationToken = default) => inner.StartFulfillmentAsync(orderId, cancellationToken);

        public Task StartRefundAsync(OrderId orderId, string refundId, CancellationToken cancellationToken = default) =>
            inner.StartRefundAsync(orderId, refundId, cancellationToken);
    }

    private void Configure(IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ILoggerFactory>(new LoggerFactory([Logs]));
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton<IOrderStore>(new FaultyStore(Store, Faults));
        services.AddSingleton<IInbox, InMemoryInbox>();
        services.AddSingleton<Orders.Application.Jobs.IStuckOrderLog, Orders.Infrastructure.Jobs.InMemoryStuckOrderLog>();
        services.AddSingleton(new CommandOptions());
        services.AddSingleton<OrderCommandRunner>();
        foreach (var useCase in new[] { typeof(CreateOrder), typeof(ConfirmOrder), typeof(CancelOrder), typeof(MarkOrderPaid), typeof(RecordShipment),
                     typeof(RecordDelivery), typeof(SplitOrder), typeof(RecordCashCollected), typeof(InitiateRefund), typeof(RecordRefund), typeof(CloseOrder),
                     typeof(Orders.Application.UseCases.Resolutions.ReturnLateCapture), typeof(Orders.Application.UseCases.Resolutions.RetrySaga),
                     typeof(Orders.Application.UseCases.Resolutions.ResolveLostParcel), typeof(Orders.Application.UseCases.Resolutions.SettleRefund) })
            services.AddSingleton(useCase);
        services.AddSingleton(Options);
        services.AddDurableSagaClient();
        services.AddSingleton<IntegrationEventHandler>();
        services.AddSimulatedDomains(Knobs, Ledger, (sp, simulated) => new FaultyPayments(simulated, Faults));
    }

    /// <summary>Creates an order (prepaid or COD, sellers a and b when <paramref name="twoSellers"/>) and returns its id.</summary>
    public Task<OrderId> CreateOrderAsync(string key, OrderType type = OrderType.Prepaid, params string[] skus) =>
        CreateOrderAsync(key, type, twoSellers: false, skus);

    public Task<OrderId> CreateOrderAsync(string key, OrderType type, bool twoSellers, params string[] skus) =>
        CreateOrderAsync(key, type, twoSellers, [], skus);

    /// <summary>Creates an order priced with <paramref name="promotions"/> (frozen into its price at creation).</summary>
    public async Task<OrderId> CreateOrderAsync(string key, OrderType type, bool twoSellers, IReadOnlyList<Orders.Domain.Services.Promotion> promotions,
        params string[] skus)
    {
        var items = (skus.Length == 0 ? ["sku-1", "sku-2"] : skus).Select((sku, i) =>
            OrderItem.Snapshot(i + 1, sku, "prod-" + sku, SellerId.From(twoSellers && i % 2 == 1 ? "seller-b" : "seller-a"), "Item " + sku,
                Money.Of(1000 * (i + 1), Currency.EUR), 1)).ToArray();
        var command = new CreateOrderCommand(BuyerId.From("buyer-1"), type, items, promotions, Money.Of(500, Currency.EUR),
            new ShippingAddress("Grace Hopper", "1 Harbour Road", null, "Arlington", "22201", "US"));
        var reply = await Services.GetRequiredService<CreateOrder>().ExecuteAsync(command,
            new RequestContext(Caller.Buyer("buyer-1"), TimeProvider.System.GetUtcNow(), "create-" + key, key));
        return reply.Unwrap().Receipt.OrderId;
    }

    public async Task<Order> OrderAsync(OrderId id) => (await Store.LoadAsync(id))!;

    /// <summary>Waits (bounded) until the checkout has sent the order's payment request (not only reported the step).</summary>
    public async Task WaitForPaymentAskedAsync(OrderId id)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Faults.Calls.Of(id, FaultyPayments.PaymentAsked) == 0)
        {
            if (DateTime.UtcNow >= deadline) Assert.Fail($"no payment was asked for order {id}");
            await Task.Delay(10);
        }
    }

    /// <summary>The buyer cancels the order through the use case (as <c>POST …/cancel</c> would).</summary>
    public async Task BuyerCancelsAsync(OrderId id, string reason = "changed my mind") =>
        (await Services.GetRequiredService<CancelOrder>().ExecuteAsync(new CancelOrderCommand(id, reason),
            new RequestContext(Caller.Buyer("buyer-1"), DateTimeOffset.UtcNow, "buyer-cancel"))).Unwrap();

    /// <summary>Waits (bounded) for an instance to exist and finish; returns its metadata.</summary>
    public async Task<OrchestrationMetadata> CompletionAsync(string instanceId, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (await Client.GetInstanceAsync(instanceId, cancel.Token) is null) await Task.Delay(10, cancel.Token);
        var done = await Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, cancel.Token);
        await Simulators.DrainAsync();
        return done;
    }

    /// <summary>Waits (bounded) until the order is in <paramref name="status"/>; fails saying where it is instead.</summary>
    public async Task WaitForStatusAsync(OrderId id, OrderStatus status)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await OrderAsync(id)).Status != status)
        {
            if (DateTime.UtcNow >= deadline) Assert.Fail($"order {id} is {(await OrderAsync(id)).Status}, not {status}");
            await Task.Delay(10);
        }
    }

    /// <summary>
    /// Waits (bounded) until the instance reports <paramref name="step"/> as its custom status, or, with no step, until
    /// it exists; returns the step's detail. Fails saying where the instance is instead.
    /// </summary>
    public async Task<string?> WaitForStepAsync(string instanceId, string? step)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var instance = await Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true);
            if (instance is not null)
            {
                if (step is null) return null;
                if (instance.ReadCustomStatusAs<SagaStatus>() is { } status && status.Step == step) return status.Detail;
            }
            if (DateTime.UtcNow >= deadline)
                Assert.Fail($"{instanceId} is at {instance?.SerializedCustomStatus ?? "nothing (no such instance)"}, not {step ?? "started"}");
            await Task.Delay(10);
        }
    }

    public static SagaOutcome Outcome(OrchestrationMetadata metadata)
    {
        Assert.True(metadata.RuntimeStatus == OrchestrationRuntimeStatus.Completed,
            $"{metadata.InstanceId} ended {metadata.RuntimeStatus}: {metadata.FailureDetails?.ErrorMessage}");
        return metadata.ReadOutputAs<SagaOutcome>()!;
    }

    /// <summary>Captures of money for an order: must never exceed one.</summary>
    public int Charges(OrderId id) => Ledger.Count(id.Value, "capture");

    public async ValueTask DisposeAsync()
    {
        await _stopPump.CancelAsync();
        await _pump;
        _stopPump.Dispose();
        await _engine.DisposeAsync();
    }
}
