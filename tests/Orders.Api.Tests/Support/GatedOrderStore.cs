using Orders.Application.Idempotency;
using Orders.Application.Ports.Outbound;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;

namespace Orders.Api.Tests.Support;

/// <summary>
/// The store, with a gate that can hold a save in flight: while <see cref="Gate"/> is set, a save signals
/// <see cref="Entered"/> and waits (bounded) for the gate before it writes. Every other member is forwarded.
/// </summary>
public sealed class GatedOrderStore(IOrderStore inner) : IOrderStore
{
    public TaskCompletionSource? Gate { get; set; }

    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<SaveOutcome> SaveAsync(Order order, IdempotencyRecord? idempotency = null, CancellationToken cancellationToken = default)
    {
        if (Gate is { } gate)
        {
            Entered.TrySetResult();
            await gate.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }
        return await inner.SaveAsync(order, idempotency, cancellationToken);
    }

    public Task<Order?> LoadAsync(OrderId orderId, CancellationToken cancellationToken = default) => inner.LoadAsync(orderId, cancellationToken);

    public Task<StoredOrderState?> ReadStateAsync(OrderId orderId, CancellationToken cancellationToken = default) => inner.ReadStateAsync(orderId, cancellationToken);

    public Task<IdempotencyRecord?> FindIdempotencyRecordAsync(OrderId orderId, string recordId, CancellationToken cancellationToken = default) =>
        inner.FindIdempotencyRecordAsync(orderId, recordId, cancellationToken);

    public Task<int> PurgeExpiredIdempotencyRecordsAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default) =>
        inner.PurgeExpiredIdempotencyRecordsAsync(now, max, cancellationToken);

    public Task<IReadOnlyList<OrderSummary>> FindByStatusAsync(IReadOnlyCollection<OrderStatus> statuses, int max, CancellationToken cancellationToken = default) =>
        inner.FindByStatusAsync(statuses, max, cancellationToken);

    public Task<IReadOnlyList<StoredHistoryEntry>> ReadStoredHistoryAsync(OrderId orderId, CancellationToken cancellationToken = default) =>
        inner.ReadStoredHistoryAsync(orderId, cancellationToken);

    public Task<IReadOnlyList<OrderId>> ListOrderIdsAsync(OrderId? after, int max, CancellationToken cancellationToken = default) =>
        inner.ListOrderIdsAsync(after, max, cancellationToken);
}
