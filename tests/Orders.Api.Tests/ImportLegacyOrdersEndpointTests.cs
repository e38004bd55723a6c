using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Orders.Api.Problems;
using Orders.Api.Tests.Support;
using Orders.Domain.ValueObjects;
using Orders.LegacyFiles;

namespace Orders.Api.Tests;

public sealed class ImportLegacyOrdersEndpointTests : IAsyncLifetime
{
    private const string Path = "/api/imports/legacy-orders";
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly LegacyFileGenerator _generator = new(3, Now);
    private ApiHost _host = null!;

    public async Task InitializeAsync() => _host = await ApiHost.StartAsync(o => o.MaxImportBodyBytes = 256 * 1024);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<Reply> PostAsync(byte[] body, string mediaType, string caller = ApiClient.Operator)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        request.Headers.Add("X-Dev-Caller", caller);
        using var response = await _host.Client.SendAsync(request);
        return new Reply(response, await response.Content.ReadAsStringAsync());
    }

    private static byte[] Lines(IEnumerable<byte[]> lines) => [.. lines.SelectMany(l => l.Append((byte)'\n'))];

    [Fact]
    public async Task AnOperatorImportsJsonLines_AndGetsOneResultPerLine_WithCountsPerReason()
    {
        var good = _generator.Order("a", "CLOSED", Now.AddDays(-100));
        var bad = _generator.Order("b", "PAID", Now.AddDays(-3));
        bad = bad with { Totals = bad.Totals with { Total = bad.Totals.Total with { Minor = bad.Totals.Total.Minor + 5 } } };
        var body = Lines([LegacyFileGenerator.Serialize(good), LegacyFileGenerator.Serialize(bad), "{\"format\":\"orders.legacy-order.v1\","u8.ToArray()]);

        var reply = await PostAsync(body, "application/x-ndjson");

        Assert.Equal(200, reply.Status);
        var json = reply.Json;
        Assert.Equal((3, 1, 0, 2), (json.GetProperty("lines").GetInt32(), json.GetProperty("imported").GetInt32(),
            json.GetProperty("alreadyImported").GetInt32(), json.GetProperty("refused").GetInt32()));
        var results = json.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(["imported", "refused", "refused"], results.Select(r => r.GetProperty("outcome").GetString()));
        Assert.Equal("import.totals-mismatch", results[1].GetProperty("reason").GetString());
        Assert.Equal("import.malformed-json", results[2].GetProperty("reason").GetString());
        Assert.Equal(1, json.GetProperty("refusedByReason").GetProperty("import.totals-mismatch").GetInt32());
        Assert.Equal(OrderStatus.Closed, (await _host.Store.LoadAsync(OrderId.From("django-a")))!.Status);
        Assert.Null(await _host.Store.LoadAsync(OrderId.From("django-b")));
    }

    [Fact]
    public async Task AJsonArray_IsImportedElementByElement_AndASecondPostAnswersAlreadyImported()
    {
        var orders = new[] { _generator.Order("c", "DELIVERED-PAST", Now.AddDays(-50)), _generator.Order("d", "CANCELLED-NEW", Now.AddDays(-9)) };
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(orders.Select(o => JsonDocument.Parse(LegacyFileGenerator.Serialize(o)).RootElement),
            new JsonSerializerOptions { WriteIndented = true }));

        var first = await PostAsync(body, "application/json");
        var second = await PostAsync(body, "application/json");

        Assert.Equal(2, first.Json.GetProperty("imported").GetInt32());
        Assert.Equal(2, second.Json.GetProperty("alreadyImported").GetInt32());
        Assert.Equal(["django-c", "django-d"], second.Json.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("orderId").GetString()));
    }

    [Theory]
    [InlineData(ApiClient.Buyer)]
    [InlineData(ApiClient.SellerA)]
    public async Task OnlyOperatorsMayImport(string caller)
    {
        var reply = await PostAsync(Lines([LegacyFileGenerator.Serialize(_generator.Order("e", "PAID", Now.AddDays(-2)))]), "application/x-ndjson", caller);

        ProblemAssert.Is(403, "order.forbidden", reply);
        Assert.Null(await _host.Store.LoadAsync(OrderId.From("django-e")));
    }

    [Fact]
    public async Task AnotherMediaType_Is415()
    {
        ProblemAssert.Is(415, ProblemTypes.Codes.UnsupportedMediaType, await PostAsync("{}"u8.ToArray(), "text/plain"));
    }

    [Fact]
    public async Task AnEmptyBody_Is400()
    {
        ProblemAssert.Is(400, ProblemTypes.Codes.ImportEmpty, await PostAsync("\n\n"u8.ToArray(), "application/x-ndjson"));
    }

    [Fact]
    public async Task AJsonBodyThatIsNotAnArray_Is400_AndOneThatIsNotJson_Is400()
    {
        ProblemAssert.Is(400, ProblemTypes.Codes.InvalidBody, await PostAsync("{\"a\":1}"u8.ToArray(), "application/json"));
        ProblemAssert.Is(400, ProblemTypes.Codes.MalformedJson, await PostAsync("[{\"a\":"u8.ToArray(), "application/json"));
    }

    [Fact]
    public async Task ABodyOverTheLimit_IsRefusedWhole_BeforeAnythingIsImported()
    {
        var lines = _generator.Lines(200).Select(l => l.Bytes).ToArray();
        var body = Lines(lines);
        Assert.True(body.Length > 256 * 1024);

        ProblemAssert.Is(400, ProblemTypes.Codes.BodyTooLarge, await PostAsync(body, "application/x-ndjson"));
        Assert.Null(await _host.Store.LoadAsync(OrderId.From(_generator.OrderIdOf("3-0"))));
    }

    [Fact]
    public async Task WhenEveryLineIsRefused_TheAnswerIsA422Problem_WithThePerLineResults_AndNothingChanged()
    {
        var bad = _generator.Order("f", "PAID", Now.AddDays(-3));
        bad = bad with { Totals = bad.Totals with { Total = bad.Totals.Total with { Minor = bad.Totals.Total.Minor + 5 } } };
        var body = Lines([LegacyFileGenerator.Serialize(bad), "null"u8.ToArray(), [0xC3, 0x28]]);

        var reply = await PostAsync(body, "application/x-ndjson");

        ProblemAssert.Is(422, ProblemTypes.Codes.ImportAllLinesRefused, reply);
        var json = reply.Json;
        Assert.Equal((3, 3), (json.GetProperty("lines").GetInt32(), json.GetProperty("refused").GetInt32()));
        Assert.Equal(["import.totals-mismatch", "import.invalid-record", "import.invalid-encoding"],
            json.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("reason").GetString()));
        Assert.All(json.GetProperty("results").EnumerateArray(), r => Assert.Equal("refused", r.GetProperty("outcome").GetString()));
        Assert.Equal(1, json.GetProperty("refusedByReason").GetProperty("import.invalid-encoding").GetInt32());
        Assert.Null(await _host.Store.LoadAsync(OrderId.From("django-f")));
    }

    [Fact]
    public async Task AlreadyImportedLines_AreNotRefusals_SoABatchOfThemAndRefusedLinesIs200()
    {
        var good = LegacyFileGenerator.Serialize(_generator.Order("g", "CLOSED", Now.AddDays(-30)));
        Assert.Equal(200, (await PostAsync(Lines([good]), "application/x-ndjson")).Status);

        var reply = await PostAsync(Lines([good, "{}"u8.ToArray()]), "application/x-ndjson");

        Assert.Equal(200, reply.Status);
        Assert.Equal(["already-imported", "refused"], reply.Json.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("outcome").GetString()));
    }

    [Theory]
    [InlineData("application/x-ndjson; charset=utf-16")]
    [InlineData("application/json; charset=iso-8859-1")]
    public async Task ACharsetOtherThanUtf8_Is415_AndNothingIsRead(string contentType)
    {
        var line = LegacyFileGenerator.Serialize(_generator.Order("h", "CLOSED", Now.AddDays(-30)));
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = new ByteArrayContent(Lines([line])) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.Add("X-Dev-Caller", ApiClient.Operator);
        using var response = await _host.Client.SendAsync(request);

        ProblemAssert.Is(415, ProblemTypes.Codes.UnsupportedMediaType, new Reply(response, await response.Content.ReadAsStringAsync()));
        Assert.Null(await _host.Store.LoadAsync(OrderId.From("django-h")));
    }
}
