using System.Net;
using Microsoft.Azure.Cosmos;
using Moq;
using Orders.Domain.OrderAggregate;
using Orders.Infrastructure.Cosmos;
using static Orders.Application.Tests.TestData;
using static Orders.Infrastructure.Tests.Cosmos.CosmosFakes;
using Orders.Application.Persistence;

namespace Orders.Infrastructure.Tests.Cosmos;

/// <summary>The change log over a Moq'd change feed: mapping, order, checkpoints, 304s and the leases container.</summary>
public sealed class CosmosChangeLogTests
{
    private readonly StoreRig _rig = new();
    private readonly List<(ChangeFeedStartFrom From, ChangeFeedMode Mode, ChangeFeedRequestOptions Options)> _requests = [];
    private readonly Queue<FeedResponse<CosmosFeedDocument>> _pages = new();

    public CosmosChangeLogTests()
    {
        _rig.Orders.Setup(c => c.GetChangeFeedIterator<CosmosFeedDocument>(It.IsAny<ChangeFeedStartFrom>(), It.IsAny<ChangeFeedMode>(), It.IsAny<ChangeFeedRequestOptions>()))
            .Returns((ChangeFeedStartFrom from, ChangeFeedMode mode, ChangeFeedRequestOptions options) =>
            {
                _requests.Add((from, mode, options));
                return Iterator(_pages.Dequeue());
            });
        _rig.Orders.Setup(c => c.GetFeedRangesAsync(It.IsAny<CancellationToken>())).ReturnsAsync([FeedRange.FromJsonString(WholeRange)]);
    }

    private static CosmosFeedDocument Event(Order order, int sequence, long lsn) =>
        new(CosmosOrderStore.EventId(order.Id, sequence), "event", order.Id.Value, sequence, StoredJson.WriteEntry(order.History[sequence - 1]), lsn);

    private static CosmosFeedDocument Other(string type, string orderId, long lsn) => new($"{orderId}-{type}", type, orderId, null, null, lsn);

