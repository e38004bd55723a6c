using System.Collections.Concurrent;
using System.Globalization;
using Orders.Application.Ports.Outbound;
using Orders.Application.ReadModels;
using Orders.Application.Views;
using Orders.Domain.ValueObjects;

namespace Orders.Api.Tests.Support;

/// <summary>
/// A read model the test projects by hand (<see cref="ProjectAsync"/>), so a test decides whether the projection has
/// caught up. Lists are derived from the projected views; the last query's arguments are kept for assertions.
/// </summary>
public sealed class InMemoryReadModel(IOrderStore store) : IReadModelQueries
{
    private readonly ConcurrentDictionary<string, OrderView> _views = new(StringComparer.Ordinal);

    public (string Owner, OrderStatus? Status, int PageSize, string? Token)? LastListQuery { get; private set; }

    public async Task<OrderView> ProjectAsync(string orderId)
    {
        var order = await store.LoadAsync(OrderId.From(orderId)) ?? throw new InvalidOperationException($"No order {orderId}.");
        return _views[orderId] = OrderView.From(order);
    }

    public Task<OrderView?> GetOrderDetailAsync(OrderId orderId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_views.GetValueOrDefault(orderId.Value));

    public Task<Page<OrderListItem>> ListBuyerOrdersAsync(BuyerId buyerId, OrderStatus? status, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        LastListQuery = ("buyer:" + buyerId.Value, status, pageSize, continuationToken);
        return Task.FromResult(PageOf(_views.Values.Where(v => v.BuyerId == buyerId), status, pageSize, continuationToken));
    }

    public Task<Page<OrderListItem>> ListSellerOrdersAsync(SellerId sellerId, OrderStatus? status, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        LastListQuery = ("seller:" + sellerId.Value, status, pageSize, continuationToken);
        return Task.FromResult(PageOf(_views.Values.Where(v => v.Sellers.Contains(sellerId)), status, pageSize, continuationToken));
    }

    public Task<SellerDashboard> GetSellerDashboardAsync(SellerId sellerId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var views = _views.Values.Where(v => v.Sellers.Contains(sellerId)).ToArray();
        var byStatus = views.GroupBy(v => v.Status)
            .Select(g => new StatusTotal(g.Key, g.Count(), [Money.Sum(g.Select(v => v.Pricing.Total), g.First().Pricing.Total.Currency)]))
            .ToArray();
        var awaiting = views.Where(v => v.Status == OrderStatus.Paid)
            .Select(v => new AwaitingShipment(v.OrderId, v.Version, v.Payment!.RecordedAt, now - v.Payment.RecordedAt > TimeSpan.FromDays(2)))
            .ToArray();
        return Task.FromResult(new SellerDashboard(sellerId, byStatus, awaiting, awaiting.Count(a => a.Late), now));
    }

    private static Page<OrderListItem> PageOf(IEnumerable<OrderView> views, OrderStatus? status, int pageSize, string? token)
    {
        var all = views.Where(v => status is null || v.Status == status)
            .OrderByDescending(v => v.CreatedAt).ThenBy(v => v.OrderId.Value, StringComparer.Ordinal)
            .Select(v => new OrderListItem(v.OrderId, v.BuyerId, v.Sellers, v.Status, v.Type, v.Pricing.Total, v.Items.Count,
                v.CreatedAt, v.History.Count > 0 ? v.History[^1].At : v.CreatedAt, v.Version))
            .ToArray();
        // Like the real stores: a token it did not issue is refused with the port's typed exception.
        var skip = token is null ? 0
            : int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed
            : throw new Orders.Application.ReadModels.InvalidContinuationTokenException();
        var page = all.Skip(skip).Take(pageSize).ToArray();
        var next = skip + page.Length < all.Length ? (skip + page.Length).ToString(CultureInfo.InvariantCulture) : null;
        return new Page<OrderListItem>(page, next);
    }
}
