using Orders.Domain.ValueObjects;

namespace Orders.Application.Ports.Outbound;

/// <summary>
/// Starts an order's sagas. Instance ids are derived from the order id and the saga's name (and the refund id), and
/// a start for an instance that exists in any status is ignored, so starting twice is harmless: callers may start
/// on every attempt, and the reconcile job restarts what is missing.
/// </summary>
public interface ISagaScheduler
{
    Task StartCheckoutAsync(OrderId orderId, CancellationToken cancellationToken = default);

    Task StartFulfillmentAsync(OrderId orderId, CancellationToken cancellationToken = default);

    Task StartRefundAsync(OrderId orderId, string refundId, CancellationToken cancellationToken = default);
}