    private void NoLease(string consumer = "relay") =>
        _rig.Leases.Setup(c => c.ReadItemAsync<CosmosLeaseDocument>(consumer, new PartitionKey(consumer), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(NotFound());

    private void Lease(string checkpoint, string etag = "\"lease\"", string consumer = "relay") =>
        _rig.Leases.Setup(c => c.ReadItemAsync<CosmosLeaseDocument>(consumer, new PartitionKey(consumer), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Item(new CosmosLeaseDocument(consumer, checkpoint), etag));

    private static string Checkpoint(string? continuation, long lsn) => new ChangeFeedCheckpoint([new ChangeFeedPosition(WholeRange, continuation, lsn)]).ToString();

    [Fact]
    public async Task AFirstRead_StartsEachFeedRangeAtTheBeginning_AndMapsOnlyEventDocuments_InOrder()
    {
        var a = NewOrder("ord-a");
        a.Confirm("res-a", "auth-a", Context());
        var b = NewOrder("ord-b");
        NoLease();
        _pages.Enqueue(Page(HttpStatusCode.OK, "token-1",
            Event(a, 1, 10), Event(b, 1, 11), Other("order", "ord-b", 11), Other("idempotency", "ord-b", 11), Event(a, 2, 12), Other("order", "ord-a", 12)));
        _pages.Enqueue(Page<CosmosFeedDocument>(HttpStatusCode.NotModified, "token-1"));

        var batch = await _rig.Store().ReadAsync("relay", 10);

        Assert.Equal(["ord-a:1", "ord-b:1", "ord-a:2"], batch.Events.Select(e => e.EventId));
        Assert.Equal(a.History[1].Hash, batch.Events[2].Entry.Hash);
        Assert.Equal(Checkpoint("token-1", 12), batch.Checkpoint);
        var (from, mode, options) = _requests[0];
        Assert.Equal("beginning", StartOf(from));
        Assert.Equal(WholeRange, RangeOf(from));
        Assert.Equal(ChangeFeedMode.LatestVersion.GetType(), mode.GetType());
        Assert.Equal(10, options.PageSizeHint);
        Assert.Equal("token-1", StartOf(_requests[1].From));
        Assert.Equal(7, _requests[1].Options.PageSizeHint);
    }

    [Fact]
    public async Task ARead_ResumesFromTheCommittedContinuation_AndReturnsTheNewOneAsItsCheckpoint()
    {
        var a = NewOrder("ord-a");
        Lease(Checkpoint("token-5", 50));
        _pages.Enqueue(Page(HttpStatusCode.OK, "token-6", Event(a, 1, 51)));

        var batch = await _rig.Store().ReadAsync("relay", 1);

        Assert.Equal("token-5", StartOf(Assert.Single(_requests).From));
        Assert.Equal(["ord-a:1"], batch.Events.Select(e => e.EventId));
        var position = Assert.Single(ChangeFeedCheckpoint.Parse(batch.Checkpoint).Ranges);
        Assert.Equal(("token-6", 51L), (position.Continuation, position.Lsn));
    }

    [Fact]
    public async Task NotModified_IsAnEmptyBatch_WithTheSameCheckpoint()
    {
        var committed = Checkpoint("token-5", 50);
        Lease(committed);
        _pages.Enqueue(Page<CosmosFeedDocument>(HttpStatusCode.NotModified, "token-5-again"));

        var batch = await _rig.Store().ReadAsync("relay", 10);

        Assert.Empty(batch.Events);
        Assert.Equal("token-5", StartOf(Assert.Single(_requests).From));
        Assert.Equal(committed, batch.Checkpoint);
    }

    [Fact]
    public async Task OneBatchsEvents_AreDeliveredInSequence_EvenIfThePageListsThemOtherwise()
    {
        var a = NewOrder("ord-a");
        a.Confirm("res-a", "auth-a", Context());
        a.Cancel("no", Context());
        Lease(Checkpoint("token-1", 1));
        _pages.Enqueue(Page(HttpStatusCode.OK, "token-2", Event(a, 3, 7), Event(a, 2, 7), Event(a, 1, 5)));

        var batch = await _rig.Store().ReadAsync("relay", 3);

        Assert.Equal([1L, 2L, 3L], batch.Events.Select(e => e.Sequence));
    }

    [Fact]
    public async Task EachFeedRange_KeepsItsOwnPosition()
    {
        const string Left = """{"Range":{"min":"","max":"7F"}}""";
        const string Right = """{"Range":{"min":"7F","max":"FF"}}""";
        var a = NewOrder("ord-a");
        var b = NewOrder("ord-b");
        Lease(new ChangeFeedCheckpoint([new(Left, "left-1", 3), new(Right, null, 0)]).ToString());
        _pages.Enqueue(Page(HttpStatusCode.OK, "left-2", Event(a, 1, 4)));
        _pages.Enqueue(Page(HttpStatusCode.OK, "right-1", Event(b, 1, 2)));

        var batch = await _rig.Store().ReadAsync("relay", 2);

        Assert.Equal(["ord-a:1", "ord-b:1"], batch.Events.Select(e => e.EventId));
        Assert.Equal("left-1", StartOf(_requests[0].From));
        Assert.Equal("beginning", StartOf(_requests[1].From));
        Assert.Equal(Right, RangeOf(_requests[1].From));
        Assert.Equal([new(Left, "left-2", 4), new ChangeFeedPosition(Right, "right-1", 2)], ChangeFeedCheckpoint.Parse(batch.Checkpoint).Ranges);
    }

    [Fact]
    public async Task AnEventDocumentWithoutItsEntry_StopsTheRead()
    {
        Lease(Checkpoint("token-1", 1));
        _pages.Enqueue(Page(HttpStatusCode.OK, "token-2", new CosmosFeedDocument("ord-a:0000000001", "event", "ord-a", 1, null, 2)));

        await Assert.ThrowsAsync<InvalidOperationException>(() => _rig.Store().ReadAsync("relay", 10));
    }

    [Fact]
    public async Task AFirstCommit_CreatesTheConsumersLease()
    {
        NoLease();
        CosmosLeaseDocument? written = null;
        PartitionKey? key = null;
        _rig.Leases.Setup(c => c.CreateItemAsync(It.IsAny<CosmosLeaseDocument>(), It.IsAny<PartitionKey?>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .Callback((CosmosLeaseDocument d, PartitionKey? k, ItemRequestOptions _, CancellationToken _) => (written, key) = (d, k))
            .ReturnsAsync((CosmosLeaseDocument d, PartitionKey? _, ItemRequestOptions _, CancellationToken _) => Item(d, "\"new\""));

        await _rig.Store().CommitAsync("relay", Checkpoint("token-3", 30));

        Assert.Equal(new CosmosLeaseDocument("relay", Checkpoint("token-3", 30)), written);
        Assert.Equal(new PartitionKey("relay"), key);
    }

    [Fact]
    public async Task ACommit_ReplacesTheLeaseOnlyIfUnchangedSinceRead()
    {
        Lease(Checkpoint("token-3", 30), etag: "\"lease-v1\"");
        string? ifMatch = null;
        _rig.Leases.Setup(c => c.ReplaceItemAsync(It.IsAny<CosmosLeaseDocument>(), "relay", new PartitionKey("relay"), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .Callback((CosmosLeaseDocument _, string _, PartitionKey? _, ItemRequestOptions o, CancellationToken _) => ifMatch = o.IfMatchEtag)
            .ReturnsAsync((CosmosLeaseDocument d, string _, PartitionKey? _, ItemRequestOptions _, CancellationToken _) => Item(d, "\"lease-v2\""));

        await _rig.Store().CommitAsync("relay", Checkpoint("token-4", 40));

        Assert.Equal("\"lease-v1\"", ifMatch);
    }

    [Fact]
    public async Task AnOlderCheckpoint_DoesNotMoveTheLeaseBack()
    {
        Lease(Checkpoint("token-4", 40));

        await _rig.Store().CommitAsync("relay", Checkpoint("token-3", 30));

        // Strict mocks: any create or replace of the lease would have thrown.
        Assert.DoesNotContain(_rig.Leases.Invocations, i => i.Method.Name is "CreateItemAsync" or "ReplaceItemAsync" or "UpsertItemAsync");
    }

    [Fact]
    public async Task ACommitThatLosesARace_MergesWithTheWinnerAndRetries()
    {
        var reads = new Queue<CosmosLeaseDocument>([new("relay", Checkpoint("token-3", 30)), new("relay", Checkpoint("token-5", 50))]);
        _rig.Leases.Setup(c => c.ReadItemAsync<CosmosLeaseDocument>("relay", new PartitionKey("relay"), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => Item(reads.Dequeue(), "\"lease\""));
        _rig.Leases.Setup(c => c.ReplaceItemAsync(It.IsAny<CosmosLeaseDocument>(), "relay", new PartitionKey("relay"), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(Failed(HttpStatusCode.PreconditionFailed));

        await _rig.Store().CommitAsync("relay", Checkpoint("token-4", 40));

        // The second read found a newer checkpoint than ours: nothing left to write.
        Assert.Empty(reads);
        Assert.Single(_rig.Leases.Invocations, i => i.Method.Name == "ReplaceItemAsync");
    }
}
