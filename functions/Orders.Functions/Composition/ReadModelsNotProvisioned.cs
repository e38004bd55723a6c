using Orders.Application.ReadModels;
using Orders.Application.Views;
using Orders.Domain.ValueObjects;

namespace Orders.Functions.Composition;

/// <summary>
/// The read-model queries of the function app until a Cosmos DB read-model store exists (none is written yet; the
/// in-memory and SQLite stores are not for Azure: one is lost with the instance, the other is a local file).
/// <list type="bullet">
/// <item>GET /orders/{id} still answers: with no projected detail the endpoint reads the order store (GetOrder), which
/// is always current.</item>
/// <item>The buyer list, the seller list and the seller dashboard cannot be answered without read models: they fail
/// with this class's message (a logged 500 server.error), never with an empty list that would look like "no orders".</item>
/// </list>
/// </summary>
public sealed class ReadModelsNotProvisioned : IReadModelQueries
{
    public const string Message =
        "The function app has no read-model store yet (a Cosmos DB read-model adapter is not written): buyer and " +
        "seller lists and the seller dashboard are not available in Azure. See functions/Orders.Functions/README.md.";

    public Task<OrderView?> GetOrderDetailAsync(OrderId orderId, CancellationToken cancellationToken = default) =>
        Task.FromResult<OrderView?>(null);

    public Task<Page<OrderListItem>> ListBuyerOrdersAsync(BuyerId buyerId, OrderStatus? status, int pageSize, string? continuationToken, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException(Message);

    public Task<Page<OrderListItem>> ListSellerOrdersAsync(SellerId sellerId, OrderStatus? status, int pageSize, string? continuationToken, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException(Message);

    public Task<SellerDashboard> GetSellerDashboardAsync(SellerId sellerId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException(Message);
}
