using Orders.Domain.ValueObjects;

namespace Orders.Application.Ports.Outbound;

/// <summary>
/// Runs a saga instance again from its start, under the same instance id, when an operator retries it
/// (decision 0016). The saga re-reads the order and re-sends its requests with the same idempotency keys, so the other
/// domain acts once and answers again. An instance still running is never replaced: the answer is false.
/// </summary>
public interface ISagaRestarter
{
    /// <summary>Restarts <paramref name="instanceId"/> of <paramref name="saga"/> (a <see cref="Integration.SagaNames"/> name); false when it is still running.</summary>
    Task<bool> RestartAsync(string saga, OrderId orderId, string instanceId, string? refundId, CancellationToken cancellationToken = default);
}
