using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Orders.Api.Problems;
using Orders.Api.Tests.Support;
using Orders.Application.Idempotency;
using Orders.Application.Ports.Outbound;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;
using static Orders.Api.Tests.Support.ApiClient;

namespace Orders.Api.Tests;

/// <summary>
/// The classes of bad input and faults that once answered 500 or a bare status (issue 12), each answered with a
/// problem document and no change.
/// </summary>
public sealed class BadInputAndFaultAnswersTests : IAsyncLifetime
{
    private readonly FaultyStore.Switch _faults = new();
    private ApiHost _host = null!;

    public async Task InitializeAsync() => _host = await ApiHost.StartAsync(decorate: store => new FaultyStore(store, _faults));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<Reply> CreateAsync(object body, string key = "key-1", string contentType = "application/json") =>
        _host.Api.SendAsync(HttpMethod.Post, "/api/orders", Buyer, body, key, contentType: contentType);

    private async Task AssertNothingStoredAsync()
    {
        Assert.Empty(_host.Sagas.Starts);
        Assert.Empty(await _host.Store.FindByStatusAsync(Enum.GetValues<OrderStatus>(), 10));
    }

    private static JsonObject WithoutHashes(JsonObject body)
    {
        foreach (var item in body["items"]!.AsArray()) item!.AsObject().Remove("hash");
        return body;
    }

    [Theory]
    [InlineData("prepaid")]
    [InlineData("Prepaid ")]
    [InlineData(" Prepaid")]
    [InlineData("PREPAID")]
    [InlineData("Prepaid, CashOnDelivery")]
    public async Task AnEnumNotSpelledExactlyAsTheContract_Is400(string type)
    {
        var body = Bodies.CreateOrder();
        body["type"] = type;

        var reply = await CreateAsync(body);

        ProblemAssert.Is(400, "request.invalid-body", reply);
        Assert.Contains(reply.Json.GetProperty("errors").EnumerateArray(), e => e.GetString()!.StartsWith("$.type: must be one of Prepaid, CashOnDelivery", StringComparison.Ordinal));
        await AssertNothingStoredAsync();
    }

