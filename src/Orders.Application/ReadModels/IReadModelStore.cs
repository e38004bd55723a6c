using Orders.Domain.ValueObjects;

namespace Orders.Application.ReadModels;

/// <summary>
/// The write side of the read models, used only by <see cref="OrderProjector"/>: the order detail keyed by order id,
/// the buyer's list keyed by (buyer, order), the seller's list and dashboard rows keyed by (seller, order). Every
/// record carries the last sequence applied to it, and every put is conditional: it writes only when the record is
/// newer than the stored one and returns whether it wrote. So views never move backwards, whatever the order of
/// redelivered or concurrent writes. Puts are independent (no transaction spans them: in Cosmos DB they live in
/// different partitions); the projector is written so that a crash between two of them converges on the rerun.
/// </summary>
public interface IReadModelStore
{
    Task<OrderDetailRecord?> GetDetailAsync(OrderId orderId, CancellationToken cancellationToken = default);

    Task<bool> PutDetailAsync(OrderDetailRecord detail, CancellationToken cancellationToken = default);

    Task<OrderListItem?> GetBuyerItemAsync(BuyerId buyerId, OrderId orderId, CancellationToken cancellationToken = default);

    /// <summary>Writes the buyer's list item; its <see cref="OrderListItem.Version"/> is the last sequence applied.</summary>
    Task<bool> PutBuyerItemAsync(OrderListItem item, CancellationToken cancellationToken = default);

    Task<SellerOrderRecord?> GetSellerItemAsync(SellerId sellerId, OrderId orderId, CancellationToken cancellationToken = default);

    Task<bool> PutSellerItemAsync(SellerOrderRecord record, CancellationToken cancellationToken = default);
}
