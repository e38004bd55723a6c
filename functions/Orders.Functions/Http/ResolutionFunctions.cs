using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Orders.Api;
using static Orders.Functions.Http.HttpRouteInvoker;

namespace Orders.Functions.Http;

/// <summary>
/// The operator's resolutions and the stuck-order list (decision 0016): one function per route of
/// <see cref="OrdersHttpApi.Routes"/>, each one call into the shared handler, as for every other route.
/// </summary>
public static class ResolutionFunctions
{
    [Function(OrdersHttpApi.Names.RetrySaga)]
    public static Task<IActionResult> RetrySaga(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = OrdersHttpApi.Paths.RetrySaga)] HttpRequest req,
        [DurableClient] DurableTaskClient client, string orderId) =>
        InvokeAsync(req, client, OrdersHttpApi.Names.RetrySaga, Value(nameof(orderId), orderId));

    [Function(OrdersHttpApi.Names.ResolveLostParcel)]
    public static Task<IActionResult> ResolveLostParcel(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = OrdersHttpApi.Paths.ResolveLostParcel)] HttpRequest req,
        [DurableClient] DurableTaskClient client, string orderId) =>
        InvokeAsync(req, client, OrdersHttpApi.Names.ResolveLostParcel, Value(nameof(orderId), orderId));

    [Function(OrdersHttpApi.Names.CancelStuckCheckout)]
    public static Task<IActionResult> CancelStuckCheckout(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = OrdersHttpApi.Paths.CancelStuckCheckout)] HttpRequest req,
        [DurableClient] DurableTaskClient client, string orderId) =>
        InvokeAsync(req, client, OrdersHttpApi.Names.CancelStuckCheckout, Value(nameof(orderId), orderId));

    [Function(OrdersHttpApi.Names.AcknowledgeStuck)]
    public static Task<IActionResult> AcknowledgeStuck(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = OrdersHttpApi.Paths.AcknowledgeStuck)] HttpRequest req,
        [DurableClient] DurableTaskClient client, string orderId) =>
        InvokeAsync(req, client, OrdersHttpApi.Names.AcknowledgeStuck, Value(nameof(orderId), orderId));

    [Function(OrdersHttpApi.Names.ReturnLateCapture)]
    public static Task<IActionResult> ReturnLateCapture(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = OrdersHttpApi.Paths.ReturnLateCapture)] HttpRequest req,
        [DurableClient] DurableTaskClient client, string orderId) =>
        InvokeAsync(req, client, OrdersHttpApi.Names.ReturnLateCapture, Value(nameof(orderId), orderId));

    [Function(OrdersHttpApi.Names.RetryRefund)]
    public static Task<IActionResult> RetryRefund(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = OrdersHttpApi.Paths.RetryRefund)] HttpRequest req,
        [DurableClient] DurableTaskClient client, string orderId, string refundId) =>
        InvokeAsync(req, client, OrdersHttpApi.Names.RetryRefund, Value(nameof(orderId), orderId), Value(nameof(refundId), refundId));

    [Function(OrdersHttpApi.Names.SettleRefund)]
    public static Task<IActionResult> SettleRefund(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = OrdersHttpApi.Paths.SettleRefund)] HttpRequest req,
        [DurableClient] DurableTaskClient client, string orderId, string refundId) =>
        InvokeAsync(req, client, OrdersHttpApi.Names.SettleRefund, Value(nameof(orderId), orderId), Value(nameof(refundId), refundId));

    [Function(OrdersHttpApi.Names.ListStuckOrders)]
    public static Task<IActionResult> ListStuckOrders(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = OrdersHttpApi.Paths.StuckOrders)] HttpRequest req,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(req, client, OrdersHttpApi.Names.ListStuckOrders);
}
