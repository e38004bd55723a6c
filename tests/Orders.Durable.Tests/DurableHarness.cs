using System.Collections.Concurrent;
using System.Diagnostics;
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

namespace Orders.Durable.Tests;

/// <summary>
/// What outlives an engine: the order store, the inbox, the simulators' knobs and ledger, the log. A restarted engine
/// is given the same world, as a restarted local host finds the same SQLite files.
/// </summary>
public sealed class SagaWorld
{
    public InMemoryOrderStore Store { get; } = new();
    public InMemoryInbox Inbox { get; } = new();
    public SimulatorKnobs Knobs { get; } = new();
    public SimulatorLedger Ledger { get; } = new();
    public ListLoggerProvider Logs { get; } = new();

    /// <summary>When each order's payment was last requested (the InitiatePaymentStep activity ran).</summary>
    public ConcurrentDictionary<string, DateTimeOffset> PaymentRequests { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// The sagas on the in-process engine over Azure Storage (Azurite), wired like the orchestration tests' harness:
/// the real use cases over an in-memory store, the real integration event handler, the simulators answering through
/// it. Status is polled every 50 ms (the client's own wait polls the backend about every 2 s).
/// </summary>
public sealed class DurableHarness : IAsyncDisposable
{
    public static readonly SagaOptions FastOptions = new()
    {
        InventoryTimeout = TimeSpan.FromSeconds(30),
        PaymentTimeout = TimeSpan.FromSeconds(30),
        ShipmentTimeout = TimeSpan.FromSeconds(30),
        DeliveryTimeout = TimeSpan.FromSeconds(30),
        ReversalTimeout = TimeSpan.FromSeconds(30),
        MaxEscalations = 1,
        MaxAttempts = 4,
        FirstRetryInterval = TimeSpan.FromMilliseconds(50),
    };

    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly InProcessDurableEngine _engine;
    private readonly CancellationTokenSource _stopPump = new();
    private readonly Task _pump;

    private DurableHarness(InProcessDurableEngine engine, SagaWorld world, TimeSpan startTime)
    {
        _engine = engine;
        World = world;
        StartTime = startTime;
        _pump = PumpAsync();
    }

    /// <summary>
    /// A host's change-feed pump, reduced to the reaction table's saga-start lane (the fulfillment after order.paid, a
    /// refund after order.refund-requested). Checkouts are left to each test, which sets the simulators' knobs for the
    /// new order before it starts one. Its checkpoints are in the world's store, so a restarted engine's pump goes on.
    /// </summary>
    private async Task PumpAsync()
    {
        var reactions = new OrderReactions(World.Store, World.Store, new CheckoutsLeftToTests(Sagas),
            new CancellationCompensator(World.Store, Simulators, Simulators, Simulators), Services.GetRequiredService<IntegrationEventHandler>(),
            TimeProvider.System, NullLogger<OrderReactions>.Instance);
        while (!_stopPump.IsCancellationRequested)
        {
            try
            {
                await reactions.RunOnceAsync(ReactionLane.SagaStarts, 100, _stopPump.Token);
                await Task.Delay(PollInterval, _stopPump.Token);
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

    private sealed class CheckoutsLeftToTests(ISagaScheduler inner) : ISagaScheduler
    {
        public Task StartCheckoutAsync(OrderId orderId, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task StartFulfillmentAsync(OrderId orderId, CancellationToken cancellationToken = default) => inner.StartFulfillmentAsync(orderId, cancellationToken);

        public Task StartRefundAsync(OrderId orderId, string refundId, CancellationToken cancellationToken = default) =>
            inner.StartRefundAsync(orderId, refundId, cancellationToken);
    }

    public SagaWorld World { get; }
    public TimeSpan StartTime { get; }
    public InProcessDurableEngine Engine => _engine;
    public DurableTaskClient Client => _engine.Client;
    public IServiceProvider Services => _engine.Services;
    public SimulatedDomains Simulators => Services.GetRequiredService<SimulatedDomains>();
    public DurableSagaClient Sagas => Services.GetRequiredService<DurableSagaClient>();

    /// <summary>Starts an engine on <paramref name="taskHub"/> (created when missing) over <paramref name="world"/>.</summary>
    public static async Task<DurableHarness> StartAsync(string taskHub, SagaWorld world, SagaOptions? options = null)
    {
        var backend = await Azurite.BackendAsync(taskHub);
        var clock = Stopwatch.StartNew();
        var engine = await InProcessDurableEngine.StartAsync(r => r.AddOrderSagas(), services => Configure(services, world, options ?? FastOptions),
            loggerFactory: new LoggerFactory([world.Logs]), backend: backend);
        return new DurableHarness(engine, world, clock.Elapsed);
    }

    private static void Configure(IServiceCollection services, SagaWorld world, SagaOptions options)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ILoggerFactory>(new LoggerFactory([world.Logs]));
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton<IOrderStore>(world.Store);
        services.AddSingleton<IInbox>(world.Inbox);
        services.AddSingleton<Orders.Application.Jobs.IStuckOrderLog, Orders.Infrastructure.Jobs.InMemoryStuckOrderLog>();
        services.AddSingleton(new CommandOptions());
        services.AddSingleton<OrderCommandRunner>();
        foreach (var useCase in new[] { typeof(CreateOrder), typeof(ConfirmOrder), typeof(CancelOrder), typeof(MarkOrderPaid), typeof(RecordShipment),
                     typeof(RecordDelivery), typeof(SplitOrder), typeof(RecordCashCollected), typeof(InitiateRefund), typeof(RecordRefund), typeof(CloseOrder),
                     typeof(Orders.Application.UseCases.Resolutions.ReturnLateCapture), typeof(Orders.Application.UseCases.Resolutions.RetrySaga),
                     typeof(Orders.Application.UseCases.Resolutions.ResolveLostParcel), typeof(Orders.Application.UseCases.Resolutions.SettleRefund) })
            services.AddSingleton(useCase);
        services.AddSingleton(options);
        services.AddDurableSagaClient();
        services.AddSingleton<IntegrationEventHandler>();
        services.AddSimulatedDomains(world.Knobs, world.Ledger, (sp, simulated) => new WatchedPayments(simulated, world.PaymentRequests));
    }

    /// <summary>Creates an order (one seller) and returns its id.</summary>
    public async Task<OrderId> CreateOrderAsync(string key, OrderType type = OrderType.Prepaid)
    {
        var items = new[] { "sku-1", "sku-2" }.Select((sku, i) =>
            OrderItem.Snapshot(i + 1, sku, "prod-" + sku, SellerId.From("seller-a"), "Item " + sku, Money.Of(1000 * (i + 1), Currency.EUR), 1)).ToArray();
        var command = new CreateOrderCommand(BuyerId.From("buyer-1"), type, items, [], Money.Of(500, Currency.EUR),
            new ShippingAddress("Grace Hopper", "1 Harbour Road", null, "Arlington", "22201", "US"));
        var reply = await Services.GetRequiredService<CreateOrder>().ExecuteAsync(command,
            new RequestContext(Caller.Buyer("buyer-1"), TimeProvider.System.GetUtcNow(), "create-" + key, key));
        return reply.Unwrap().Receipt.OrderId;
    }

    public async Task<Order> OrderAsync(OrderId id) => (await World.Store.LoadAsync(id))!;

    /// <summary>Polls (every 50 ms, bounded) until the instance exists and <paramref name="until"/> holds; returns it.</summary>
    public async Task<OrchestrationMetadata> WaitForAsync(string instanceId, Func<OrchestrationMetadata, bool> until, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        var clock = Stopwatch.StartNew();
        OrchestrationMetadata? last = null;
        while (clock.Elapsed < limit)
        {
            last = await Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true);
            if (last is not null && until(last)) return last;
            await Task.Delay(PollInterval);
        }
        Assert.Fail($"{instanceId}: not {what} after {limit.TotalSeconds:0} s; last seen {Describe(last)}.\n{string.Join("\n", World.Logs.Lines)}");
        return null!;
    }

    /// <summary>Polls until the instance has finished (completed, failed or terminated).</summary>
    public async Task<OrchestrationMetadata> CompletionAsync(string instanceId, TimeSpan? timeout = null)
    {
        var done = await WaitForAsync(instanceId, m => m.IsCompleted, "finished", timeout);
        await Simulators.DrainAsync();
        return done;
    }

    public static string? Step(OrchestrationMetadata metadata) =>
        metadata.SerializedCustomStatus is null ? null : metadata.ReadCustomStatusAs<SagaStatus>()?.Step;

    public static SagaOutcome Outcome(OrchestrationMetadata metadata)
    {
        Assert.True(metadata.RuntimeStatus == OrchestrationRuntimeStatus.Completed,
            $"{metadata.InstanceId} ended {metadata.RuntimeStatus}: {metadata.FailureDetails?.ErrorMessage}");
        return metadata.ReadOutputAs<SagaOutcome>()!;
    }

    private static string Describe(OrchestrationMetadata? m) =>
        m is null ? "no instance" : $"{m.RuntimeStatus}, step {Step(m) ?? "(none)"}, updated {m.LastUpdatedAt:HH:mm:ss.fff}";

    public async ValueTask DisposeAsync()
    {
        await _stopPump.CancelAsync();
        await _pump;
        _stopPump.Dispose();
        await _engine.DisposeAsync();
    }

    /// <summary>Notes when a payment was requested, then lets the simulator act (or stay silent).</summary>
    private sealed class WatchedPayments(IPaymentsPort inner, ConcurrentDictionary<string, DateTimeOffset> requests) : IPaymentsPort
    {
        public async Task InitiateAsync(InitiatePayment request, CancellationToken cancellationToken = default)
        {
            await inner.InitiateAsync(request, cancellationToken);
            requests[request.OrderId.Value] = DateTimeOffset.UtcNow;
        }

        public Task VoidAsync(VoidPayment request, CancellationToken cancellationToken = default) => inner.VoidAsync(request, cancellationToken);

        public Task ReverseAsync(ReversePayment request, CancellationToken cancellationToken = default) => inner.ReverseAsync(request, cancellationToken);
    }
}

/// <summary>Collects warnings and errors (the engine, the backend, the sagas), to show when a test fails.</summary>
public sealed class ListLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new ListLogger(this, categoryName);

    public void Dispose() { }

    private sealed class ListLogger(ListLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) owner.Lines.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)} {exception}");
        }
    }
}
