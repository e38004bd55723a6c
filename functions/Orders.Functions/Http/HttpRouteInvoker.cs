using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Orders.Api;
using Orders.Functions.Durable;

namespace Orders.Functions.Http;

/// <summary>
/// What every HTTP function does: hand the invocation's Durable client to the saga ports, then run the route's shared
/// handler (<see cref="OrdersHttpApi"/>, the same one the local host maps) with the route values the function was
/// bound. The handler writes the whole response; the function returns <see cref="EmptyResult"/>.
/// <para>
/// <c>req.HttpContext.RequestServices</c> is the invocation's scope (the ASP.NET Core integration sets it to
/// <c>FunctionContext.InstanceServices</c>), so the client set here is the one the handler's ISagaScheduler sees.
/// </para>
/// </summary>
public static class HttpRouteInvoker
{
    public static async Task<IActionResult> InvokeAsync(HttpRequest req, DurableTaskClient client, string routeName,
        params KeyValuePair<string, string?>[] routeValues)
    {
        ArgumentNullException.ThrowIfNull(req);
        ArgumentNullException.ThrowIfNull(client);
        req.HttpContext.RequestServices.GetRequiredService<InvocationDurableClient>().Use(client);
        await OrdersHttpApi.Route(routeName).InvokeAsync(req.HttpContext, routeValues).ConfigureAwait(false);
        return new EmptyResult();
    }

    public static KeyValuePair<string, string?> Value(string name, string value) => new(name, value);
}
