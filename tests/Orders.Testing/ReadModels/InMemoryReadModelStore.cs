using Orders.Application.ReadModels;
using Orders.Application.Views;
using Orders.Domain.ValueObjects;

namespace Orders.Infrastructure.ReadModels;

/// <summary>
/// The read models in memory, for unit tests and quick local runs. Same semantics as <c>SqliteReadModelStore</c>
/// (the same test class runs against both): conditional puts, newest-first keyset pages, the same dashboard rules.
/// </summary>
public sealed class InMemoryReadModelStore(ReadModelOptions? options = null) : IReadModelStore, IReadModelQueries
{
    private readonly ReadModelOptions _options = options ?? new ReadModelOptions();
    private readonly Lock _lock = new();
    private readonly Dictionary<OrderId, OrderDetailRecord> _details = [];
    private readonly Dictionary<(BuyerId, OrderId), OrderListItem> _buyers = [];
    private readonly Dictionary<(SellerId, OrderId), SellerOrderRecord> _sellers = [];

    public Task<OrderDetailRecord?> GetDetailAsync(OrderId orderId, CancellationToken cancellationToken = default)
    {
        lock (_lock) return Task.FromResult(_details.GetValueOrDefault(orderId));
    }

    public Task<bool> PutDetailAsync(OrderDetailRecord detail, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(detail);
        lock (_lock) return Task.FromResult(PutIfNewer(_details, detail.OrderId, detail, detail.Sequence, d => d.Sequence));
    }

    public Task<OrderListItem?> GetBuyerItemAsync(BuyerId buyerId, OrderId orderId, CancellationToken cancellationToken = default)
    {
        lock (_lock) return Task.FromResult(_buyers.GetValueOrDefault((buyerId, orderId)));
    }

    public Task<bool> PutBuyerItemAsync(OrderListItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        lock (_lock) return Task.FromResult(PutIfNewer(_buyers, (item.BuyerId, item.OrderId), item, item.Version, i => i.Version));
    }

    public Task<SellerOrderRecord?> GetSellerItemAsync(SellerId sellerId, OrderId orderId, CancellationToken cancellationToken = default)
    {
        lock (_lock) return Task.FromResult(_sellers.GetValueOrDefault((sellerId, orderId)));
    }

    public Task<bool> PutSellerItemAsync(SellerOrderRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_lock) return Task.FromResult(PutIfNewer(_sellers, (record.SellerId, record.Item.OrderId), record, record.Sequence, r => r.Sequence));
    }

    public Task<OrderView?> GetOrderDetailAsync(OrderId orderId, CancellationToken cancellationToken = default)
    {
        lock (_lock) return Task.FromResult(_details.GetValueOrDefault(orderId)?.View);
    }

    public Task<Page<OrderListItem>> ListBuyerOrdersAsync(BuyerId buyerId, OrderStatus? status, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(buyerId);
        ReadModelPaging.ValidatePageSize(pageSize);
        var after = ReadModelPaging.Decode(continuationToken);
        lock (_lock) return Task.FromResult(PageOf(_buyers.Values.Where(i => i.BuyerId == buyerId), status, pageSize, after));
    }

    public Task<Page<OrderListItem>> ListSellerOrdersAsync(SellerId sellerId, OrderStatus? status, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sellerId);
        ReadModelPaging.ValidatePageSize(pageSize);
        var after = ReadModelPaging.Decode(continuationToken);
        lock (_lock) return Task.FromResult(PageOf(_sellers.Values.Where(r => r.SellerId == sellerId).Select(r => r.Item), status, pageSize, after));
    }

    public Task<SellerDashboard> GetSellerDashboardAsync(SellerId sellerId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sellerId);
        var serviceLevel = _options.ShippingServiceLevel;
        lock (_lock)
        {
            var rows = _sellers.Values.Where(r => r.SellerId == sellerId).ToArray();
            var totals = rows.GroupBy(r => (r.Item.Status, r.SellerValue.Currency))
                .Select(g => (g.Key.Status, Money.Sum(g.Select(r => r.SellerValue), g.Key.Currency), g.Count()));
            var waiting = rows.Where(r => r.ReadySince is not null)
                .Select(r => (r.Item.OrderId, r.Item.Version, ReadySince: r.ReadySince!.Value))
                .OrderBy(w => w.ReadySince.UtcTicks).ThenBy(w => w.OrderId.Value, StringComparer.Ordinal)
                .ToArray();
            var late = waiting.Count(w => SellerDashboards.IsLate(w.ReadySince, now, serviceLevel));
            return Task.FromResult(SellerDashboards.Build(sellerId, totals, waiting.Take(_options.MaxAwaitingShipments), late, now, serviceLevel));
        }
    }

    private static Page<OrderListItem> PageOf(IEnumerable<OrderListItem> items, OrderStatus? status, int pageSize, ListKey? after) =>
        ReadModelPaging.PageOf(items
            .Where(i => status is null || i.Status == status)
            .Where(i => after is not { } key || ListKey.Compare(ListKey.Of(i), key) > 0)
            .Order(Comparer<OrderListItem>.Create((a, b) => ListKey.Compare(ListKey.Of(a), ListKey.Of(b))))
            .Take(pageSize + 1)
            .ToArray(), pageSize);

    private static bool PutIfNewer<TKey, TValue>(Dictionary<TKey, TValue> map, TKey key, TValue value, long sequence, Func<TValue, long> sequenceOf)
        where TKey : notnull
    {
        if (map.TryGetValue(key, out var stored) && sequenceOf(stored) >= sequence) return false;
        map[key] = value;
        return true;
    }
}
