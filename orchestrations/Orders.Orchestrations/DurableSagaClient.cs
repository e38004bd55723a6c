using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Orders.Application.Integration;
using Orders.Application.Ports.Outbound;
using Orders.Domain.ValueObjects;
using Orders.Orchestrations.Sagas;

namespace Orders.Orchestrations;

/// <summary>
/// The application's saga ports over a <see cref="DurableTaskClient"/>: start (at most once per instance id, in any
/// status: <c>DedupeStatuses</c> lists all six, because without them a backend may silently replace a running
/// instance), raise answering events, and read progress (custom status).
/// </summary>
public sealed class DurableSagaClient(DurableTaskClient client, SagaOptions options) : ISagaScheduler, ISagaSignals, ISagaProgressReader, ISagaRestarter
{
    // A restart replaces a finished instance (completed, failed, terminated) and never a live one.
    private static readonly OrchestrationRuntimeStatus[] LiveStatus =
    [
        OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended,
    ];

    private static readonly OrchestrationRuntimeStatus[] AnyStatus =
    [
        OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended,
        OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated,
    ];

    public Task StartCheckoutAsync(OrderId orderId, CancellationToken cancellationToken = default) =>
        StartAsync(nameof(CheckoutSaga), SagaNames.CheckoutId(orderId), new CheckoutInput(orderId.Value, options, CheckoutInput.Current), cancellationToken);

    public Task StartFulfillmentAsync(OrderId orderId, CancellationToken cancellationToken = default) =>
        StartAsync(nameof(FulfillmentSaga), SagaNames.FulfillmentId(orderId), new FulfillmentInput(orderId.Value, options, FulfillmentInput.Current), cancellationToken);

    public Task StartRefundAsync(OrderId orderId, string refundId, CancellationToken cancellationToken = default) =>
        StartAsync(nameof(RefundSaga), SagaNames.RefundId(orderId, refundId), new RefundInput(orderId.Value, refundId, options, RefundInput.Current), cancellationToken);

    public Task<bool> RestartAsync(string saga, OrderId orderId, string instanceId, string? refundId, CancellationToken cancellationToken = default) =>
        EngineCallAsync(() => RestartCoreAsync(saga, orderId, instanceId, refundId, cancellationToken), cancellationToken);

