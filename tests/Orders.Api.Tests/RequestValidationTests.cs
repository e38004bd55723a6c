using System.Text;
using System.Text.Json.Nodes;
using Orders.Api.Tests.Support;
using static Orders.Api.Tests.Support.ApiClient;

namespace Orders.Api.Tests;

/// <summary>Whatever is wrong with a request is a 400 problem (never a 500), and nothing is created.</summary>
public sealed class RequestValidationTests : IAsyncLifetime
{
    private ApiHost _host = null!;

    public async Task InitializeAsync() => _host = await ApiHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<Reply> CreateAsync(object body, string? key = "key-1", string contentType = "application/json") =>
        _host.Api.SendAsync(HttpMethod.Post, "/api/orders", Buyer, body, key, contentType: contentType);

    private async Task AssertNothingCreatedAsync()
    {
        Assert.Empty(_host.Sagas.Starts);
        Assert.Empty(await _host.Store.FindByStatusAsync(Enum.GetValues<Domain.ValueObjects.OrderStatus>(), 10));
    }

    [Fact]
    public async Task ACreateWithoutIdempotencyKey_Is400()
    {
        ProblemAssert.Is(400, "idempotency.key-missing", await CreateAsync(Bodies.CreateOrder(), key: null));
        await AssertNothingCreatedAsync();
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("ключ")]
    public async Task ACreateWithAnInvalidIdempotencyKey_Is400(string key)
    {
        var reply = await _host.Api.SendAsync(HttpMethod.Post, "/api/orders", Buyer, Bodies.CreateOrder(),
            tweak: r => r.Headers.TryAddWithoutValidation("Idempotency-Key", Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(key))));

