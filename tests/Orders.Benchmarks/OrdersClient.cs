using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Orders.Benchmarks;

/// <summary>A thin HTTP client for the load scenarios: create an order, read its status, read a buyer's list.</summary>
internal sealed class OrdersClient : IDisposable
{
    private const string Body = """
        {"buyerId":"BUYER","type":"Prepaid","items":[{"line":1,"sku":"tea-1","productId":"tea","sellerId":"seller-a","title":"Green tea","unitPrice":{"minor":1250,"currency":"EUR"},"quantity":2}],
         "shippingFee":{"minor":495,"currency":"EUR"},
         "shippingAddress":{"recipient":"Ada Lovelace","line1":"1 Analytical Way","line2":null,"city":"London","postalCode":"N1 1AA","countryCode":"GB"}}
        """;

    private readonly HttpClient _http;

    public OrdersClient(Uri address, int connections)
    {
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public sealed record Created(HttpStatusCode Status, string? OrderId, double Milliseconds, TimeSpan? RetryAfter);

    public async Task<Created> CreateAsync(string buyer, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/orders")
        {
            Content = new StringContent(Body.Replace("BUYER", buyer, StringComparison.Ordinal), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Dev-Caller", "buyer:" + buyer);
        request.Headers.Add("Idempotency-Key", key);
        var watch = Stopwatch.StartNew();
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        watch.Stop();
        string? id = null;
        if (response.StatusCode == HttpStatusCode.Created)
            id = JsonDocument.Parse(text).RootElement.GetProperty("orderId").GetString();
        var retry = response.Headers.RetryAfter?.Delta;
        return new Created(response.StatusCode, id, watch.Elapsed.TotalMilliseconds, retry);
    }

    public async Task<string> StatusAsync(string buyer, string orderId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/orders/" + orderId);
        request.Headers.Add("X-Dev-Caller", "buyer:" + buyer);
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("status").GetString()!;
    }

    public async Task<bool> ListedAsync(string buyer, string orderId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/buyers/{buyer}/orders?pageSize=10");
        request.Headers.Add("X-Dev-Caller", "buyer:" + buyer);
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadAsStringAsync()).Contains(orderId, StringComparison.Ordinal);
    }

    public async Task<string> GetTextAsync(string path) => await _http.GetStringAsync(new Uri(path, UriKind.Relative));

    /// <summary>A GET as <paramref name="caller"/> (X-Dev-Caller); fails unless 200.</summary>
    public async Task<string> GetTextAsync(string path, string caller)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Dev-Caller", caller);
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    public async Task<string> PostTextAsync(string path)
    {
        using var response = await _http.PostAsync(new Uri(path, UriKind.Relative), null);
        return await response.Content.ReadAsStringAsync();
    }

    public void Dispose() => _http.Dispose();
}

internal static class Stats
{
    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.OrderBy(v => v).ToArray();
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    /// <summary>Least-squares slope of y over x.</summary>
    public static double Slope(IReadOnlyList<(double X, double Y)> points)
    {
        if (points.Count < 2) return double.NaN;
        var mx = points.Average(p => p.X);
        var my = points.Average(p => p.Y);
        var num = points.Sum(p => (p.X - mx) * (p.Y - my));
        var den = points.Sum(p => (p.X - mx) * (p.X - mx));
        return den == 0 ? double.NaN : num / den;
    }
}
