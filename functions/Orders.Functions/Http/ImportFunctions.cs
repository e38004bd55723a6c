using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Orders.Api;
using static Orders.Functions.Http.HttpRouteInvoker;

namespace Orders.Functions.Http;

/// <summary>The operator's legacy-order import (one function per route, like the others; the handler is shared).</summary>
public static class ImportFunctions
{
    [Function(OrdersHttpApi.Names.ImportLegacyOrders)]
    public static Task<IActionResult> ImportLegacyOrders(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = OrdersHttpApi.Paths.LegacyOrderImports)] HttpRequest req,
        [DurableClient] DurableTaskClient client) =>
        InvokeAsync(req, client, OrdersHttpApi.Names.ImportLegacyOrders);
}
