using System.Net;
using Microsoft.Azure.Cosmos;
using Moq;
using Orders.Application.Ports.Outbound;
using Orders.Domain.ValueObjects;
using Orders.Infrastructure.Cosmos;
using Orders.Infrastructure.Cosmos.ReadModels;
using static Orders.Application.Tests.TestData;
using static Orders.Infrastructure.Tests.Cosmos.CosmosFakes;

namespace Orders.Infrastructure.Tests.Cosmos;

/// <summary>
/// Cosmos DB unavailable — throttled (429), down (503), timing out (408, the SDK's own time-out), unreachable
/// (HttpRequestException) — comes out of the adapter as the store port's one fault, StoreUnavailableException, which
/// the HTTP adapter answers 503 with Retry-After. Over Moq'd containers: the emulator cannot run here.
/// </summary>
public sealed class CosmosUnavailableTests
{
    private static CosmosException Throttled(TimeSpan retryAfter)
    {
        var exception = new Mock<CosmosException>("Request rate is large", (HttpStatusCode)429, 3200, "activity", 0.0) { CallBase = true };
        exception.SetupGet(e => e.RetryAfter).Returns(retryAfter);
        return exception.Object;
    }

    private static CosmosOperationCanceledException SdkTimeout() =>
        new(new OperationCanceledException("The request timed out."), new Mock<CosmosDiagnostics>().Object);

    private static StoreRig ReadsFailWith(Exception exception)
    {
        var rig = new StoreRig();
        rig.Orders.Setup(c => c.ReadItemAsync<CosmosOrderDocument>(It.IsAny<string>(), It.IsAny<PartitionKey>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(exception);
        rig.Orders.Setup(c => c.ReadItemAsync<CosmosIdempotencyDocument>(It.IsAny<string>(), It.IsAny<PartitionKey>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(exception);
        return rig;
    }

    [Fact]
    public async Task AThrottledRead_IsThrottled_WithTheRetryAfterCosmosGave()
    {
        var store = ReadsFailWith(Throttled(TimeSpan.FromMilliseconds(2500))).Store();

        var fault = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.LoadAsync(OrderId.From("ord-1")));

        Assert.Equal(StoreFault.Throttled, fault.Fault);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), fault.RetryAfter);
        Assert.False(fault.OutcomeUnknown);
        Assert.IsAssignableFrom<CosmosException>(fault.InnerException);
    }

    public static TheoryData<string> Outages() => ["503", "408", "timeout", "connection"];

    private static Exception Outage(string kind) => kind switch
    {
        "503" => Failed(HttpStatusCode.ServiceUnavailable),
        "408" => Failed(HttpStatusCode.RequestTimeout),
        "timeout" => SdkTimeout(),
        _ => new HttpRequestException("Connection refused (localhost:8081)"),
    };

    [Theory]
    [MemberData(nameof(Outages))]
    public async Task AReadDuringAnOutage_IsUnavailable_WithTheDefaultRetryAfter(string kind)
    {
        var store = ReadsFailWith(Outage(kind)).Store();

        var fault = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.FindIdempotencyRecordAsync(OrderId.From("ord-1"), "idem-1"));

        Assert.Equal(StoreFault.Unavailable, fault.Fault);
        Assert.Equal(TimeSpan.FromSeconds(1), fault.RetryAfter);
        Assert.False(fault.OutcomeUnknown); // a read changes nothing
    }

    [Theory]
    [MemberData(nameof(Outages))]
    public async Task ASaveDuringAnOutage_IsUnavailable_AndSaysItsOutcomeIsUnknown(string kind)
    {
        var rig = new StoreRig();
        var order = NewOrder();
        rig.Orders.Setup(c => c.CreateTransactionalBatch(It.IsAny<PartitionKey>())).Returns(() =>
        {
            var batch = Batch(BatchResponse(HttpStatusCode.OK));
            batch.Setup(b => b.ExecuteAsync(It.IsAny<CancellationToken>())).ThrowsAsync(Outage(kind));
            return batch.Object;
        });

        var fault = await Assert.ThrowsAsync<StoreUnavailableException>(() => rig.Store().SaveAsync(order));

        Assert.Equal(StoreFault.Unavailable, fault.Fault);
        Assert.True(fault.OutcomeUnknown); // the batch may have been applied before the answer was lost
    }

    [Theory]
    [InlineData(429, StoreFault.Throttled, false)]
    [InlineData(503, StoreFault.Unavailable, true)]
    [InlineData(408, StoreFault.Unavailable, true)]
    public async Task ABatchAnsweringThrottledOrUnavailable_IsTheStoreFault_NotAProgrammingError(int status, StoreFault expected, bool outcomeUnknown)
    {
        var rig = new StoreRig().Answers((HttpStatusCode)status);
        var order = NewOrder();

        var fault = await Assert.ThrowsAsync<StoreUnavailableException>(() => rig.Store().SaveAsync(order));

        Assert.Equal(expected, fault.Fault);
        Assert.Equal(outcomeUnknown, fault.OutcomeUnknown);
        Assert.Equal(0, order.PersistedVersion); // not marked saved: a retry sends the same entries again
    }

    [Fact]
    public async Task ABatchRefusedForAnotherReason_IsStillAnError_NotCalledUnavailability()
    {
        var rig = new StoreRig().Answers(HttpStatusCode.BadRequest);

        await Assert.ThrowsAsync<InvalidOperationException>(() => rig.Store().SaveAsync(NewOrder()));
    }

    [Fact]
    public async Task TheCallersOwnCancellation_IsNotCalledUnavailability()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var store = ReadsFailWith(SdkTimeout()).Store();

        await Assert.ThrowsAsync<CosmosOperationCanceledException>(() => store.LoadAsync(OrderId.From("ord-1"), cancelled.Token));
    }

    [Fact]
    public async Task AListQueryDuringAnOutage_IsUnavailable()
    {
        var container = new Mock<Container>(MockBehavior.Strict);
        var iterator = new Mock<FeedIterator<string>>();
        iterator.SetupGet(i => i.HasMoreResults).Returns(true);
        iterator.Setup(i => i.ReadNextAsync(It.IsAny<CancellationToken>())).ThrowsAsync(Failed(HttpStatusCode.ServiceUnavailable));
        container.Setup(c => c.GetItemQueryIterator<string>(It.IsAny<QueryDefinition>(), It.IsAny<string>(), It.IsAny<QueryRequestOptions>()))
            .Returns(iterator.Object);
        var store = new CosmosReadModelStore(container.Object);

        var fault = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.ListBuyerOrdersAsync(BuyerId.From("buyer-1"), null, 10, null));

        Assert.Equal(StoreFault.Unavailable, fault.Fault);
    }
}
