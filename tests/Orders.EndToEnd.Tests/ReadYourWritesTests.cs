using System.Net;
using System.Text.Json.Nodes;
using Orders.EndToEnd.Tests.Support;
using static Orders.EndToEnd.Tests.Support.OrderRequests;

namespace Orders.EndToEnd.Tests;

/// <summary>
/// A host whose simulated domains answer only after an hour, so nothing but the test's own commands changes an
/// order while it runs: each GET right after a command must show exactly that command's version.
/// </summary>
public sealed class QuietHost : IAsyncLifetime
{
    private TempDirectory? _data;
    private LocalHostProcess? _host;

    public OrdersClient Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _data = TempDirectory.Create("orders-e2e-quiet");
        try
        {
            _host = await LocalHostProcess.StartAsync("quiet-host", _data.Path,
            [
                "--Simulators:AnswerDelay=01:00:00",
                "--Sagas:InventoryTimeout=02:00:00",
                "--Sagas:PaymentTimeout=02:00:00",
                $"--Jobs:AutoCancelUnpaid:Schedule={JourneyHost.Never}",
                $"--Jobs:DetectStuck:Schedule={JourneyHost.Never}",
                $"--Jobs:Reconcile:Schedule={JourneyHost.Never}",
                $"--Jobs:AutoClose:Schedule={JourneyHost.Never}",
            ]);
            Api = new OrdersClient(_host);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        _host = null;
        _data?.Dispose();
        _data = null;
    }
}

/// <summary>
/// Read-your-writes over HTTP: after every command, an immediate GET of the order and of its status answers the
/// command's version and ETag, and the ETag taken from that GET is accepted by the next command's If-Match — the
/// way the README tells a client to work.
/// </summary>
public sealed class ReadYourWritesTests(QuietHost fixture) : IClassFixture<QuietHost>
{
    private const int Orders = 25;
    private const int AddressChangesPerOrder = 10;

    private OrdersClient Api => fixture.Api;

    [Fact]
    public async Task An_immediate_GET_after_every_command_carries_the_new_ETag()
    {
        var commands = 0;
        for (var o = 0; o < Orders; o++)
        {
            var buyer = $"buyer-ryw-{o}";
            var id = await Api.CreateOrderAsync(buyer, $"ryw-{o}", Simple(buyer, Prepaid));
            commands++;
            var etag = await ReadsBackAsync(id, buyer, "\"1\"", 1);

            for (var c = 1; c <= AddressChangesPerOrder; c++)
            {
                var change = await Api.SendAsync(HttpMethod.Put, $"/api/orders/{id}/shipping-address", OrdersClient.Buyer(buyer),
                    Address($"{c} Read Street"), ifMatch: etag, idempotencyKey: $"ryw-{o}-address-{c}");
                Assert.True(change.Status == HttpStatusCode.OK, $"{change}\n{Api.Context()}");
                commands++;
                etag = await ReadsBackAsync(id, buyer, change.ETag!, 1 + c);
                Assert.Equal($"{c} Read Street", (string?)(await Api.DetailAsync(id))["shippingAddress"]!["line1"]);
            }

            var cancel = await Api.SendAsync(HttpMethod.Post, $"/api/orders/{id}/cancel", OrdersClient.Buyer(buyer),
                new JsonObject { ["reason"] = "read-your-writes test" }, ifMatch: etag, idempotencyKey: $"ryw-{o}-cancel");
            Assert.True(cancel.Status == HttpStatusCode.OK, $"{cancel}\n{Api.Context()}");
            commands++;
            await ReadsBackAsync(id, buyer, cancel.ETag!, AddressChangesPerOrder + 2);
        }
        Assert.Equal(Orders * (AddressChangesPerOrder + 2), commands);
    }

    /// <summary>GET /orders/{id} and /status right away: the command's ETag and version; returns the ETag GET gave.</summary>
    private async Task<string> ReadsBackAsync(string id, string buyer, string expectedETag, long expectedVersion)
    {
        Assert.Equal($"\"{expectedVersion}\"", expectedETag);
        var detail = await Api.SendAsync(HttpMethod.Get, $"/api/orders/{id}", OrdersClient.Buyer(buyer));
        Assert.True(detail.Status == HttpStatusCode.OK, detail.ToString());
        Assert.Equal(expectedETag, detail.ETag);
        Assert.Equal(expectedVersion, (long?)detail.Json["version"]);
        Assert.Equal(expectedVersion, detail.Json["history"]!.AsArray().Count);
        Assert.Equal(true, (bool?)detail.Json["historyIntact"]);

        var status = await Api.SendAsync(HttpMethod.Get, $"/api/orders/{id}/status", OrdersClient.Buyer(buyer));
        Assert.True(status.Status == HttpStatusCode.OK, status.ToString());
        Assert.Equal(expectedETag, status.ETag);
        Assert.Equal(expectedVersion, (long?)status.Json["version"]);
        return detail.ETag!;
    }

    private static JsonObject Address(string line1) => new()
    {
        ["recipient"] = "Ada",
        ["line1"] = line1,
        ["line2"] = null,
        ["city"] = "Berlin",
        ["postalCode"] = "10115",
        ["countryCode"] = "DE",
    };
}
