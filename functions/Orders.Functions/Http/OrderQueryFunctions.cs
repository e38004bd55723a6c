using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Orders.Api;
using static Orders.Functions.Http.HttpRouteInvoker;

namespace Orders.Functions.Http;

/// <summary>
/// The reading routes.
/// One function per route of <see cref="OrdersHttpApi.Routes"/>: its name, method and route are the route table's
/// (a test checks both ways); its body is one call into the shared handler. Every one takes the Durable client,
/// because which use cases reach a saga is the handler's business, not the function's.
/// </summary>
public static class OrderQueryFunctions
{
    [Function(OrdersHttpApi.Names.GetOrder)]
    public static Task<IActionResult> GetOrder(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = OrdersHttpApi.Paths.Order)] HttpRequest req,
        [DurableClient] DurableTaskClient client, string orderId) =>
        InvokeAsync(req, client, OrdersHttpApi.Names.GetOrder, Value(nameof(orderId), orderId));

    [Function(OrdersHttpApi.Names.GetOrderStatus)]
    public static Task<IActionResult> GetOrderStatus(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = OrdersHttpApi.Paths.OrderStatus)] HttpRequest req,
        [DurableClient] DurableTaskClient client, string orderId) =>
        InvokeAsync(req, client, OrdersHttpApi.Names.GetOrderStatus, Value(nameof(orderId), orderId));

    [Function(OrdersHttpApi.Names.GetOrderHistory)]
    public static Task<IActionResult> GetOrderHistory(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = OrdersHttpApi.Paths.OrderHistory)] HttpRequest req,
        [DurableClient] DurableTaskClient client, string orderId) =>
        InvokeAsync(req, client, OrdersHttpApi.Names.GetOrderHistory, Value(nameof(orderId), orderId));

    [Function(OrdersHttpApi.Names.ListBuyerOrders)]
    public static Task<IActionResult> ListBuyerOrders(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = OrdersHttpApi.Paths.BuyerOrders)] HttpRequest req,
        [DurableClient] DurableTaskClient client, string buyerId) =>
        InvokeAsync(req, client, OrdersHttpApi.Names.ListBuyerOrders, Value(nameof(buyerId), buyerId));

    [Function(OrdersHttpApi.Names.ListSellerOrders)]
    public static Task<IActionResult> ListSellerOrders(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = OrdersHttpApi.Paths.SellerOrders)] HttpRequest req,
        [DurableClient] DurableTaskClient client, string sellerId) =>
        InvokeAsync(req, client, OrdersHttpApi.Names.ListSellerOrders, Value(nameof(sellerId), sellerId));

    [Function(OrdersHttpApi.Names.GetSellerDashboard)]
    public static Task<IActionResult> GetSellerDashboard(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = OrdersHttpApi.Paths.SellerDashboard)] HttpRequest req,
        [DurableClient] DurableTaskClient client, string sellerId) =>
        InvokeAsync(req, client, OrdersHttpApi.Names.GetSellerDashboard, Value(nameof(sellerId), sellerId));
}
