using System.Net;
using Microsoft.Azure.Cosmos;
using Moq;
using Orders.Application.Jobs;
using Orders.Domain.ValueObjects;
using Orders.Infrastructure.Cosmos.ReadModels;
using static Orders.Infrastructure.Tests.Cosmos.CosmosFakes;

namespace Orders.Infrastructure.Tests.Cosmos.ReadModels;

/// <summary>
/// The stuck-order log's contract (the same cases tests/Orders.Jobs.Tests runs against the in-memory and SQLite logs)
/// over a document-keeping container, and what it sends to Cosmos DB over a strict Moq'd one.
/// </summary>
public sealed class CosmosStuckOrderLogTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly PartitionKey Stuck = new("stuck-orders");

    private readonly ContainerFake _fake = new ContainerFake().Serves<CosmosStuckOrderDocument>();

    private CosmosStuckOrderLog Log() => new(_fake.Object);

    private static StuckOrder Entry(string id, DateTimeOffset detectedAt) =>
        new(OrderId.From(id), OrderStatus.Paid, T0.AddHours(-50), StuckReasons.ServiceLevelExceeded, "PAID for longer than its service level of 2d", detectedAt);

    [Fact]
    public async Task FlaggingTheSameEntryTwiceKeepsOneAndReportsNoChange()
    {
        var log = Log();
        var entry = Entry("o1", T0);

        Assert.True(await log.FlagAsync(entry));
        Assert.False(await log.FlagAsync(entry));

        Assert.Equal([entry], await log.ListAsync(10));
        Assert.Equal(1, _fake.Writes);
    }

    [Fact]
    public async Task FlaggingADifferentEntryReplacesTheOrdersEntry()
    {
        var log = Log();
        await log.FlagAsync(Entry("o1", T0));
        var changed = Entry("o1", T0) with { Reason = StuckReasons.SagaFailed, Detail = "checkout failed" };

        Assert.True(await log.FlagAsync(changed));

        Assert.Equal(changed, await log.GetAsync(OrderId.From("o1")));
        Assert.Single(await log.ListAsync(10));
    }

    [Fact]
    public async Task UnflaggingRemovesTheEntryOnce()
    {
        var log = Log();
        await log.FlagAsync(Entry("o1", T0));

        Assert.True(await log.UnflagAsync(OrderId.From("o1")));
        Assert.False(await log.UnflagAsync(OrderId.From("o1")));

        Assert.Null(await log.GetAsync(OrderId.From("o1")));
    }

    [Fact]
    public async Task ListsLongestFlaggedFirst_ThenByOrderId_UpToMax()
    {
        var log = Log();
        await log.FlagAsync(Entry("o3", T0.AddMinutes(1)));
        await log.FlagAsync(Entry("o2", T0));
        await log.FlagAsync(Entry("o1", T0));

        var listed = await log.ListAsync(2);

        Assert.Equal(["o1", "o2"], listed.Select(e => e.OrderId.Value));
        var (text, parameters, options) = Assert.Single(_fake.Queries);
        Assert.Equal("SELECT TOP @max * FROM c WHERE c.type = @type ORDER BY c.detectedAt ASC, c.orderId ASC", text);
        Assert.Equal([("@max", (object)2), ("@type", "stuck-order")], parameters);
        Assert.Equal((Stuck, (int?)2), (options.PartitionKey, options.MaxItemCount));
    }

    [Fact]
    public async Task EveryEntryLivesInTheStuckOrdersPartition_ById_WithExactInstants()
    {
        var entry = Entry("o1", T0.AddTicks(7));

        await Log().FlagAsync(entry);

        var stored = _fake.Stored("stuck-orders", "o1");
        Assert.NotNull(stored);
        Assert.Equal(("stuck-order", "stuck-orders", "2026-01-01T12:00:00.0000007Z", "PAID"),
            ((string?)stored["type"], (string?)stored["partitionKey"], (string?)stored["detectedAt"], (string?)stored["status"]));
        Assert.Equal(entry, await Log().GetAsync(OrderId.From("o1")));
    }

    [Fact]
    public async Task ADifferentEntry_ReplacesUnderTheStoredETag_AndALostRaceReadsAgain()
    {
        var container = new Mock<Container>(MockBehavior.Strict);
        var original = CosmosStuckOrderLog.Document(Entry("o1", T0));
        var changed = Entry("o1", T0) with { Reason = StuckReasons.SagaMissing };
        container.SetupSequence(c => c.ReadItemAsync<CosmosStuckOrderDocument>("o1", Stuck, It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Item(original, "\"e1\""))
            .ReturnsAsync(Item(CosmosStuckOrderLog.Document(changed), "\"e2\""));
        container.Setup(c => c.ReplaceItemAsync(It.IsAny<CosmosStuckOrderDocument>(), "o1", Stuck,
                It.Is<ItemRequestOptions>(o => o.IfMatchEtag == "\"e1\""), It.IsAny<CancellationToken>()))
            .ThrowsAsync(Failed(HttpStatusCode.PreconditionFailed));

        // Someone else stored exactly this entry in between: nothing left to change.
        Assert.False(await new CosmosStuckOrderLog(container.Object).FlagAsync(changed));
    }

    [Fact]
    public async Task AMaxBelowOne_IsRefused() =>
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Log().ListAsync(0));
}
