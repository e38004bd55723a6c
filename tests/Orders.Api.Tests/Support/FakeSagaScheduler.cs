using System.Collections.Concurrent;
using Orders.Application.Integration;
using Orders.Application.Ports.Outbound;
using Orders.Domain.ValueObjects;

namespace Orders.Api.Tests.Support;

/// <summary>
/// Records every saga start and restart. The HTTP adapter starts none (the reaction table does, from the change log);
/// the operator resolutions restart finished sagas through <see cref="ISagaRestarter"/>.
/// </summary>
public sealed class FakeSagaScheduler : ISagaScheduler, ISagaRestarter, ISagaProgressReader
{
    /// <summary>The progress the fake reports for every order (none: no saga runs here).</summary>
    public List<SagaProgress> Progress { get; } = [];

    /// <summary>When set, progress reads throw it (an engine that does not answer).</summary>
    public Exception? ProgressFault { get; set; }

    /// <summary>When set, restarts throw it.</summary>
    public Exception? RestartFault { get; set; }

    public Task<bool> RestartAsync(string saga, OrderId orderId, string instanceId, string? refundId, CancellationToken cancellationToken = default)
    {
        if (RestartFault is { } fault) return Task.FromException<bool>(fault);
        Starts.Enqueue($"restart:{instanceId}");
        return Task.FromResult(true);
    }

    public Task<IReadOnlyList<SagaProgress>> GetProgressAsync(OrderId orderId, CancellationToken cancellationToken = default) =>
        ProgressFault is { } fault ? Task.FromException<IReadOnlyList<SagaProgress>>(fault)
            : Task.FromResult<IReadOnlyList<SagaProgress>>([.. Progress.Where(p => p.InstanceId.Contains(orderId.Value, StringComparison.Ordinal))]);

    public Task<IReadOnlyList<OrderId>> FindOrdersWithFailedRefundsAsync(DateTimeOffset createdSince, int max, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<OrderId>>([.. Progress.Where(p => p.RuntimeStatus is "Failed" or "Terminated")
            .Select(p => SagaNames.OrderOfRefund(p.InstanceId)).OfType<OrderId>().Distinct().Take(max)]);

    public ConcurrentQueue<string> Starts { get; } = new();

    public Task StartCheckoutAsync(OrderId orderId, CancellationToken cancellationToken = default)
    {
        Starts.Enqueue($"checkout:{orderId}");
        return Task.CompletedTask;
    }

    public Task StartFulfillmentAsync(OrderId orderId, CancellationToken cancellationToken = default)
    {
        Starts.Enqueue($"fulfillment:{orderId}");
        return Task.CompletedTask;
    }

    public Task StartRefundAsync(OrderId orderId, string refundId, CancellationToken cancellationToken = default)
    {
        Starts.Enqueue($"refund:{orderId}:{refundId}");
        return Task.CompletedTask;
    }
}