    private async Task<bool> RestartCoreAsync(string saga, OrderId orderId, string instanceId, string? refundId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orderId);
        (string Orchestrator, object Input) start = saga switch
        {
            SagaNames.Checkout => (nameof(CheckoutSaga), new CheckoutInput(orderId.Value, options, CheckoutInput.Current)),
            SagaNames.Fulfillment => (nameof(FulfillmentSaga), new FulfillmentInput(orderId.Value, options, FulfillmentInput.Current)),
            SagaNames.Refund => (nameof(RefundSaga), new RefundInput(orderId.Value, refundId ?? throw new ArgumentNullException(nameof(refundId)), options, RefundInput.Current)),
            _ => throw new ArgumentOutOfRangeException(nameof(saga), saga, "Not a saga."),
        };
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(start.Orchestrator, start.Input,
                new StartOrchestrationOptions(instanceId).WithDedupeStatuses(LiveStatus), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OrchestrationAlreadyExistsException)
        {
            return false;
        }
    }

    public async Task RaiseAsync(string instanceId, string eventName, object payload, CancellationToken cancellationToken = default) =>
        await client.RaiseEventAsync(instanceId, eventName, payload, cancellationToken).ConfigureAwait(false);

    public Task<IReadOnlyList<SagaProgress>> GetProgressAsync(OrderId orderId, CancellationToken cancellationToken = default) =>
        EngineCallAsync(() => GetProgressCoreAsync(orderId, cancellationToken), cancellationToken);

    private async Task<IReadOnlyList<SagaProgress>> GetProgressCoreAsync(OrderId orderId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orderId);
        var result = new List<SagaProgress>();
        foreach (var (saga, id) in new[] { (SagaNames.Checkout, SagaNames.CheckoutId(orderId)), (SagaNames.Fulfillment, SagaNames.FulfillmentId(orderId)) })
        {
            var instance = await client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
            if (instance is not null) result.Add(Progress(saga, instance));
        }
        var refunds = client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = SagaNames.RefundPrefix(orderId), FetchInputsAndOutputs = true });
        await foreach (var instance in refunds.WithCancellation(cancellationToken).ConfigureAwait(false))
            result.Add(Progress(SagaNames.Refund, instance));
        return result;
    }

    public Task<IReadOnlyList<OrderId>> FindOrdersWithFailedRefundsAsync(DateTimeOffset createdSince, int max, CancellationToken cancellationToken = default) =>
        EngineCallAsync(() => FindOrdersWithFailedRefundsCoreAsync(createdSince, max, cancellationToken), cancellationToken);

    private async Task<IReadOnlyList<OrderId>> FindOrdersWithFailedRefundsCoreAsync(DateTimeOffset createdSince, int max, CancellationToken cancellationToken)
    {
        var orders = new List<OrderId>();
        var seen = new HashSet<OrderId>();
        if (max <= 0) return orders;
        var failed = client.GetAllInstancesAsync(new OrchestrationQuery
        {
            CreatedFrom = createdSince,
            InstanceIdPrefix = SagaNames.AnyRefundPrefix,
            Statuses = [OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated],
        });
        await foreach (var instance in failed.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (SagaNames.OrderOfRefund(instance.InstanceId) is { } orderId && seen.Add(orderId)) orders.Add(orderId);
            if (orders.Count >= max) return orders;
        }
        // A refund saga that gave up (no reversal, or payments refused it) escalates and completes: its runtime status is
        // Completed and its output says escalated. The refund stays pending; the order must be flagged all the same.
        var completed = client.GetAllInstancesAsync(new OrchestrationQuery
        {
            CreatedFrom = createdSince,
            InstanceIdPrefix = SagaNames.AnyRefundPrefix,
            Statuses = [OrchestrationRuntimeStatus.Completed],
            FetchInputsAndOutputs = true,
        });
        await foreach (var instance in completed.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (!GaveUp(instance)) continue;
            if (SagaNames.OrderOfRefund(instance.InstanceId) is { } orderId && seen.Add(orderId)) orders.Add(orderId);
            if (orders.Count >= max) break;
        }
        return orders;
    }

    /// <summary>
    /// A completed refund saga whose output says escalated. An output that cannot be read counts as given up: detect-stuck
    /// then judges the order itself (a refund no longer pending is not flagged), and one bad output cannot stop its run.
    /// </summary>
    private static bool GaveUp(OrchestrationMetadata instance)
    {
        try
        {
            return instance.ReadOutputAs<SagaOutcome>() is not { } outcome || outcome.Result == SagaResult.Escalated;
        }
        catch (System.Text.Json.JsonException)
        {
            return true;
        }
    }

    /// <summary>
    /// How many instances of <paramref name="saga"/> are still live (pending, running or suspended), per behaviour
    /// revision (the input's <c>Version</c>; an input without one is revision 1). A revision's branch in the saga may be
    /// deleted once no instance of it is live, and the recorded histories of it retired with it (decision 0025).
    /// </summary>
    public async Task<IReadOnlyDictionary<int, int>> LiveRevisionsAsync(string saga, CancellationToken cancellationToken = default)
    {
        var prefix = saga switch
        {
            SagaNames.Checkout => "checkout-",
            SagaNames.Fulfillment => "fulfillment-",
            SagaNames.Refund => "refund-",
            _ => throw new ArgumentOutOfRangeException(nameof(saga), saga, "Not a saga."),
        };
        var counts = new SortedDictionary<int, int>();
        var live = client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = prefix, Statuses = LiveStatus, FetchInputsAndOutputs = true });
        await foreach (var instance in live.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (instance.Name != saga) continue;
            var revision = instance.ReadInputAs<RevisionOnly>()?.Version ?? 1;
            counts[revision] = counts.GetValueOrDefault(revision) + 1;
        }
        return counts;
    }

    /// <summary>The one field every saga input shares: its behaviour revision (absent in inputs written before it: 1).</summary>
    private sealed record RevisionOnly(int Version = 1);

    private static SagaProgress Progress(string saga, OrchestrationMetadata instance) =>
        new(saga, instance.InstanceId, instance.RuntimeStatus.ToString(), instance.ReadCustomStatusAs<SagaStatus>()?.Step, instance.LastUpdatedAt);

    private Task StartAsync(string orchestrator, string instanceId, object input, CancellationToken cancellationToken) =>
        EngineCallAsync(async () =>
        {
            try
            {
                await client.ScheduleNewOrchestrationInstanceAsync(orchestrator, input,
                    new StartOrchestrationOptions(instanceId).WithDedupeStatuses(AnyStatus), cancellationToken).ConfigureAwait(false);
            }
            catch (OrchestrationAlreadyExistsException)
            {
                // Started before, by us or by a concurrent caller: exactly what "start at most once" means.
            }
        }, cancellationToken);

    private static Task EngineCallAsync(Func<Task> call, CancellationToken cancellationToken) =>
        EngineCallAsync(async () =>
        {
            await call().ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>
    /// Runs one call to the engine, turning its faults (the Functions host's gRPC errors, the in-process engine's store
    /// failing, a timeout) into <see cref="SagaEngineUnavailableException"/>: a fault of a dependency, which the HTTP
    /// API answers with 503 rather than a 500. A cancelled request and an invalid argument stay what they are.
    /// Signals (<see cref="RaiseAsync"/>) are not wrapped: their callers tell the engine's refusals apart.
    /// </summary>
    private static async Task<T> EngineCallAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception fault) when (fault is not (SagaEngineUnavailableException or ArgumentException or System.Text.Json.JsonException)
                                      && !(fault is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            throw new SagaEngineUnavailableException($"The saga engine did not answer ({fault.GetType().Name}: {fault.Message}).", fault);
        }
    }
}
