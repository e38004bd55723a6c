using System.Collections.Concurrent;
using Orders.Application.Integration;
using Orders.Application.Ports.Outbound;
using Orders.Domain.ValueObjects;

namespace Orders.Jobs.Tests.Support;

/// <summary>
/// The saga engine as the jobs see it: instances by id with a runtime status and step, started at most once (like
/// the real client, a start for an existing instance in any status is ignored), and every start call recorded.
/// </summary>
public sealed class FakeSagas : ISagaScheduler, ISagaProgressReader
{
    private readonly ConcurrentDictionary<string, SagaProgress> _instances = new(StringComparer.Ordinal);

    public ConcurrentQueue<string> StartCalls { get; } = new();

    public DateTimeOffset Now { get; set; }

    /// <summary>Runs after each start call with the instance id: a saga that moves its order at once, as a fast one does.</summary>
    public Func<string, Task>? OnStart { get; set; }

    public void Set(string saga, string instanceId, string runtimeStatus, string? step = null) =>
        _instances[instanceId] = new SagaProgress(saga, instanceId, runtimeStatus, step, Now);

    public void Checkout(OrderId orderId, string runtimeStatus, string? step = null) => Set(SagaNames.Checkout, SagaNames.CheckoutId(orderId), runtimeStatus, step);

    public void Fulfillment(OrderId orderId, string runtimeStatus, string? step = null) => Set(SagaNames.Fulfillment, SagaNames.FulfillmentId(orderId), runtimeStatus, step);

    public void Refund(OrderId orderId, string refundId, string runtimeStatus, string? step = null) =>
        Set(SagaNames.Refund, SagaNames.RefundId(orderId, refundId), runtimeStatus, step);

    public Task StartCheckoutAsync(OrderId orderId, CancellationToken cancellationToken = default) =>
        Start(SagaNames.Checkout, SagaNames.CheckoutId(orderId));

    public Task StartFulfillmentAsync(OrderId orderId, CancellationToken cancellationToken = default) =>
        Start(SagaNames.Fulfillment, SagaNames.FulfillmentId(orderId));

    public Task StartRefundAsync(OrderId orderId, string refundId, CancellationToken cancellationToken = default) =>
        Start(SagaNames.Refund, SagaNames.RefundId(orderId, refundId));

    public Task<IReadOnlyList<SagaProgress>> GetProgressAsync(OrderId orderId, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<SagaProgress> found = _instances.Values
            .Where(p => p.InstanceId == SagaNames.CheckoutId(orderId) || p.InstanceId == SagaNames.FulfillmentId(orderId)
                        || p.InstanceId.StartsWith(SagaNames.RefundPrefix(orderId), StringComparison.Ordinal))
            .OrderBy(p => p.InstanceId, StringComparer.Ordinal).ToArray();
        return Task.FromResult(found);
    }

    /// <summary>A refund saga that gave up: Completed, its output escalated (the real client reads the output).</summary>
    public void RefundGaveUp(OrderId orderId, string refundId, string? step = null)
    {
        Refund(orderId, refundId, "Completed", step);
        _gaveUp[SagaNames.RefundId(orderId, refundId)] = true;
    }

    private readonly ConcurrentDictionary<string, bool> _gaveUp = new(StringComparer.Ordinal);

    /// <summary>A finished instance purged after its retention: the engine no longer knows it.</summary>
    public void Purge(string instanceId)
    {
        _instances.TryRemove(instanceId, out _);
        _gaveUp.TryRemove(instanceId, out _);
    }

    /// <summary>The fake has no creation times: <see cref="SagaProgress.LastUpdatedAt"/> stands in for them.</summary>
    public Task<IReadOnlyList<OrderId>> FindOrdersWithFailedRefundsAsync(DateTimeOffset createdSince, int max, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<OrderId>>([.. _instances.Values.Where(p => (p.RuntimeStatus is "Failed" or "Terminated"
                || (p.RuntimeStatus == "Completed" && _gaveUp.ContainsKey(p.InstanceId))) && p.LastUpdatedAt >= createdSince)
            .OrderBy(p => p.InstanceId, StringComparer.Ordinal).Select(p => SagaNames.OrderOfRefund(p.InstanceId)).OfType<OrderId>().Distinct().Take(max)]);

    private Task Start(string saga, string instanceId)
    {
        StartCalls.Enqueue(instanceId);
        _instances.TryAdd(instanceId, new SagaProgress(saga, instanceId, "Running", "started", Now));
        return OnStart?.Invoke(instanceId) ?? Task.CompletedTask;
    }
}
