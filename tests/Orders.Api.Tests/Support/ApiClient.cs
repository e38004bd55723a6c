using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Orders.Api.Auth;

namespace Orders.Api.Tests.Support;

/// <summary>An answer, read whole.</summary>
public sealed record Reply(HttpResponseMessage Message, string Body)
{
    public int Status => (int)Message.StatusCode;

    public string? ETag => Message.Headers.ETag?.Tag;

    public string? Location => Message.Headers.Location?.OriginalString;

    public string? MediaType => Message.Content.Headers.ContentType?.MediaType;

    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();

    public string? Header(string name) => Message.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    public override string ToString() => $"{Status} {MediaType} {Body}";
}

/// <summary>Requests as the API's clients send them: an identity, a body, Idempotency-Key and If-Match.</summary>
public sealed class ApiClient(HttpClient client)
{
    public const string Buyer = "buyer:buyer-1";
    public const string OtherBuyer = "buyer:buyer-2";
    public const string SellerA = "seller:seller-a";
    public const string SellerB = "seller:seller-b";
    public const string StrangerSeller = "seller:seller-z";
    public const string Operator = "operator:ops-1";

    public Task<Reply> GetAsync(string path, string? caller = Operator) => SendAsync(HttpMethod.Get, path, caller);

    public Task<Reply> PostAsync(string path, object? body, string? caller, string? key = null, string? ifMatch = null) =>
        SendAsync(HttpMethod.Post, path, caller, body, key, ifMatch);

    public async Task<Reply> SendAsync(HttpMethod method, string path, string? caller, object? body = null, string? key = null,
        string? ifMatch = null, string contentType = "application/json", Action<HttpRequestMessage>? tweak = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (caller is not null) request.Headers.Add(DevelopmentCallerResolver.HeaderName, caller);
        if (key is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        if (body is not null)
        {
            var text = body as string ?? Bodies.Json(body);
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        tweak?.Invoke(request);
        var response = await client.SendAsync(request);
        return new Reply(response, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Creates the standard order as <paramref name="caller"/>; its id.</summary>
    public async Task<string> CreatedAsync(string key = "key-1", string type = "Prepaid", bool twoSellers = false, string caller = Buyer, string buyer = "buyer-1")
    {
        var reply = await PostAsync("/api/orders", Bodies.CreateOrder(buyer, type, twoSellers), caller, key);
        Assert.True(reply.Status == (int)HttpStatusCode.Created, reply.ToString());
        return reply.Json.GetProperty("orderId").GetString()!;
    }

    /// <summary>Sends a command with the order's current ETag (read from its status as an operator).</summary>
    public async Task<Reply> ActAsync(string orderId, string action, object? body, string? caller = Operator, string? key = null, HttpMethod? method = null)
    {
        var status = await GetAsync($"/api/orders/{orderId}/status");
        Assert.True(status.Status == 200, status.ToString());
        return await SendAsync(method ?? HttpMethod.Post, $"/api/orders/{orderId}/{action}", caller, body, key, status.ETag);
    }
}
