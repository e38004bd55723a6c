using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using Orders.Api;
using Orders.Application.ReadModels;
using Orders.Domain.ValueObjects;
using Orders.Functions.Http;
using Orders.Functions.Tests.Support;

namespace Orders.Functions.Tests;

/// <summary>
/// HTTP functions called as the worker calls them: a request whose services are the invocation's scope, the route
/// values as parameters, and the [DurableClient] binding's client (Moq'd). They reach the shared route handler over
/// the production composition (in-memory store).
/// </summary>
public sealed class HttpFunctionTests : IAsyncLifetime
{
    private const string CreateBody = TestApp.CreateBody;

    private readonly TestApp _app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task CreateOrder_RunsTheHandler_AndStartsNoSaga()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var client = TestApp.DurableClient();
        var req = TestApp.Request(scope.ServiceProvider, "POST", "/api/orders", CreateBody);
        req.Headers["Idempotency-Key"] = "key-1";

        var result = await OrderCommandFunctions.CreateOrder(req, client.Object);

        Assert.IsType<EmptyResult>(result);
        Assert.Equal(201, req.HttpContext.Response.StatusCode);
        // The checkout saga is the change-feed timer's to start (the reaction to order.created; JobFunctionTests).
        client.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(),
            It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task GetOrder_PassesItsRouteValueToTheHandler()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var req = TestApp.Request(scope.ServiceProvider, "GET", "/api/orders/ord-missing");

        await OrderQueryFunctions.GetOrder(req, TestApp.DurableClient().Object, "ord-missing");

        Assert.Equal(404, req.HttpContext.Response.StatusCode);
        Assert.Contains("order.not-found", TestApp.ResponseBody(req), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOrderCreatedThroughOneFunction_IsReadThroughAnother()
    {
        string orderId;
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var create = TestApp.Request(scope.ServiceProvider, "POST", "/api/orders", CreateBody);
            create.Headers["Idempotency-Key"] = "key-2";
            await OrderCommandFunctions.CreateOrder(create, TestApp.DurableClient().Object);
            var location = create.HttpContext.Response.Headers.Location.ToString();
            orderId = location[(location.LastIndexOf('/') + 1)..];
        }

        await using var readScope = _app.Services.CreateAsyncScope();
        var get = TestApp.Request(readScope.ServiceProvider, "GET", "/api/orders/" + orderId);
        await OrderQueryFunctions.GetOrder(get, TestApp.DurableClient().Object, orderId);

        // Not projected yet (the change feed has not run): the detail comes from the order store.
        Assert.Equal(200, get.HttpContext.Response.StatusCode);
        Assert.Contains(orderId, TestApp.ResponseBody(get), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListBuyerOrders_AnswersFromTheReadModels()
    {
        await _app.ReadModels.PutBuyerItemAsync(new OrderListItem(OrderId.From("ord-listed"), BuyerId.From("buyer-1"), [SellerId.From("seller-a")],
            OrderStatus.Paid, OrderType.Prepaid, Money.Of(2500, Currency.USD), 2, _app.Clock.GetUtcNow(), _app.Clock.GetUtcNow(), 3));
        await using var scope = _app.Services.CreateAsyncScope();
        var req = TestApp.Request(scope.ServiceProvider, "GET", "/api/buyers/buyer-1/orders");

        await OrderQueryFunctions.ListBuyerOrders(req, TestApp.DurableClient().Object, "buyer-1");

        Assert.Equal(200, req.HttpContext.Response.StatusCode);
        Assert.Contains("ord-listed", TestApp.ResponseBody(req), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetOrderStatus_ReadsSagaProgressThroughTheInvocationsDurableClient()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var client = TestApp.DurableClient();
        var create = TestApp.Request(scope.ServiceProvider, "POST", "/api/orders", CreateBody);
        create.Headers["Idempotency-Key"] = "key-3";
        await OrderCommandFunctions.CreateOrder(create, client.Object);
        var location = create.HttpContext.Response.Headers.Location.ToString();
        var orderId = location[(location.LastIndexOf('/') + 1)..];

        await using var statusScope = _app.Services.CreateAsyncScope();
        var status = TestApp.Request(statusScope.ServiceProvider, "GET", $"/api/orders/{orderId}/status");
        await OrderQueryFunctions.GetOrderStatus(status, client.Object, orderId);

        Assert.Equal(200, status.HttpContext.Response.StatusCode);
        client.Verify(c => c.GetInstanceAsync(It.Is<string>(id => id.Contains(orderId, StringComparison.Ordinal)), true, It.IsAny<CancellationToken>()), Times.AtLeastOnce);
        client.Verify(c => c.GetAllInstancesAsync(It.Is<OrchestrationQuery?>(q => q!.InstanceIdPrefix!.Contains(orderId, StringComparison.Ordinal))), Times.Once);
    }

    [Fact]
    public void TheOpenApiFunction_ServesTheContractDocument()
    {
        var result = Assert.IsType<ContentResult>(OpenApiFunction.GetOpenApiDocument(TestApp.Request(_app.Services, "GET", "/api/openapi.yaml")));

        Assert.Equal(200, result.StatusCode);
        Assert.StartsWith("application/yaml", result.ContentType, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(Path.Combine(Repo.Root, "src", "Orders.Contracts", "apis", "orders.v1.yaml")), result.Content);
    }

    [Theory]
    [InlineData("index.html", "text/html", "<title>Orders · operations</title>")]
    [InlineData("ops.js", "text/javascript", "/operations/stuck-orders")]
    [InlineData("ops.css", "text/css", ".timeline")]
    public async Task TheOpsPageFunction_ServesThePagesFiles(string file, string contentType, string content)
    {
        var request = TestApp.Request(_app.Services, "GET", "/api/ops/" + file);
        request.HttpContext.Response.Body = new MemoryStream();

        await OpsPageFunction.GetOpsPage(request, file);

        Assert.Equal(200, request.HttpContext.Response.StatusCode);
        Assert.StartsWith(contentType, request.HttpContext.Response.ContentType, StringComparison.Ordinal);
        var body = System.Text.Encoding.UTF8.GetString(((MemoryStream)request.HttpContext.Response.Body).ToArray());
        Assert.Equal(File.ReadAllText(Path.Combine(Repo.Root, "src", "Orders.Api", "ops", file)), body);
        Assert.Contains(content, body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../Orders.Functions.dll")]
    [InlineData("secrets.json")]
    [InlineData("index.htm")]
    public async Task TheOpsPageFunction_ServesNothingElse(string file)
    {
        var request = TestApp.Request(_app.Services, "GET", "/api/ops/" + file);

        await OpsPageFunction.GetOpsPage(request, file);

        Assert.Equal(404, request.HttpContext.Response.StatusCode);
    }

    [Fact]
    public async Task AFunctionNamingNoRoute_FailsLoudly()
    {
        await using var scope = _app.Services.CreateAsyncScope();

        await Assert.ThrowsAsync<ArgumentException>(() =>
            HttpRouteInvoker.InvokeAsync(TestApp.Request(scope.ServiceProvider, "GET", "/api/x"), TestApp.DurableClient().Object, "NoSuchRoute"));
    }

    [Fact]
    public void EveryRouteNameIsAFunctionName() =>
        Assert.All(OrdersHttpApi.Routes, route => Assert.NotNull(
            typeof(OrderCommandFunctions).GetMethod(route.Name) ?? typeof(OrderQueryFunctions).GetMethod(route.Name)
            ?? typeof(ImportFunctions).GetMethod(route.Name)
            ?? typeof(ResolutionFunctions).GetMethod(route.Name)));
}
