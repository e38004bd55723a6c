using Orders.Api.Tests.Support;
using static Orders.Api.Tests.Support.ApiClient;

namespace Orders.Api.Tests;

/// <summary>If-Match on every state-changing request to an existing order.</summary>
public sealed class PreconditionTests : IAsyncLifetime
{
    private ApiHost _host = null!;

    public async Task InitializeAsync() => _host = await ApiHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<string, string, string> CommandsOnAnOrder => new()
    {
        { "POST", "cancel", """{"reason":"r"}""" },
        { "POST", "split", "" },
        { "POST", "refunds", """{"amount":{"minor":100,"currency":"USD"},"reason":"r","refundId":"rf-1"}""" },
        { "POST", "close", "" },
        { "PUT", "shipping-address", """{"recipient":"A","line1":"L","city":"C","postalCode":"P","countryCode":"GB"}""" },
        { "POST", "shipping-address", """{"recipient":"A","line1":"L","city":"C","postalCode":"P","countryCode":"GB"}""" },
        { "POST", "confirm", """{"reservationId":"res-1","paymentAuthorizationId":"auth-1"}""" },
        { "POST", "mark-paid", """{"paymentId":"pay-1","amount":{"minor":3000,"currency":"USD"}}""" },
        { "POST", "ship", """{"shipmentId":"shp-1","carrier":"DHL","trackingNumber":"T1"}""" },
        { "POST", "deliver", """{"shipmentId":"shp-1"}""" },
        { "POST", "cash-collected", """{"paymentId":"cash-1","amount":{"minor":3000,"currency":"USD"}}""" },
        { "POST", "refunds/rf-1/complete", "" },
    };

    [Theory]
    [MemberData(nameof(CommandsOnAnOrder))]
    public async Task ACommandWithoutIfMatch_Is428(string method, string action, string body)
    {
        var orderId = await _host.Api.CreatedAsync();

        var reply = await _host.Api.SendAsync(new HttpMethod(method), $"/api/orders/{orderId}/{action}", Operator, body.Length == 0 ? null : body);

        ProblemAssert.Is(428, "request.if-match-required", reply);
    }

    [Theory]
    [MemberData(nameof(CommandsOnAnOrder))]
    public async Task ACommandWithAStaleIfMatch_Is412(string method, string action, string body)
    {
        var orderId = await _host.Api.CreatedAsync();
        await _host.Api.ActAsync(orderId, "shipping-address", Bodies.Address("Someone Else"), Buyer, method: HttpMethod.Put); // now version 2

        var reply = await _host.Api.SendAsync(new HttpMethod(method), $"/api/orders/{orderId}/{action}", Operator, body.Length == 0 ? null : body, ifMatch: "\"1\"");

        ProblemAssert.Is(412, "order.version-mismatch", reply);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("W/\"1\"")]
    [InlineData("\"one\"")]
    [InlineData("*")]
    [InlineData("\"1\", \"2\"")]
    public async Task AMalformedIfMatch_Is400(string ifMatch)
    {
        var orderId = await _host.Api.CreatedAsync();

        var reply = await _host.Api.SendAsync(HttpMethod.Post, $"/api/orders/{orderId}/cancel", Buyer, new { reason = "r" }, ifMatch: ifMatch);

        ProblemAssert.Is(400, "request.if-match-invalid", reply);
    }

    [Fact]
    public async Task TheETagOfARead_IsTheIfMatchOfTheNextCommand()
    {
        var orderId = await _host.Api.CreatedAsync();
        var read = await _host.Api.GetAsync($"/api/orders/{orderId}", Buyer);

        var reply = await _host.Api.SendAsync(HttpMethod.Post, $"/api/orders/{orderId}/cancel", Buyer, new { reason = "r" }, ifMatch: read.ETag);

        Assert.Equal(200, reply.Status);
        Assert.Equal("\"2\"", reply.ETag);
    }
}
