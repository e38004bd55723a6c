using Orders.Contracts.Integration;
using Orders.Application.Ports.Outbound;
using Microsoft.Extensions.DependencyInjection;
using Orders.Api.Tests.Support;
using static Orders.Api.Tests.Support.ApiClient;

namespace Orders.Api.Tests;

/// <summary>
/// Answers validate against the document. Every test's client already checks each response (status declared, media
/// type declared, body valid: see ContractCheckingHandler); this class walks every route's happy path and proves
/// each was checked, and proves the check fails on bodies that break the contract.
/// </summary>
public sealed class ContractSchemaTests : IAsyncLifetime
{
    private ApiHost _host = null!;

    public async Task InitializeAsync() => _host = await ApiHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task EveryRoutesHappyPath_MatchesTheDocument()
    {
        var api = _host.Api;
        var prepaid = await api.CreatedAsync(key: "k-prepaid");
        await api.ActAsync(prepaid, "shipping-address", Bodies.Address("B"), Buyer, method: HttpMethod.Put);
        await api.ActAsync(prepaid, "shipping-address", Bodies.Address("C"), Buyer);
        await api.ActAsync(prepaid, "confirm", new { reservationId = "res-1", paymentAuthorizationId = "auth-1" });
        await api.ActAsync(prepaid, "mark-paid", new { paymentId = "pay-1", amount = Bodies.Money(Bodies.Total) });
        await api.ActAsync(prepaid, "ship", new { shipmentId = "shp-1", carrier = "DHL", trackingNumber = "T-1" });
        await api.ActAsync(prepaid, "deliver", new { shipmentId = "shp-1" });
        await api.ActAsync(prepaid, "refunds", new { amount = Bodies.Money(Bodies.Total), reason = "returned", refundId = "rf-1" }, Buyer);
        await api.ActAsync(prepaid, "refunds/rf-1/complete", null);
        await api.ActAsync(prepaid, "close", null);

        var cod = await api.CreatedAsync(key: "k-cod", type: "CashOnDelivery");
        await api.ActAsync(cod, "confirm", new { reservationId = "res-2" });
        await api.ActAsync(cod, "ship", new { shipmentId = "shp-2", carrier = "DHL", trackingNumber = "T-2" });
        await api.ActAsync(cod, "deliver", new { shipmentId = "shp-2" });
        await api.ActAsync(cod, "cash-collected", new { paymentId = "cash-2", amount = Bodies.Money(Bodies.Total) });

        var split = await api.CreatedAsync(key: "k-split", twoSellers: true);
        await api.ActAsync(split, "split", null, Buyer);
        var cancelled = await api.CreatedAsync(key: "k-cancel");
        await api.ActAsync(cancelled, "cancel", new { reason = "changed my mind" }, Buyer);

        // The operator's resolutions (decision 0016): a parcel lost in transit, refunded; another replaced; a refund
        // settled; a saga retried; a stuck checkout cancelled; a flag acknowledged; the stuck list.
        var lost = await api.CreatedAsync(key: "k-lost");
        await api.ActAsync(lost, "confirm", new { reservationId = "res-3", paymentAuthorizationId = "auth-3" });
        await api.ActAsync(lost, "mark-paid", new { paymentId = "pay-3", amount = Bodies.Money(Bodies.Total) });
        await api.ActAsync(lost, "ship", new { shipmentId = "shp-3", carrier = "DHL", trackingNumber = "T-3" });
        await api.ActAsync(lost, "resolutions/retry-saga", new { saga = "fulfillment", reason = "carrier API back" }, key: "k-r1");
        await api.ActAsync(lost, "resolutions/lost-parcel", new { shipmentId = "shp-3", resolution = "refund", reason = "lost" }, key: "k-r2");
        await api.ActAsync(lost, "refunds/lost-shp-3/retry", new { reason = "issuer back" }, key: "k-r3");
        await api.ActAsync(lost, "refunds/lost-shp-3/settle", new { reference = "bank-1", reason = "paid by transfer" }, key: "k-r4");
        var replaced = await api.CreatedAsync(key: "k-replaced");
        await api.ActAsync(replaced, "confirm", new { reservationId = "res-4", paymentAuthorizationId = "auth-4" });
        await api.ActAsync(replaced, "mark-paid", new { paymentId = "pay-4", amount = Bodies.Money(Bodies.Total) });
        await api.ActAsync(replaced, "ship", new { shipmentId = "shp-4", carrier = "DHL", trackingNumber = "T-4" });
        await api.ActAsync(replaced, "resolutions/lost-parcel", new { shipmentId = "shp-4", resolution = "replace", reason = "send another" }, key: "k-r5");
        var stuckCheckout = await api.CreatedAsync(key: "k-stuck");
        await ApiHost.StuckOrders.FlagAsync(new Orders.Application.Jobs.StuckOrder(Orders.Domain.ValueObjects.OrderId.From(stuckCheckout),
            Orders.Domain.ValueObjects.OrderStatus.Created, DateTimeOffset.UnixEpoch, "service-level-exceeded", "CREATED for too long", DateTimeOffset.UnixEpoch));
        await api.ActAsync(stuckCheckout, "resolutions/acknowledge", new { note = "looking" }, key: "k-r6");
        await api.GetAsync("/api/operations/stuck-orders");
        await api.ActAsync(stuckCheckout, "resolutions/cancel-checkout", new { reason = "payments never answered" }, key: "k-r7");
        var late = await api.CreatedAsync(key: "k-late");
        await api.ActAsync(late, "cancel", new { reason = "changed my mind" }, Buyer);
        await _host.Services.GetRequiredService<IInbox>().ParkAsync(new ParkedAnswer("cap-late", late, InboundEventTypes.PaymentCaptured, DateTimeOffset.UnixEpoch,
            InboundEventReader.WriteData(new PaymentCaptured(late, "pay-late", new MoneyAmount(Bodies.Total, "USD"))), DateTimeOffset.UnixEpoch, "kept"));
        await api.ActAsync(late, "resolutions/return-late-capture", new { reason = "captured after cancellation" }, key: "k-r8");

        foreach (var id in new[] { prepaid, cod, split, cancelled }) await _host.ReadModel.ProjectAsync(id);
        await api.GetAsync($"/api/orders/{prepaid}", Buyer);
        await api.GetAsync($"/api/orders/{cod}/status", Buyer);
        var history = System.Text.Json.Nodes.JsonNode.Parse((await api.GetAsync($"/api/orders/{prepaid}/history", Buyer)).Body)!;
        var firstHash = (string)history["entries"]![0]!["hash"]!;
        await api.GetAsync($"/api/orders/{prepaid}/history?sinceSequence=1&sinceHash={firstHash}", Buyer);
        await api.GetAsync("/api/buyers/buyer-1/orders?pageSize=2", Buyer);
        await api.GetAsync("/api/sellers/seller-a/orders", SellerA);
        await api.GetAsync("/api/sellers/seller-a/dashboard", SellerA);

        var legacy = new Orders.LegacyFiles.LegacyFileGenerator(1, new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero)).Order(0, "CLOSED");
        using (var import = new HttpRequestMessage(HttpMethod.Post, "/api/imports/legacy-orders")
               { Content = new ByteArrayContent(Orders.LegacyFiles.LegacyFileGenerator.Serialize(legacy)) })
        {
            import.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-ndjson");
            import.Headers.Add("X-Dev-Caller", Operator);
            (await _host.Client.SendAsync(import)).Dispose();
        }

