using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orders.Application.Integration;
using Orders.Application.Ports.Outbound;
using Orders.Application.Reactions;
using Orders.Application.Tests.UseCases;
using Orders.Application.UseCases.Commands;
using Orders.Domain.ValueObjects;
using Orders.Infrastructure.InMemory;
using Orders.Infrastructure.Jobs;
using static Orders.Application.Tests.TestData;

namespace Orders.Application.Tests.Reactions;

/// <summary>
/// The reaction table over a real store's change log (in memory or SQLite), with recording saga and gateway ports
/// and the real integration event handler. The clock stands at <see cref="TestData.T0"/>.
/// </summary>
public sealed class ReactionWorld : IDisposable
{
    public ReactionWorld(bool sqlite = false)
    {
        H = new Harness(sqlite);
        var runner = new Application.UseCases.OrderCommandRunner(H.Store, H.Options);
        Handler = new IntegrationEventHandler(H.Store, Signals, Inbox, new MarkOrderPaid(runner), new RecordCashCollected(runner),
            new Application.UseCases.Resolutions.ReturnLateCapture(runner, Inbox, new InMemoryStuckOrderLog()), new InMemoryStuckOrderLog(), Clock,
            NullLogger<IntegrationEventHandler>.Instance);
    }

    public Harness H { get; }
    public RecordingSagas Sagas { get; } = new();
    public RecordingGateways Gateways { get; } = new();
    public RecordingSignals Signals { get; } = new();
    public InMemoryInbox Inbox { get; } = new();
    public FakeTimeProvider Clock { get; } = new(T0);
    public IntegrationEventHandler Handler { get; }

    /// <summary>A fresh runner each time, as each pump run (or a restarted process) builds one: all state is in the store.</summary>
    public OrderReactions Reactions => new(H.Log, H.Store, Sagas, new CancellationCompensator(H.Store, Gateways, Gateways, Gateways), Handler, Clock,
        NullLogger<OrderReactions>.Instance);

    public Task<int> RunAsync(ReactionLane lane, int max = 100) => Reactions.RunOnceAsync(lane, max);

    /// <summary>Every lane once, as one pump run.</summary>
    public async Task RunAllAsync()
    {
        foreach (var lane in OrderReactions.Lanes) await RunAsync(lane, 10_000);
    }

    public void Dispose() => H.Dispose();
}

/// <summary>Records saga starts (as the Durable client would, idempotently: a repeated start is counted, not run twice).</summary>
public sealed class RecordingSagas : ISagaScheduler
{
    public List<string> Starts { get; } = [];

    /// <summary>When set, every start throws it (the engine unreachable).</summary>
    public Exception? Failure { get; set; }

    public Task StartCheckoutAsync(OrderId orderId, CancellationToken cancellationToken = default) => Record(SagaNames.CheckoutId(orderId));

    public Task StartFulfillmentAsync(OrderId orderId, CancellationToken cancellationToken = default) => Record(SagaNames.FulfillmentId(orderId));

    public Task StartRefundAsync(OrderId orderId, string refundId, CancellationToken cancellationToken = default) => Record(SagaNames.RefundId(orderId, refundId));

    private readonly Lock _lock = new();

    private Task Record(string instanceId)
    {
        if (Failure is { } failure) throw failure;
        lock (_lock) Starts.Add(instanceId); // a batch's starts run concurrently
        return Task.CompletedTask;
    }
}

public sealed class RecordingSignals : ISagaSignals
{
    public List<(string InstanceId, string EventName)> Raised { get; } = [];

    public Task RaiseAsync(string instanceId, string eventName, object payload, CancellationToken cancellationToken = default)
    {
        Raised.Add((instanceId, eventName));
        return Task.CompletedTask;
    }
}

public sealed class RecordingGateways : IInventoryPort, IPaymentsPort, IPromotionsPort
{
    public List<ReleasePromotions> PromotionReleases { get; } = [];
    public List<ReleaseStock> Releases { get; } = [];
    public List<VoidPayment> Voids { get; } = [];

    public Task RedeemAsync(RedeemPromotions request, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task ReleaseAsync(ReleasePromotions request, CancellationToken cancellationToken = default)
    {
        PromotionReleases.Add(request);
        return Task.CompletedTask;
    }

    public Task ReserveAsync(ReserveStock request, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task ReleaseAsync(ReleaseStock request, CancellationToken cancellationToken = default)
    {
        Releases.Add(request);
        return Task.CompletedTask;
    }

    public Task InitiateAsync(InitiatePayment request, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task VoidAsync(VoidPayment request, CancellationToken cancellationToken = default)
    {
        Voids.Add(request);
        return Task.CompletedTask;
    }

    public Task ReverseAsync(ReversePayment request, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