        ProblemAssert.Is(400, "idempotency.key-invalid", reply);
    }

    [Fact]
    public async Task ATooLongIdempotencyKey_Is400() =>
        ProblemAssert.Is(400, "idempotency.key-invalid", await CreateAsync(Bodies.CreateOrder(), key: new string('k', 256)));

    [Theory]
    [InlineData("{")]
    [InlineData("{\"buyerId\":}")]
    [InlineData("not json")]
    [InlineData("{\"buyerId\":\"buyer-1\",}")]
    public async Task MalformedJson_Is400(string body)
    {
        ProblemAssert.Is(400, "request.malformed-json", await CreateAsync(body));
        await AssertNothingCreatedAsync();
    }

    [Fact]
    public async Task AnUnknownField_Is400()
    {
        var body = Bodies.CreateOrder();
        body["discountCode"] = "FREE";

        var reply = await CreateAsync(body);

        ProblemAssert.Is(400, "request.invalid-body", reply);
        Assert.Contains("discountCode", reply.Body, StringComparison.Ordinal);
        await AssertNothingCreatedAsync();
    }

    [Fact]
    public async Task AnUnknownNestedField_Is400()
    {
        var body = Bodies.CreateOrder();
        body["shippingFee"]!["cents"] = 1;

        ProblemAssert.Is(400, "request.invalid-body", await CreateAsync(body));
    }

    [Fact]
    public async Task AFieldInTheWrongCase_IsUnknown()
    {
        var body = Bodies.CreateOrder();
        body["BuyerId"] = body["buyerId"]!.DeepClone();
        body.Remove("buyerId");

        ProblemAssert.Is(400, "request.invalid-body", await CreateAsync(body));
    }

    [Theory]
    [InlineData("quantity", "\"2\"")]
    [InlineData("quantity", "2.5")]
    [InlineData("quantity", "true")]
    [InlineData("sku", "7")]
    [InlineData("unitPrice", "1000")]
    public async Task AWrongType_Is400(string field, string json)
    {
        var body = Bodies.CreateOrder();
        body["items"]![0]![field] = JsonNode.Parse(json);

        ProblemAssert.Is(400, "request.invalid-body", await CreateAsync(body));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    public async Task AnEnumAsANumber_Is400(string json)
    {
        var body = Bodies.CreateOrder();
        body["type"] = JsonNode.Parse(json);

        ProblemAssert.Is(400, "request.invalid-body", await CreateAsync(body));
    }

    [Fact]
    public async Task AnUnknownEnumName_Is400()
    {
        var body = Bodies.CreateOrder();
        body["type"] = "Barter";

        ProblemAssert.Is(400, "request.invalid-body", await CreateAsync(body));
    }

    [Theory]
    [InlineData("buyerId")]
    [InlineData("items")]
    [InlineData("shippingFee")]
    [InlineData("shippingAddress")]
    public async Task AMissingRequiredField_Is400(string field)
    {
        var body = Bodies.CreateOrder();
        body.Remove(field);

        var reply = await CreateAsync(body);

        ProblemAssert.Is(400, "request.invalid-body", reply);
        Assert.Contains(field, reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANullWhereTheContractHasNone_Is400()
    {
        var body = Bodies.CreateOrder();
        body["buyerId"] = null;

        ProblemAssert.Is(400, "request.invalid-body", await CreateAsync(body));
    }

    [Fact]
    public async Task ANullItem_Is400()
    {
        var body = Bodies.CreateOrder();
        body["items"]!.AsArray().Add(null);

        ProblemAssert.Is(400, "request.invalid-body", await CreateAsync(body));
    }

    [Fact]
    public async Task ADuplicateMember_Is400()
    {
        var json = Bodies.CreateOrder().ToJsonString().Replace("\"type\":\"Prepaid\"", "\"type\":\"Prepaid\",\"type\":\"CashOnDelivery\"", StringComparison.Ordinal);

        ProblemAssert.Is(400, "request.invalid-body", await CreateAsync(json));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"order\"")]
    public async Task ABodyThatIsNotAnObject_Is400(string json) =>
        ProblemAssert.Is(400, "request.invalid-body", await CreateAsync(json));

    [Fact]
    public async Task AnEmptyBody_Is400() =>
        ProblemAssert.Is(400, "request.invalid-body", await _host.Api.SendAsync(HttpMethod.Post, "/api/orders", Buyer, key: "key-1"));

    [Fact]
    public async Task ABodyOver64KiB_Is400()
    {
        var body = Bodies.CreateOrder();
        body["shippingAddress"]!["line1"] = new string('x', 64 * 1024);

        ProblemAssert.Is(400, "request.body-too-large", await CreateAsync(body));
        await AssertNothingCreatedAsync();
    }

    [Fact]
    public async Task AChunkedBodyOver64KiB_Is400()
    {
        var body = Bodies.CreateOrder();
        body["shippingAddress"]!["line1"] = new string('x', 64 * 1024);

        var reply = await _host.Api.SendAsync(HttpMethod.Post, "/api/orders", Buyer, key: "key-1", tweak: r =>
        {
            r.Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body.ToJsonString())));
            r.Content.Headers.ContentType = new("application/json");
            r.Headers.TransferEncodingChunked = true;
        });

        ProblemAssert.Is(400, "request.body-too-large", reply);
    }

    [Fact]
    public async Task ABodyThatIsNotJson_Is415() =>
        ProblemAssert.Is(415, "request.unsupported-media-type", await CreateAsync(Bodies.CreateOrder(), contentType: "text/plain"));

    [Fact]
    public async Task AnUnknownCurrency_Is400WithTheValueCode()
    {
        var body = Bodies.CreateOrder();
        body["shippingFee"]!["currency"] = "XXX";

        ProblemAssert.Is(400, "currency.unknown", await CreateAsync(body));
        await AssertNothingCreatedAsync();
    }

    [Fact]
    public async Task ALowerCaseCurrency_Is400()
    {
        var body = Bodies.CreateOrder();
        body["shippingFee"]!["currency"] = "usd";

        ProblemAssert.Is(400, "currency.unknown", await CreateAsync(body));
    }

    [Fact]
    public async Task NegativeMoney_Is400()
    {
        var body = Bodies.CreateOrder();
        body["shippingFee"]!["minor"] = -1;

        ProblemAssert.Is(400, "money.negative", await CreateAsync(body));
    }

    [Fact]
    public async Task AZeroQuantity_Is400()
    {
        var body = Bodies.CreateOrder();
        body["items"]![0]!["quantity"] = 0;

        ProblemAssert.Is(400, "item.quantity-invalid", await CreateAsync(body));
    }

    [Fact]
    public async Task ATamperedSnapshot_Is400()
    {
        var body = Bodies.CreateOrder();
        body["items"]![0]!["unitPrice"]!["minor"] = 1; // the price changed, the hash did not

        ProblemAssert.Is(400, "item.snapshot-tampered", await CreateAsync(body));
        await AssertNothingCreatedAsync();
    }

    [Fact]
    public async Task AMalformedSnapshotHash_Is400()
    {
        var body = Bodies.CreateOrder();
        body["items"]![0]!["hash"] = "md5:abc";

        ProblemAssert.Is(400, "snapshot-hash.invalid", await CreateAsync(body));
    }

    [Fact]
    public async Task AnInvalidCountryCode_Is400()
    {
        var body = Bodies.CreateOrder();
        body["shippingAddress"]!["countryCode"] = "gb";

        ProblemAssert.Is(400, "countryCode.invalid", await CreateAsync(body));
    }

    [Fact]
    public async Task AnInvalidIdentifier_Is400WithItsFieldCode()
    {
        var body = Bodies.CreateOrder();
        body["buyerId"] = "buyer 1";

        ProblemAssert.Is(400, "buyer-id.invalid", await CreateAsync(body));
    }

    [Fact]
    public async Task AnInvalidOrderIdInTheRoute_Is400()
    {
        var reply = await _host.Api.GetAsync("/api/orders/ord%20one");

        ProblemAssert.Is(400, "order-id.invalid", reply);
    }

    [Fact]
    public async Task AnEmptyReasonOnACommand_Is400WithItsFieldCode()
    {
        var orderId = await _host.Api.CreatedAsync();

        var reply = await _host.Api.ActAsync(orderId, "cancel", new { reason = "" }, Buyer);

        ProblemAssert.Is(400, "reason.empty", reply);
    }
}
