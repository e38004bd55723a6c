using System.Text;
using Orders.Application;
using Orders.Application.ReadModels;
using Orders.Domain.ValueObjects;

namespace Orders.ReadModels.Tests.Support;

/// <summary>
/// Everything a reader can see, as one string: every order's detail, every buyer's and seller's full list (walked page
/// by page) and every seller's dashboard at a fixed time. Two projections converged when their snapshots are equal.
/// </summary>
public static class ViewSnapshot
{
    public static async Task<string> TakeAsync(IReadModelQueries queries, IEnumerable<OrderId> orders, IEnumerable<BuyerId> buyers,
        IEnumerable<SellerId> sellers, DateTimeOffset now)
    {
        var text = new StringBuilder();
        foreach (var id in orders.OrderBy(o => o.Value, StringComparer.Ordinal))
            text.Append("detail ").Append(id).Append(": ").AppendLine(ApplicationJson.Serialize(await queries.GetOrderDetailAsync(id)));
        foreach (var buyer in buyers)
            text.Append("buyer ").Append(buyer).Append(": ").AppendLine(ApplicationJson.Serialize(await AllAsync((size, token) => queries.ListBuyerOrdersAsync(buyer, null, size, token))));
        foreach (var seller in sellers)
        {
            text.Append("seller ").Append(seller).Append(": ").AppendLine(ApplicationJson.Serialize(await AllAsync((size, token) => queries.ListSellerOrdersAsync(seller, null, size, token))));
            text.Append("dashboard ").Append(seller).Append(": ").AppendLine(ApplicationJson.Serialize(await queries.GetSellerDashboardAsync(seller, now)));
        }
        return text.ToString();
    }

    /// <summary>Every item of a list, in list order, walked with small pages.</summary>
    public static async Task<IReadOnlyList<OrderListItem>> AllAsync(Func<int, string?, Task<Page<OrderListItem>>> list, int pageSize = 2)
    {
        var items = new List<OrderListItem>();
        string? token = null;
        do
        {
            var page = await list(pageSize, token);
            items.AddRange(page.Items);
            token = page.ContinuationToken;
        }
        while (token is not null);
        return items;
    }
}
