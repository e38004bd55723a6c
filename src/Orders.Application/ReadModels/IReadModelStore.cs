using Orders.Domain.ValueObjects;

namespace Orders.Application.ReadModels;

/// <summary>
/// The write side of the read models, used only by <see cref="OrderProjector"/>: the order detail keyed by order id,
/// the buyer's list keyed by (buyer, order), the seller's list and dashboard rows keyed by (seller, order). Every
/// record carries the last sequence applied to it, and every put is conditional: it writes only when the record is
/// newer than the stored one and returns whether it wrote. So views never move backwards, whatever the order of
/// redelivered or concurrent writes. Puts are independent (no transaction spans them: in Cosmos DB they live in
/// different partitions; SQLite's <see cref="PutViewsAsync"/> happens to write a batch in one); the projector is
/// written so that a crash between two of them converges on the rerun.
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

    /// <summary>
    /// The details of several orders (those without one are left out). A store that can reads them in one read
    /// transaction (SQLite); by default, one <see cref="GetDetailAsync"/> after another.
    /// </summary>
    async Task<IReadOnlyDictionary<OrderId, OrderDetailRecord>> GetDetailsAsync(IReadOnlyCollection<OrderId> orderIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(orderIds);
        var details = new Dictionary<OrderId, OrderDetailRecord>(orderIds.Count);
        foreach (var orderId in orderIds)
            if (await GetDetailAsync(orderId, cancellationToken).ConfigureAwait(false) is { } detail) details[orderId] = detail;
        return details;
    }

    /// <summary>
    /// Writes the views of several orders, each exactly as the conditional puts above would: the detail (when given),
    /// then the buyer's item, then the sellers' records. A store that can writes the whole batch in one transaction
    /// (SQLite: one commit instead of three or more per event); by default, one put after another, in that order, so
    /// that a crash part-way through converges on the rerun as a crash between two puts always did.
    /// </summary>
    async Task PutViewsAsync(IReadOnlyList<OrderViews> views, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(views);
        foreach (var view in views)
        {
            if (view.Detail is { } detail) await PutDetailAsync(detail, cancellationToken).ConfigureAwait(false);
            await PutBuyerItemAsync(view.BuyerItem, cancellationToken).ConfigureAwait(false);
            foreach (var record in view.SellerRecords) await PutSellerItemAsync(record, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>
/// What the projection writes for one order after folding a batch's entries into it: the detail (null when no entry
/// was new to it, only the views below are written again), the buyer's list item and one record per seller.
/// </summary>
public sealed record OrderViews(OrderDetailRecord? Detail, OrderListItem BuyerItem, IReadOnlyList<SellerOrderRecord> SellerRecords);
