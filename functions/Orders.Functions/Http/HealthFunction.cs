using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Orders.Api.Health;
using Orders.Functions.Durable;

namespace Orders.Functions.Http;

/// <summary>
/// GET /api/health: the store, the Durable engine and the relay's lag (<see cref="OrdersHealthChecks"/>), 200 when
/// healthy or degraded, 503 when unhealthy. Anonymous, like the platform's own health probes expect; it reveals only
/// whether each part answers. App Service's health check (Bicep: <c>healthCheckPath</c>) can point at it.
/// </summary>
public static class HealthFunction
{
    public const string Name = "GetHealth";
    public const string Route = "health";

    [Function(Name)]
    public static async Task<IActionResult> GetHealth(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route)] HttpRequest req,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(req);
        var services = req.HttpContext.RequestServices;
        services.GetRequiredService<InvocationDurableClient>().Use(client);
        var report = await OrdersHealthChecks.RunAsync(services, req.HttpContext.RequestAborted).ConfigureAwait(false);
        return new JsonResult(OrdersHealthChecks.Body(report)) { StatusCode = OrdersHealthChecks.StatusCodeOf(report) };
    }
}
