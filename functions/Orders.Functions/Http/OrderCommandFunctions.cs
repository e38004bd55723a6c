using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Orders.Api;
using static Orders.Functions.Http.HttpRouteInvoker;

namespace Orders.Functions.Http;

/// <summary>
/// The state-changing routes.
/// One function per route of <see cref="OrdersHttpApi.Routes"/>: its name, method and route are the route table's
/// (a test checks both ways); its body is one call into the shared handler. Every one takes the Durable client,
/// because which use cases reach a saga is the handler's business, not the function's.
/// </summary>
public static class OrderCommandFunctions
{
    [Function(OrdersHttpApi.Names.CreateOrder)]
    public static Task<IActionResult> CreateOrder(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = OrdersHttpApi.Paths.Orders)] HttpRequest req,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(req, client, OrdersHttpApi.Names.CreateOrder);

    [Function(OrdersHttpApi.Names.CancelOrder)]
    public static Task<IActionResult> CancelOrder(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = OrdersHttpApi.Paths.Cancel)] HttpRequest req,
        [DurableClient] DurableTaskClient client, string orderId) =>
        InvokeAsync(req, client, OrdersHttpApi.Names.CancelOrder, Value(nameof(orderId), orderId));

    [Function(OrdersHttpApi.Names.SplitOrder)]
    public static Task<IActionResult> SplitOrder(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = OrdersHttpApi.Paths.Split)] HttpRequest req,
        [DurableClient] DurableTaskClient client, string orderId) =>
        InvokeAsync(req, client, OrdersHttpApi.Names.SplitOrder, Value(nameof(orderId), orderId));

    [Function(OrdersHttpApi.Names.InitiateRefund)]
    public static Task<IActionResult> InitiateRefund(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = OrdersHttpApi.Paths.Refunds)] HttpRequest req,
        [DurableClient] DurableTaskClient client, string orderId) =>
        InvokeAsync(req, client, OrdersHttpApi.Names.InitiateRefund, Value(nameof(orderId), orderId));

    [Function(OrdersHttpApi.Names.CloseOrder)]
    public static Task<IActionResult> CloseOrder(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = OrdersHttpApi.Paths.Close)] HttpRequest req,
        [DurableClient] DurableTaskClient client, string orderId) =>
        InvokeAsync(req, client, OrdersHttpApi.Names.CloseOrder, Value(nameof(orderId), orderId));

    [Function(OrdersHttpApi.Names.ChangeShippingAddress)]
    public static Task<IActionResult> ChangeShippingAddress(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = OrdersHttpApi.Paths.ShippingAddress)] HttpRequest req,
        [DurableClient] DurableTaskClient client, string orderId) =>
        InvokeAsync(req, client, OrdersHttpApi.Names.ChangeShippingAddress, Value(nameof(orderId), orderId));

    [Function(OrdersHttpApi.Names.ChangeShippingAddressPost)]
    public static Task<IActionResult> ChangeShippingAddressPost(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = OrdersHttpApi.Paths.ShippingAddress)] HttpRequest req,
        [DurableClient] DurableTaskClient client, string orderId) =>
        InvokeAsync(req, client, OrdersHttpApi.Names.ChangeShippingAddressPost, Value(nameof(orderId), orderId));

    [Function(OrdersHttpApi.Names.ConfirmOrder)]
    public static Task<IActionResult> ConfirmOrder(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = OrdersHttpApi.Paths.Confirm)] HttpRequest req,
        [DurableClient] DurableTaskClient client, string orderId) =>
        InvokeAsync(req, client, OrdersHttpApi.Names.ConfirmOrder, Value(nameof(orderId), orderId));

    [Function(OrdersHttpApi.Names.MarkOrderPaid)]
    public static Task<IActionResult> MarkOrderPaid(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = OrdersHttpApi.Paths.MarkPaid)] HttpRequest req,
        [DurableClient] DurableTaskClient client, string orderId) =>
        InvokeAsync(req, client, OrdersHttpApi.Names.MarkOrderPaid, Value(nameof(orderId), orderId));

    [Function(OrdersHttpApi.Names.RecordShipment)]
    public static Task<IActionResult> RecordShipment(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = OrdersHttpApi.Paths.Ship)] HttpRequest req,
        [DurableClient] DurableTaskClient client, string orderId) =>
        InvokeAsync(req, client, OrdersHttpApi.Names.RecordShipment, Value(nameof(orderId), orderId));

    [Function(OrdersHttpApi.Names.RecordDelivery)]
    public static Task<IActionResult> RecordDelivery(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = OrdersHttpApi.Paths.Deliver)] HttpRequest req,
        [DurableClient] DurableTaskClient client, string orderId) =>
        InvokeAsync(req, client, OrdersHttpApi.Names.RecordDelivery, Value(nameof(orderId), orderId));

    [Function(OrdersHttpApi.Names.RecordCashCollected)]
    public static Task<IActionResult> RecordCashCollected(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = OrdersHttpApi.Paths.CashCollected)] HttpRequest req,
        [DurableClient] DurableTaskClient client, string orderId) =>
        InvokeAsync(req, client, OrdersHttpApi.Names.RecordCashCollected, Value(nameof(orderId), orderId));

    [Function(OrdersHttpApi.Names.RecordRefund)]
    public static Task<IActionResult> RecordRefund(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = OrdersHttpApi.Paths.CompleteRefund)] HttpRequest req,
        [DurableClient] DurableTaskClient client, string orderId, string refundId) =>
        InvokeAsync(req, client, OrdersHttpApi.Names.RecordRefund, Value(nameof(orderId), orderId), Value(nameof(refundId), refundId));
}
