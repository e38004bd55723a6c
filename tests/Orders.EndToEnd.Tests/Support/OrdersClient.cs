using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Orders.EndToEnd.Tests.Support;

/// <summary>One HTTP exchange, kept whole for assertion messages.</summary>
public sealed record ApiResponse(string Request, HttpStatusCode Status, string Body, string? ETag, IReadOnlyDictionary<string, string> Headers)
{
    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException($"{Request} answered no JSON: {Body}");

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public override string ToString() => $"{Request} -> {(int)Status} {Status}: {Body}";
}

/// <summary>An order's state as the order store has it (GET /api/orders/{id}/status): the truth the read models follow.</summary>
public sealed record StoreState(string Status, long Version, string ETag, JsonNode Json)
{
    /// <summary>
    /// A simple order (one seller) delivered with its payment recorded: its fifth fact. Prepaid, the payment came before
    /// the shipment. Cash on delivery, the carrier's "delivered" and the cash report leave the shipping domain together
    /// and take different paths (a saga step; a command straight from the answer), so DELIVERED can come at version 4
    /// with the cash still on its way (CI saw it): a journey that stops there reads the order one fact short.
    /// </summary>
    public bool DeliveredAndPaid => Status == "DELIVERED" && Version >= 5;

    public string SagaSummary() =>
        string.Join("; ", (Json["sagas"]?.AsArray() ?? []).Select(s => $"{s?["saga"]}={s?["runtimeStatus"]}/{s?["step"]}"));
}

/// <summary>The public API and the /local endpoints of one running local host, over real HTTP.</summary>
public sealed class OrdersClient(IOrdersHost host)
{
    public const string Operator = "operator:ops-1";

    public IOrdersHost Host { get; } = host;

    public static string Buyer(string buyerId) => "buyer:" + buyerId;

    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, string? caller, JsonNode? body = null,
        string? ifMatch = null, string? idempotencyKey = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        using var request = new HttpRequestMessage(method, new Uri(path.TrimStart('/'), UriKind.Relative));
        if (caller is not null) request.Headers.Add("X-Dev-Caller", caller);
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await Host.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers) headers[name] = string.Join(",", values);
        foreach (var (name, values) in response.Content.Headers) headers[name] = string.Join(",", values);
        var described = $"{method} {path}" + (ifMatch is null ? "" : $" If-Match {ifMatch}") + (caller is null ? "" : $" as {caller}");
        return new ApiResponse(described, response.StatusCode, text, response.Headers.ETag?.Tag, headers);
    }

    /// <summary>POST /api/orders as the buyer; asserts 201 with a receipt in CREATED at version 1 and returns the order's id.</summary>
    public async Task<string> CreateOrderAsync(string buyerId, string idempotencyKey, JsonObject body)
    {
        var response = await SendAsync(HttpMethod.Post, "/api/orders", Buyer(buyerId), body, idempotencyKey: idempotencyKey);
        Assert.True(response.Status == HttpStatusCode.Created, $"{response}\n{Context()}");
        var receipt = response.Json;
        var orderId = (string?)receipt["orderId"];
        Assert.False(string.IsNullOrEmpty(orderId), response.ToString());
        Assert.Equal("CREATED", (string?)receipt["status"]);
        Assert.Equal(1, (long?)receipt["version"]);
        Assert.Equal("\"1\"", response.ETag);
        Assert.Equal($"/api/orders/{orderId}", response.Header("Location"));
        return orderId!;
    }

    public async Task<StoreState> StoreStateAsync(string orderId)
    {
        var response = await SendAsync(HttpMethod.Get, $"/api/orders/{orderId}/status", Operator);
        Assert.True(response.Status == HttpStatusCode.OK, $"{response}\n{Context()}");
        var json = response.Json;
        return new StoreState((string)json["status"]!, (long)json["version"]!, response.ETag ?? "", json);
    }

    /// <summary>GET /api/orders/{id}: the read model's detail view (the store's until the read model has the order).</summary>
    public async Task<JsonObject> DetailAsync(string orderId)
    {
        var response = await SendAsync(HttpMethod.Get, $"/api/orders/{orderId}", Operator);
        Assert.True(response.Status == HttpStatusCode.OK, $"{response}\n{Context()}");
        return response.Json.AsObject();
    }

    /// <summary>Every item of a list endpoint (following continuation tokens), as an operator.</summary>
    public async Task<IReadOnlyList<JsonObject>> ListAllAsync(string path)
    {
        var items = new List<JsonObject>();
        string? token = null;
        for (var page = 0; page < 50; page++)
        {
            var url = path + "?pageSize=100" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token));
            var response = await SendAsync(HttpMethod.Get, url, Operator);
            Assert.True(response.Status == HttpStatusCode.OK, $"{response}\n{Context()}");
            var json = response.Json;
            items.AddRange((json["items"]?.AsArray() ?? []).Select(i => i!.AsObject()));
            token = (string?)json["continuationToken"];
            if (token is null) return items;
        }
        throw new InvalidOperationException($"{path} has more than 50 pages.");
    }

    public async Task<IReadOnlyList<JsonObject>> LedgerAsync(string orderId)
    {
        var response = await SendAsync(HttpMethod.Get, $"/{Host.LocalPrefix}simulators/{orderId}/ledger", null);
        Assert.True(response.Status == HttpStatusCode.OK, $"{response}\n{Context()}");
        return [.. response.Json.AsArray().Select(e => e!.AsObject())];
    }

    public async Task FailAsync(string orderId, string failure)
    {
        var response = await SendAsync(HttpMethod.Post, $"/{Host.LocalPrefix}simulators/{orderId}/fail/{failure}", null);
        Assert.True(response.Status == HttpStatusCode.NoContent, $"{response}\n{Context()}");
    }

    /// <summary>POST /local/jobs/{name}: runs the job now and returns its report.</summary>
    public async Task<JsonObject> RunJobAsync(string name)
    {
        var response = await SendAsync(HttpMethod.Post, $"/local/jobs/{name}", null);
        Assert.True(response.Status == HttpStatusCode.OK, $"{response}\n{Context()}");
        var report = JsonNode.Parse(response.Body) as JsonObject;
        Assert.True(report is not null, $"The {name} job did not answer a JSON report: {response}\n{Context()}");
        return report!;
    }

    /// <summary>The host's last lines, for assertion messages.</summary>
    public string Context(int lines = 40) => $"--- last {lines} lines of {Host.Name} (pid {Host.ProcessId}) ---\n{Host.Tail(lines)}";
}
