using Orders.Domain.ValueObjects;

namespace Orders.Application.Ports.Outbound;

/// <summary>A saga's progress as its orchestration reports it (custom status).</summary>
public sealed record SagaProgress(string Saga, string InstanceId, string RuntimeStatus, string? Step, DateTimeOffset? LastUpdatedAt);

/// <summary>Reads the progress of an order's sagas from wherever they run (Durable Functions, the in-process engine).</summary>
public interface ISagaProgressReader
{
    Task<IReadOnlyList<SagaProgress>> GetProgressAsync(OrderId orderId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The orders of refund sagas created since <paramref name="createdSince"/> that failed, were terminated or gave up
    /// (completed escalated: the reversal was refused or never came), each once, at most <paramref name="max"/>.
    /// Detect-stuck asks, because its walks visit non-terminal orders only, and a cancelled order can still owe a refund
    /// (a capture it never took) whose saga failed or gave up. Failed and terminated sagas are never purged, so the engine
    /// keeps them; an escalated one is purged with the other finished sagas after their retention (7 days by default),
    /// long after detect-stuck (every 15 minutes in the function app) has flagged its order. The flag stays while the
    /// refund is pending; once the instance is purged its re-check reads <c>saga-missing</c>, "never started, or finished
    /// and purged after its retention". The bound by creation keeps the ones settled long ago (by an operator, the
    /// instance left failed) from filling the answer.
    /// </summary>
    Task<IReadOnlyList<OrderId>> FindOrdersWithFailedRefundsAsync(DateTimeOffset createdSince, int max, CancellationToken cancellationToken = default);
}
