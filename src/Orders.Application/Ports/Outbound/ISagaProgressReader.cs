using Orders.Domain.ValueObjects;

namespace Orders.Application.Ports.Outbound;

/// <summary>A saga's progress as its orchestration reports it (custom status).</summary>
public sealed record SagaProgress(string Saga, string InstanceId, string RuntimeStatus, string? Step, DateTimeOffset? LastUpdatedAt);

/// <summary>Reads the progress of an order's sagas from wherever they run (Durable Functions, the in-process engine).</summary>
public interface ISagaProgressReader
{
    Task<IReadOnlyList<SagaProgress>> GetProgressAsync(OrderId orderId, CancellationToken cancellationToken = default);
}
