using Orders.Application.Views;
using Orders.Domain.ValueObjects;

namespace Orders.Application.ReadModels;

/// <summary>
/// The query side (CQRS-lite): views built from the change log by idempotent projections, never by joining the
/// order store. Lists are newest first and paged with opaque continuation tokens.
/// </summary>
public interface IReadModelQueries
{
    /// <summary>The projected order detail (with history), or null when the projection has not seen the order.</summary>
    Task<OrderView?> GetOrderDetailAsync(OrderId orderId, CancellationToken cancellationToken = default);

    Task<Page<OrderListItem>> ListBuyerOrdersAsync(BuyerId buyerId, OrderStatus? status, int pageSize, string? continuationToken, CancellationToken cancellationToken = default);

    Task<Page<OrderListItem>> ListSellerOrdersAsync(SellerId sellerId, OrderStatus? status, int pageSize, string? continuationToken, CancellationToken cancellationToken = default);

    /// <summary>A seller's dashboard as of <paramref name="now"/> (lateness is judged against the shipping service level).</summary>
    Task<SellerDashboard> GetSellerDashboardAsync(SellerId sellerId, DateTimeOffset now, CancellationToken cancellationToken = default);
}
