using Orders.Domain.ValueObjects;

namespace Orders.Application.Ports.Outbound;

/// <summary>A saga's progress as its orchestration reports it (custom status).</summary>
public sealed record SagaProgress(string Saga, string InstanceId, string RuntimeStatus, string? Step, DateTimeOffset? LastUpdatedAt);

/// <summary>Reads the progress of an order's sagas from wherever they run (Durable Functions, the in-process engine).</summary>
public interface ISagaProgressReader
{
    Task<IReadOnlyList<SagaProgress>> GetProgressAsync(OrderId orderId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The orders of refund sagas created since <paramref name="createdSince"/> that failed or were terminated, each once,
    /// at most <paramref name="max"/>. Detect-stuck asks, because its walks visit non-terminal orders only, and a
    /// cancelled order can still owe a refund (a capture after its cancellation) whose saga failed. Failed and terminated
    /// sagas are never purged, so the engine keeps them; the bound by creation keeps the ones settled long ago (by an
    /// operator, the instance left failed) from filling the answer.
    /// </summary>
    Task<IReadOnlyList<OrderId>> FindOrdersWithFailedRefundsAsync(DateTimeOffset createdSince, int max, CancellationToken cancellationToken = default);
}
