using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Orders.Api.Auth;
using Orders.Api.Tests.Support;

namespace Orders.Api.Tests;

/// <summary>
/// How an Azure Function calls the same handler: no routing middleware, the route values passed in, the
/// function's HttpContext (here a bare one over the host's services).
/// </summary>
public sealed class FunctionStyleInvocationTests : IAsyncLifetime
{
    private ApiHost _host = null!;

    public async Task InitializeAsync() => _host = await ApiHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static DefaultHttpContext Context(IServiceProvider services, string method, string path)
    {
        var http = new DefaultHttpContext { RequestServices = services };
        http.Request.Method = method;
        http.Request.Path = path;
        http.Request.Headers[DevelopmentCallerResolver.HeaderName] = ApiClient.Buyer;
        http.Response.Body = new MemoryStream();
        return http;
    }

    private static string Body(HttpContext http) => Encoding.UTF8.GetString(((MemoryStream)http.Response.Body).ToArray());

    [Fact]
    public async Task AHandlerInvokedWithRouteValues_Answers()
    {
        var orderId = await _host.Api.CreatedAsync();
        await using var scope = _host.Services.CreateAsyncScope();
        var http = Context(scope.ServiceProvider, "GET", $"/api/orders/{orderId}");

        await OrdersHttpApi.Route(OrdersHttpApi.Names.GetOrder).InvokeAsync(http, [new("orderId", orderId)]);

        Assert.Equal(200, http.Response.StatusCode);
        Assert.Equal("\"1\"", http.Response.Headers.ETag.ToString());
        Assert.Contains(orderId, Body(http), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACommandInvokedWithRouteValues_Answers()
    {
        var orderId = await _host.Api.CreatedAsync();
        await using var scope = _host.Services.CreateAsyncScope();
        var http = Context(scope.ServiceProvider, "POST", $"/api/orders/{orderId}/cancel");
        http.Request.Headers.IfMatch = "\"1\"";
        http.Request.ContentType = "application/json";
        http.Request.Body = new MemoryStream("""{"reason":"r"}"""u8.ToArray());

        await OrdersHttpApi.Route(OrdersHttpApi.Names.CancelOrder).InvokeAsync(http, [new("orderId", orderId)]);

        Assert.Equal(200, http.Response.StatusCode);
        Assert.Contains("\"CANCELLED\"", Body(http), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingRouteValue_IsAServerErrorProblem()
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var http = Context(scope.ServiceProvider, "GET", "/api/orders/x");

        await OrdersHttpApi.Route(OrdersHttpApi.Names.GetOrder).InvokeAsync(http);

        Assert.Equal(500, http.Response.StatusCode);
        Assert.Equal("application/problem+json", http.Response.ContentType);
        Assert.Contains("server.error", Body(http), StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownRouteName_IsRefused() =>
        Assert.Throws<ArgumentException>(() => OrdersHttpApi.Route("NoSuchRoute"));
}