    [Theory]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("application/json; charset=UTF-16LE")]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData("application/json; charset=\"utf-32\"")]
    public async Task ABodyLabelledWithAnotherCharset_Is415(string contentType)
    {
        var reply = await _host.Api.SendAsync(HttpMethod.Post, "/api/orders", Buyer, null, "key-1", tweak: r =>
        {
            r.Content = new ByteArrayContent(Encoding.Unicode.GetBytes(Bodies.Json(Bodies.CreateOrder())));
            r.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        });

        ProblemAssert.Is(415, "request.unsupported-media-type", reply);
        await AssertNothingStoredAsync();
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json; charset=UTF-8")]
    [InlineData("application/json")]
    public async Task ABodyInUtf8_IsRead(string contentType) =>
        Assert.Equal(201, (await CreateAsync(Bodies.CreateOrder(), contentType: contentType)).Status);

    [Fact]
    public async Task InvalidUtf8_Is400_NotReplacedSilently()
    {
        var bytes = Encoding.UTF8.GetBytes(Bodies.Json(WithoutHashes(Bodies.CreateOrder())).Replace("Item sku-1", "Item sku-\u00001", StringComparison.Ordinal));
        var at = Array.IndexOf(bytes, (byte)0);
        bytes[at] = 0xFF;

        var reply = await _host.Api.SendAsync(HttpMethod.Post, "/api/orders", Buyer, null, "key-1", tweak: r =>
        {
            r.Content = new ByteArrayContent(bytes);
            r.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        });

        ProblemAssert.Is(400, "request.malformed-json", reply);
        await AssertNothingStoredAsync();
    }

    [Theory]
    [InlineData("title", "\u0000")]
    [InlineData("title", "\u001B[31m")]
    [InlineData("title", "\u202E")]
    [InlineData("title", "\u2066")]
    [InlineData("title", "\u0085")]
    [InlineData("title", "\n")]
    [InlineData("recipient", "\u202D")]
    [InlineData("line1", "\u0007")]
    [InlineData("city", "\uFEFF")]
    public async Task ControlAndBidiCharactersInFreeText_AreRefusedAndNothingIsStored(string field, string inserted)
    {
        var body = WithoutHashes(Bodies.CreateOrder());
        var target = field == "title" ? body["items"]![0]!.AsObject() : body["shippingAddress"]!.AsObject();
        var value = (string)target[field]!;
        target[field] = value[..2] + inserted + value[2..];

        var reply = await CreateAsync(body);

        ProblemAssert.Is(400, field + ".invalid-characters", reply);
        Assert.Contains("U+", reply.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task AnUnpairedSurrogate_IsRefused()
    {
        var json = Bodies.Json(WithoutHashes(Bodies.CreateOrder())).Replace("Item sku-1", "Item \\ud800sku-1", StringComparison.Ordinal);

        var reply = await CreateAsync(json);

        Assert.Equal(400, reply.Status);
        Assert.Equal(ProblemWriter.ContentType, reply.MediaType);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task DirectionMarksAndJoiners_AreAcceptedAsSent()
    {
        var body = WithoutHashes(Bodies.CreateOrder());
        body["items"]![0]!["title"] = "שלום\u200F tea \u200D👩‍👩";

        var reply = await CreateAsync(body);

        Assert.Equal(201, reply.Status);
        var order = await _host.Api.GetAsync(reply.Location!, Buyer);
        Assert.Equal("שלום\u200F tea \u200D👩‍👩", order.Json.GetProperty("items")[0].GetProperty("title").GetString());
    }

    [Fact]
    public async Task ClosingAClosedOrder_Answers200_SayingItChangedNothing()
    {
        var orderId = await _host.Api.CreatedAsync();
        await DeliverAsync(orderId);
        var first = await _host.Api.ActAsync(orderId, "close", null);
        Assert.Equal(200, first.Status);
        Assert.Null(first.Header(Http.RequestHeaders.OrderUnchanged));
        var version = first.Json.GetProperty("version").GetInt64();

        var again = await _host.Api.ActAsync(orderId, "close", null);

        Assert.Equal(200, again.Status);
        Assert.Equal("true", again.Header(Http.RequestHeaders.OrderUnchanged));
        Assert.Equal(version, again.Json.GetProperty("version").GetInt64());
        Assert.Equal(version, (await _host.Store.LoadAsync(OrderId.From(orderId)))!.Version);
    }

    [Fact]
    public async Task AReplayOfACommandThatChangedNothing_StillSaysSo()
    {
        var orderId = await _host.Api.CreatedAsync();
        await DeliverAsync(orderId);
        await _host.Api.ActAsync(orderId, "close", null);
        var unchanged = await _host.Api.ActAsync(orderId, "close", null, key: "close-again");

        var replay = await _host.Api.ActAsync(orderId, "close", null, key: "close-again");

        Assert.Equal("true", unchanged.Header(Http.RequestHeaders.OrderUnchanged));
        Assert.Equal("true", replay.Header(Http.RequestHeaders.IdempotentReplayed));
        Assert.Equal("true", replay.Header(Http.RequestHeaders.OrderUnchanged)); // as the first answer said
        Assert.Equal(unchanged.Body, replay.Body);
    }

    [Fact]
    public async Task AReplayOfACommandThatChangedTheOrder_DoesNotSayUnchanged()
    {
        var orderId = await _host.Api.CreatedAsync();
        await DeliverAsync(orderId);
        await _host.Api.ActAsync(orderId, "close", null, key: "close-once");

        var replay = await _host.Api.ActAsync(orderId, "close", null, key: "close-once");

        Assert.Equal("true", replay.Header(Http.RequestHeaders.IdempotentReplayed));
        Assert.Null(replay.Header(Http.RequestHeaders.OrderUnchanged));
    }

    [Theory]
    [InlineData(StoreFault.Full, "30")]
    [InlineData(StoreFault.ReadOnly, "30")]
    [InlineData(StoreFault.Busy, "1")]
    [InlineData(StoreFault.Unavailable, "1")]
    public async Task AStoreThatCannotWrite_Answers503WithRetryAfter_AndNothingIsStored(StoreFault fault, string retryAfter)
    {
        _faults.OnSave = fault;

        var reply = await CreateAsync(Bodies.CreateOrder());

        ProblemAssert.Is(503, "server.store-unavailable", reply);
        Assert.Equal(retryAfter, reply.Header("Retry-After"));
        Assert.Empty(await _host.Store.FindByStatusAsync(Enum.GetValues<OrderStatus>(), 10));

        _faults.OnSave = null;
        Assert.Equal(201, (await CreateAsync(Bodies.CreateOrder())).Status); // the same request, retried, succeeds
    }

    [Fact]
    public async Task AStoreThatCannotRead_Answers503()
    {
        var orderId = await _host.Api.CreatedAsync();
        _faults.OnLoad = StoreFault.Unavailable;

        var reply = await _host.Api.SendAsync(HttpMethod.Post, $"/api/orders/{orderId}/cancel", Buyer, new { reason = "r" }, ifMatch: "\"1\"");

        ProblemAssert.Is(503, "server.store-unavailable", reply);
        Assert.Equal("1", reply.Header("Retry-After"));
    }

    [Theory]
    [InlineData("GET", "/api/nothing-here", 404, "request.unknown-route", null)]
    [InlineData("GET", "/", 404, "request.unknown-route", null)]
    [InlineData("DELETE", "/api/orders", 405, "request.method-not-allowed", "POST")]
    [InlineData("PATCH", "/api/orders/ord-1", 405, "request.method-not-allowed", "GET")]
    [InlineData("GET", "/api/orders/ord-1/cancel", 405, "request.method-not-allowed", "POST")]
    [InlineData("DELETE", "/api/orders/ord-1/shipping-address", 405, "request.method-not-allowed", "PUT, POST")]
    public async Task AnUnknownPathOrMethod_AnswersAProblem(string method, string path, int status, string code, string? allow)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("X-Dev-Caller", Buyer);
        using var response = await _host.RawClient.SendAsync(request);
        var reply = new Reply(response, await response.Content.ReadAsStringAsync());

        ProblemAssert.Is(status, code, reply);
        Assert.Equal(allow, response.Content.Headers.Allow.Count == 0 ? null : string.Join(", ", response.Content.Headers.Allow));
    }

    private async Task DeliverAsync(string orderId)
    {
        Assert.Equal(200, (await _host.Api.ActAsync(orderId, "confirm", new { reservationId = "res-1", paymentAuthorizationId = "auth-1" })).Status);
        Assert.Equal(200, (await _host.Api.ActAsync(orderId, "mark-paid", new { paymentId = "pay-1", amount = Bodies.Money(Bodies.Total) })).Status);
        Assert.Equal(200, (await _host.Api.ActAsync(orderId, "ship", new { shipmentId = "shp-1", carrier = "DHL", trackingNumber = "T1" })).Status);
        Assert.Equal(200, (await _host.Api.ActAsync(orderId, "deliver", new { shipmentId = "shp-1" })).Status);
        _host.Clock.Advance(TimeSpan.FromDays(15));
    }
}

/// <summary>A store decorator that fails as a real store does when its disk is full, read-only, locked or failing.</summary>
public sealed class FaultyStore(IOrderStore inner, FaultyStore.Switch faults) : IOrderStore
{
    public sealed class Switch
    {
        public StoreFault? OnSave { get; set; }

        public StoreFault? OnLoad { get; set; }
    }

    public Task<Order?> LoadAsync(OrderId orderId, CancellationToken cancellationToken = default) =>
        faults.OnLoad is { } fault ? throw Unavailable(fault) : inner.LoadAsync(orderId, cancellationToken);

    public Task<SaveOutcome> SaveAsync(Order order, IdempotencyRecord? idempotency = null, CancellationToken cancellationToken = default) =>
        faults.OnSave is { } fault ? throw Unavailable(fault) : inner.SaveAsync(order, idempotency, cancellationToken);

    public Task<IdempotencyRecord?> FindIdempotencyRecordAsync(OrderId orderId, string recordId, CancellationToken cancellationToken = default) =>
        inner.FindIdempotencyRecordAsync(orderId, recordId, cancellationToken);

    public Task<int> PurgeExpiredIdempotencyRecordsAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default) =>
        inner.PurgeExpiredIdempotencyRecordsAsync(now, max, cancellationToken);

    public Task<IReadOnlyList<OrderSummary>> FindByStatusAsync(IReadOnlyCollection<OrderStatus> statuses, int max, CancellationToken cancellationToken = default) =>
        inner.FindByStatusAsync(statuses, max, cancellationToken);

    private static StoreUnavailableException Unavailable(StoreFault fault) => new(fault, $"The order store cannot be used ({fault}).");
}