        var succeeded = _host.Checker.Checked.Where(c => c.Status is >= 200 and < 300).Select(c => c.OperationId).ToHashSet();
        var unchecked_ = OrdersHttpApi.Routes.Select(r => r.Name).Except(succeeded).ToArray();
        Assert.True(unchecked_.Length == 0, "Not checked: " + string.Join(", ", unchecked_));
        Assert.DoesNotContain(_host.Checker.Checked, c => c.Status >= 400);
    }

    [Fact]
    public async Task TheCheck_RejectsAReceiptWithoutItsVersion()
    {
        var schema = (await OrdersContract.Instance).ComponentSchema("CommandReceipt");

        Assert.Null(OrdersContract.Failures(schema, """{"orderId":"ord-1","status":"CREATED","version":1,"childOrderIds":[]}"""));
        Assert.NotNull(OrdersContract.Failures(schema, """{"orderId":"ord-1","status":"CREATED","childOrderIds":[]}"""));
        Assert.NotNull(OrdersContract.Failures(schema, """{"orderId":"ord-1","status":"Lost","version":1,"childOrderIds":[]}"""));
        Assert.NotNull(OrdersContract.Failures(schema, """{"orderId":"ord-1","status":"CREATED","version":1,"childOrderIds":[],"extra":1}"""));
    }

    [Fact]
    public async Task TheCheck_RejectsAnOrderMissingItsHistory()
    {
        var orderId = await _host.Api.CreatedAsync();
        var body = (await _host.Api.GetAsync($"/api/orders/{orderId}", Buyer)).Body;
        var node = System.Text.Json.Nodes.JsonNode.Parse(body)!.AsObject();
        node.Remove("history");

        var schema = (await OrdersContract.Instance).ComponentSchema("OrderView");

        Assert.Null(OrdersContract.Failures(schema, body));
        Assert.NotNull(OrdersContract.Failures(schema, node.ToJsonString()));
    }

    [Fact]
    public async Task TheCheck_RejectsAProblemWithoutItsCode()
    {
        var schema = (await OrdersContract.Instance).ComponentSchema("Problem");

        Assert.NotNull(OrdersContract.Failures(schema, """{"type":"https://orders.example/problems/x","title":"t","status":400,"detail":"d","instance":"/api/orders","errors":[]}"""));
    }

    [Fact]
    public async Task TheCheckingClient_FailsOnAnUndeclaredStatus()
    {
        var contract = await OrdersContract.Instance;
        using var checker = new ContractCheckingHandler(contract) { InnerHandler = new FixedResponse(System.Net.HttpStatusCode.Gone) };
        using var client = new HttpClient(checker) { BaseAddress = new Uri("http://localhost") };

        await Assert.ThrowsAsync<ContractViolation>(() => client.GetAsync("/api/orders/ord-1"));
    }

    private sealed class FixedResponse(System.Net.HttpStatusCode status) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { RequestMessage = request });
    }
}
