using Orders.Application.ReadModels;
using Orders.Domain.ValueObjects;

namespace Orders.ReadModels.Tests.Support;

/// <summary>Counts the writes the projector attempts and the ones the store actually made.</summary>
public sealed class CountingReadModelStore(IReadModelStore inner) : IReadModelStore
{
    public int Attempted { get; private set; }

    public int Written { get; private set; }

    public Task<OrderDetailRecord?> GetDetailAsync(OrderId orderId, CancellationToken cancellationToken = default) =>
        inner.GetDetailAsync(orderId, cancellationToken);

    public Task<bool> PutDetailAsync(OrderDetailRecord detail, CancellationToken cancellationToken = default) =>
        CountAsync(inner.PutDetailAsync(detail, cancellationToken));

    public Task<OrderListItem?> GetBuyerItemAsync(BuyerId buyerId, OrderId orderId, CancellationToken cancellationToken = default) =>
        inner.GetBuyerItemAsync(buyerId, orderId, cancellationToken);

    public Task<bool> PutBuyerItemAsync(OrderListItem item, CancellationToken cancellationToken = default) =>
        CountAsync(inner.PutBuyerItemAsync(item, cancellationToken));

    public Task<SellerOrderRecord?> GetSellerItemAsync(SellerId sellerId, OrderId orderId, CancellationToken cancellationToken = default) =>
        inner.GetSellerItemAsync(sellerId, orderId, cancellationToken);

    public Task<bool> PutSellerItemAsync(SellerOrderRecord record, CancellationToken cancellationToken = default) =>
        CountAsync(inner.PutSellerItemAsync(record, cancellationToken));

    private async Task<bool> CountAsync(Task<bool> write)
    {
        Attempted++;
        var written = await write;
        if (written) Written++;
        return written;
    }
}
