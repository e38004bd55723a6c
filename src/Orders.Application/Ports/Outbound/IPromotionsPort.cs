using Orders.Domain.ValueObjects;

namespace Orders.Application.Ports.Outbound;

/// <summary>
/// Tells the promotions domain which codes an order used (redeemed when it is confirmed, released when it is
/// cancelled). Prices never depend on it after creation: promotions arrive as data in the create command.
/// </summary>
public interface IPromotionsPort
{
    Task RedeemAsync(OrderId orderId, IReadOnlyList<string> codes, string idempotencyKey, CancellationToken cancellationToken = default);

    Task ReleaseAsync(OrderId orderId, IReadOnlyList<string> codes, string idempotencyKey, CancellationToken cancellationToken = default);
}
