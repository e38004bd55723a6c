using Orders.Api.Auth;
using Orders.Api.Tests.Support;
using static Orders.Api.Tests.Support.ApiClient;

namespace Orders.Api.Tests;

/// <summary>Who may see and do what: 401 without an identity, 404 for orders the caller may not see, 403 otherwise.</summary>
public sealed class AuthorisationTests : IAsyncLifetime
{
    private ApiHost _host = null!;

    public async Task InitializeAsync() => _host = await ApiHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<string, string> EveryRoute()
    {
        var data = new TheoryData<string, string>();
        foreach (var route in OrdersHttpApi.Routes)
            data.Add(route.Method, route.Template.Replace("{orderId}", "ord-1").Replace("{buyerId}", "buyer-1")
                .Replace("{sellerId}", "seller-a").Replace("{refundId}", "rf-1"));
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryRoute))]
    public async Task EveryRouteWithoutAnIdentity_Is401(string method, string path)
    {
        var reply = await _host.Api.SendAsync(new HttpMethod(method), path, caller: null, method == "GET" ? null : "{}", "key-1", "\"1\"");

        ProblemAssert.Is(401, "auth.unauthenticated", reply);
    }

    [Fact]
    public async Task TheDevelopmentHeader_IsIgnoredUnlessEnabled()
    {
        await using var host = await ApiHost.StartAsync(o => o.DevelopmentAuthentication = false);

        var reply = await host.Api.GetAsync("/api/buyers/buyer-1/orders", Buyer);

        ProblemAssert.Is(401, "auth.unauthenticated", reply);
    }

    [Theory]
    [InlineData("buyer")]
    [InlineData("admin:root")]
    [InlineData("buyer:")]
    [InlineData("buyer:has space")]
    public async Task AMalformedDevelopmentHeader_Is401(string header) =>
        ProblemAssert.Is(401, "auth.invalid-principal", await _host.Api.GetAsync("/api/buyers/buyer-1/orders", header));

    [Fact]
    public async Task AnAppServicePrincipal_IsACaller()
    {
        var reply = await _host.Api.SendAsync(HttpMethod.Get, "/api/buyers/buyer-1/orders", caller: null,
            tweak: r => r.Headers.Add(AppServicePrincipalCallerResolver.HeaderName, AppServicePrincipalCallerResolver.Encode("buyer-1", "Orders.Buyer")));

        Assert.Equal(200, reply.Status);
    }

    [Fact]
    public async Task AnotherBuyersOrder_IsNotFound()
    {
        var orderId = await _host.Api.CreatedAsync();

        ProblemAssert.Is(404, "order.not-found", await _host.Api.GetAsync($"/api/orders/{orderId}", OtherBuyer));
        ProblemAssert.Is(404, "order.not-found", await _host.Api.GetAsync($"/api/orders/{orderId}/status", OtherBuyer));
        ProblemAssert.Is(404, "order.not-found", await _host.Api.ActAsync(orderId, "cancel", new { reason = "r" }, OtherBuyer));
    }

    [Fact]
    public async Task AnotherBuyersProjectedOrder_IsNotFoundEither()
    {
        var orderId = await _host.Api.CreatedAsync();
        await _host.ReadModel.ProjectAsync(orderId);

        ProblemAssert.Is(404, "order.not-found", await _host.Api.GetAsync($"/api/orders/{orderId}", OtherBuyer));
        ProblemAssert.Is(404, "order.not-found", await _host.Api.GetAsync($"/api/orders/{orderId}", StrangerSeller));
    }

    [Fact]
    public async Task ASellerWithoutItemsInTheOrder_DoesNotSeeIt()
    {
        var orderId = await _host.Api.CreatedAsync();

        ProblemAssert.Is(404, "order.not-found", await _host.Api.GetAsync($"/api/orders/{orderId}", StrangerSeller));
        ProblemAssert.Is(404, "order.not-found", await _host.Api.ActAsync(orderId, "cancel", new { reason = "r" }, StrangerSeller));
    }

    [Fact]
    public async Task ASellerWithItemsInTheOrder_SeesIt()
    {
        var orderId = await _host.Api.CreatedAsync();

        Assert.Equal(200, (await _host.Api.GetAsync($"/api/orders/{orderId}", SellerA)).Status);
    }

    [Fact]
    public async Task AnUnknownOrder_IsNotFound() =>
        ProblemAssert.Is(404, "order.not-found", await _host.Api.GetAsync("/api/orders/ord-nope", Operator));

    [Theory]
    [InlineData("confirm", """{"reservationId":"res-1","paymentAuthorizationId":"auth-1"}""")]
    [InlineData("mark-paid", """{"paymentId":"pay-1","amount":{"minor":3000,"currency":"USD"}}""")]
    [InlineData("ship", """{"shipmentId":"shp-1","carrier":"DHL","trackingNumber":"T1"}""")]
    [InlineData("deliver", """{"shipmentId":"shp-1"}""")]
    [InlineData("cash-collected", """{"paymentId":"cash-1","amount":{"minor":3000,"currency":"USD"}}""")]
    [InlineData("refunds/rf-1/complete", "")]
    [InlineData("close", "")]
    public async Task ABuyerCallingAnOperationsEndpoint_IsForbidden(string action, string body)
    {
        var orderId = await _host.Api.CreatedAsync();

        ProblemAssert.Is(403, "order.forbidden", await _host.Api.ActAsync(orderId, action, body.Length == 0 ? null : body, Buyer));
    }

    [Fact]
    public async Task ASellerSplittingAnOrder_IsForbidden()
    {
        var orderId = await _host.Api.CreatedAsync(twoSellers: true);

        ProblemAssert.Is(403, "order.forbidden", await _host.Api.ActAsync(orderId, "split", null, SellerA));
    }

    [Fact]
    public async Task ABuyerListingAnotherBuyersOrders_IsForbidden() =>
        ProblemAssert.Is(403, "order.forbidden", await _host.Api.GetAsync("/api/buyers/buyer-2/orders", Buyer));

    [Fact]
    public async Task ASellerListingABuyersOrders_IsForbidden() =>
        ProblemAssert.Is(403, "order.forbidden", await _host.Api.GetAsync("/api/buyers/buyer-1/orders", SellerA));

    [Fact]
    public async Task ASellerListingAnotherSellersOrders_IsForbidden() =>
        ProblemAssert.Is(403, "order.forbidden", await _host.Api.GetAsync("/api/sellers/seller-b/orders", SellerA));

    [Fact]
    public async Task ABuyerListingASellersOrders_IsForbidden() =>
        ProblemAssert.Is(403, "order.forbidden", await _host.Api.GetAsync("/api/sellers/seller-a/orders", Buyer));

    [Fact]
    public async Task ASellerReadingAnotherSellersDashboard_IsForbidden() =>
        ProblemAssert.Is(403, "order.forbidden", await _host.Api.GetAsync("/api/sellers/seller-b/dashboard", SellerA));

    [Fact]
    public async Task ABuyerReadingASellersDashboard_IsForbidden() =>
        ProblemAssert.Is(403, "order.forbidden", await _host.Api.GetAsync("/api/sellers/seller-a/dashboard", Buyer));

    [Theory]
    [InlineData("/api/buyers/buyer-1/orders")]
    [InlineData("/api/sellers/seller-a/orders")]
    [InlineData("/api/sellers/seller-a/dashboard")]
    public async Task AnOperator_ReadsAnyList(string path) =>
        Assert.Equal(200, (await _host.Api.GetAsync(path, Operator)).Status);
}
