using System.Net;
using Microsoft.Azure.Cosmos;
using Moq;
using Orders.Api.Tests.Support;
using Orders.Infrastructure.Cosmos;
using static Orders.Api.Tests.Support.ApiClient;

namespace Orders.Api.Tests;

/// <summary>
/// The Cosmos DB adapter unavailable, answered over HTTP: 503 problem with Retry-After (Cosmos DB's own when it throttles),
/// never a 500. The container is Moq'd (no emulator can run here), the rest is the real adapter and the real API.
/// </summary>
public sealed class CosmosUnavailableAnswersTests
{
    private static async Task<Reply> CreateAgainstCosmosFailingWith(Exception exception)
    {
        var orders = new Mock<Container>(MockBehavior.Strict);
        orders.Setup(c => c.ReadItemAsync<CosmosIdempotencyDocument>(It.IsAny<string>(), It.IsAny<PartitionKey>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(exception);
        orders.Setup(c => c.ReadItemAsync<CosmosOrderDocument>(It.IsAny<string>(), It.IsAny<PartitionKey>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(exception);
        var cosmos = new CosmosOrderStore(orders.Object, new Mock<Container>(MockBehavior.Strict).Object);
        await using var host = await ApiHost.StartAsync(decorate: _ => cosmos);
        return await host.Api.SendAsync(HttpMethod.Post, "/api/orders", Buyer, Bodies.CreateOrder(), "cosmos-1");
    }

    [Fact]
    public async Task Throttled_Is503_WithTheRetryAfterCosmosGave()
    {
        var throttled = new Mock<CosmosException>("Request rate is large", (HttpStatusCode)429, 3200, "activity", 0.0) { CallBase = true };
        throttled.SetupGet(e => e.RetryAfter).Returns(TimeSpan.FromMilliseconds(2500));

        var reply = await CreateAgainstCosmosFailingWith(throttled.Object);

        ProblemAssert.Is(503, "server.store-unavailable", reply);
        Assert.Equal("3", reply.Header("Retry-After"));
        Assert.Contains("throttling", reply.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unavailable_Is503_WithRetryAfter()
    {
        var reply = await CreateAgainstCosmosFailingWith(new CosmosException("Service is unavailable", HttpStatusCode.ServiceUnavailable, 0, "activity", 0));

        ProblemAssert.Is(503, "server.store-unavailable", reply);
        Assert.Equal("1", reply.Header("Retry-After"));
    }

    [Fact]
    public async Task Unreachable_Is503_WithRetryAfter()
    {
        var reply = await CreateAgainstCosmosFailingWith(new HttpRequestException("Connection refused (cosmos.example:443)"));

        ProblemAssert.Is(503, "server.store-unavailable", reply);
        Assert.Equal("1", reply.Header("Retry-After"));
        // The account's host and port are the operators' to read in the log, not every caller's.
        Assert.DoesNotContain("cosmos.example", reply.Body, StringComparison.Ordinal);
        Assert.Contains("it cannot be reached", reply.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
