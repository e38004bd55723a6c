using Microsoft.AspNetCore.Http;

namespace Orders.Api;

/// <summary>
/// One route of the HTTP API: a name (the OpenAPI operationId), an HTTP method, a path relative to the
/// <see cref="OrdersHttpApi.RoutePrefix"/> (what an Azure Function's <c>Route</c> takes, since host.json's
/// routePrefix is "api"), and the handler both hosts call.
/// </summary>
public sealed record OrdersRoute(string Name, string Method, string Path, Func<HttpContext, Task> Handler)
{
    /// <summary>The full route template, e.g. <c>/api/orders/{orderId}/cancel</c> (what the local host maps).</summary>
    public string Template => "/" + OrdersHttpApi.RoutePrefix + "/" + Path;

    /// <summary>
    /// Calls the handler with route values given by the caller (an Azure Function receives them as parameters and
    /// its HttpContext may carry none). Values already in the request are kept unless given here.
    /// </summary>
    public Task InvokeAsync(HttpContext http, IEnumerable<KeyValuePair<string, string?>>? routeValues = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        foreach (var (name, value) in routeValues ?? []) http.Request.RouteValues[name] = value;
        return Handler(http);
    }
}
