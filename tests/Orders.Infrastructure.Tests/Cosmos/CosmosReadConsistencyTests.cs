using System.Net;
using Microsoft.Azure.Cosmos;
using Moq;
using Orders.Application.ReadModels;
using Orders.Application.Views;
using Orders.Domain.ValueObjects;
using Orders.Infrastructure.Cosmos;
using Orders.Infrastructure.Cosmos.Inbox;
using Orders.Infrastructure.Cosmos.ReadModels;
using static Orders.Application.Tests.TestData;
using static Orders.Infrastructure.Tests.Cosmos.CosmosFakes;

namespace Orders.Infrastructure.Tests.Cosmos;

/// <summary>
/// Decision 0042 (known defect 11): under the account's Session consistency, a read without the writer's session
/// token may come from a replica that has not applied another instance's write. Every read the store decides on or
/// answers "as it is now" asks for the latest committed version; the reads answered as eventually consistent do not
/// (they cost half). These tests read the options each request carried.
/// </summary>
public sealed class CosmosReadConsistencyTests
{
    private static ReadConsistencyStrategy? StrategyOf(IInvocation invocation) =>
        invocation.Arguments.OfType<RequestOptions>().SingleOrDefault() switch
        {
            ItemRequestOptions item => item.ReadConsistencyStrategy,
            QueryRequestOptions query => query.ReadConsistencyStrategy,
            null => null,
            var other => throw new InvalidOperationException($"Unexpected options {other.GetType().Name}."),
        };

    private static IInvocation[] Reads(Mock<Container> container) =>
        [.. container.Invocations.Where(i => i.Method.Name is nameof(Container.ReadItemAsync) or nameof(Container.ReadItemStreamAsync)
                                                               or nameof(Container.GetItemQueryIterator))];

    [Fact]
    public async Task TheOrdersLoad_StateRead_AndIdempotencyRecord_AreReadAtTheLatestCommittedVersion()
    {
        var order = NewOrder();
        order.Confirm("res-1", "auth-1", Context(T0.AddMinutes(1)));
        var rig = new StoreRig().Holds(order, "\"e\"");
        rig.Orders.Setup(c => c.ReadItemAsync<CosmosIdempotencyDocument>("idempotency:idem-1", new PartitionKey("ord-1"), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(NotFound());
        var store = rig.Store();

        Assert.NotNull(await store.LoadAsync(order.Id));
        Assert.NotNull(await store.ReadStateAsync(order.Id));
        Assert.Null(await store.FindIdempotencyRecordAsync(order.Id, "idem-1"));
        Assert.NotEmpty(await store.ReadStoredHistoryAsync(order.Id));

        var reads = Reads(rig.Orders);
        Assert.Equal(5, reads.Length); // load: document + events; state: document; the record; stored history: events
        Assert.All(reads, read => Assert.Equal(ReadConsistencyStrategy.LatestCommitted, StrategyOf(read)));
        Assert.All(rig.EventQueries, q => Assert.Equal(new PartitionKey("ord-1"), q.Options.PartitionKey));
    }

    [Fact]
    public async Task AChangeFeedLease_IsReadAtTheLatestCommittedVersion_BeforeItIsMovedOn()
    {
        var rig = new StoreRig();
        var checkpoint = new ChangeFeedCheckpoint([new ChangeFeedPosition(WholeRange, "token-1", 10)]).ToString();
        var next = new ChangeFeedCheckpoint([new ChangeFeedPosition(WholeRange, "token-2", 20)]).ToString();
        rig.Leases.Setup(c => c.ReadItemAsync<CosmosLeaseDocument>("relay", new PartitionKey("relay"), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Item(new CosmosLeaseDocument("relay", checkpoint), "\"lease\""));
        rig.Leases.Setup(c => c.ReplaceItemAsync(It.IsAny<CosmosLeaseDocument>(), "relay", new PartitionKey("relay"), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Item(new CosmosLeaseDocument("relay", next), "\"lease-2\""));

        await rig.Store().CommitAsync("relay", next);

        var read = Assert.Single(Reads(rig.Leases));
        Assert.Equal(ReadConsistencyStrategy.LatestCommitted, StrategyOf(read));
    }

    [Fact]
    public async Task TheInbox_AndAnOrdersParkedAnswers_AreReadAtTheLatestCommittedVersion()
    {
        // A parked answer another instance wrote must be found when the order reaches the state it waits for.
        var leases = new Mock<Container>(MockBehavior.Strict);
        leases.Setup(c => c.ReadItemStreamAsync("inbox:evt-1", new PartitionKey("inbox:evt-1"), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => new ResponseMessage(HttpStatusCode.NotFound));
        var parked = CosmosInbox.ParkedDocumentId("ord-1");
        leases.Setup(c => c.ReadItemAsync<CosmosParkedDocument>(parked, new PartitionKey(parked), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(NotFound());
        var inbox = new CosmosInbox(leases.Object);

        Assert.False(await inbox.WasHandledAsync("evt-1"));
        Assert.Empty(await inbox.ParkedForAsync("ord-1"));

        var reads = Reads(leases);
        Assert.Equal(2, reads.Length);
        Assert.All(reads, read => Assert.Equal(ReadConsistencyStrategy.LatestCommitted, StrategyOf(read)));
    }

    [Fact]
    public async Task TheProjectorsPointReads_AreLatest_WhileTheListsAnsweredToCallers_StayAtTheAccountsSession()
    {
        // The projector folds new changes onto the detail it reads and writes the fold back: folded onto a stale
        // detail, the view would lose a change and still win the conditional write on its retry. The buyer's list
        // is documented as eventually consistent: one replica, half the RU.
        var container = new Mock<Container>(MockBehavior.Strict);
        container.Setup(c => c.ReadItemAsync<CosmosOrderDetailDocument>("ord-1", new PartitionKey("order:ord-1"), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(NotFound());
        container.Setup(c => c.CreateItemAsync(It.IsAny<CosmosOrderDetailDocument>(), new PartitionKey("order:ord-1"), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((CosmosOrderDetailDocument d, PartitionKey _, ItemRequestOptions _, CancellationToken _) => Item(d, "\"d\""));
        container.Setup(c => c.GetItemQueryIterator<string>(It.IsAny<QueryDefinition>(), It.IsAny<string>(), It.IsAny<QueryRequestOptions>()))
            .Returns(() => Iterator(Page<string>(HttpStatusCode.OK, null)));
        var store = new CosmosReadModelStore(container.Object);
        var order = NewOrder();

        Assert.Null(await store.GetDetailAsync(order.Id));
        Assert.True(await store.PutDetailAsync(new OrderDetailRecord(OrderView.From(order), order.History)));
        Assert.Empty((await store.ListBuyerOrdersAsync(order.BuyerId, null, 10, null)).Items);

        var reads = Reads(container);
        Assert.Equal(3, reads.Length);
        Assert.All(reads[..2], read => Assert.Equal(ReadConsistencyStrategy.LatestCommitted, StrategyOf(read)));
        var list = reads[2];
        Assert.Equal(nameof(Container.GetItemQueryIterator), list.Method.Name);
        Assert.Null(StrategyOf(list));
    }

    [Fact]
    public async Task AStuckOrderFlag_ReadsTheLatestEntry_BeforeDecidingThereIsNothingToWrite()
    {
        var container = new Mock<Container>(MockBehavior.Strict);
        var entry = new Application.Jobs.StuckOrder(OrderId.From("o1"), OrderStatus.Paid, T0, "stuck", "detail", T0.AddHours(1));
        container.Setup(c => c.ReadItemAsync<CosmosStuckOrderDocument>("o1", new PartitionKey(CosmosReadModelContainer.StuckOrdersPartition), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Item(CosmosStuckOrderLog.Document(entry), "\"s\""));

        Assert.False(await new CosmosStuckOrderLog(container.Object).FlagAsync(entry));

        Assert.Equal(ReadConsistencyStrategy.LatestCommitted, StrategyOf(Assert.Single(Reads(container))));
    }

    [Fact]
    public async Task TheStuckOrderList_IsReadAtTheLatestCommittedVersion()
    {
        // Detect-stuck keeps, re-flags or unflags each listed entry: a stale list could unflag an order another
        // instance has just flagged because its money must be returned.
        var container = new Mock<Container>(MockBehavior.Strict);
        container.Setup(c => c.GetItemQueryIterator<CosmosStuckOrderDocument>(It.IsAny<QueryDefinition>(), It.IsAny<string>(), It.IsAny<QueryRequestOptions>()))
            .Returns(() => Iterator(Page<CosmosStuckOrderDocument>(HttpStatusCode.OK, null)));

        Assert.Empty(await new CosmosStuckOrderLog(container.Object).ListAsync(50));

        var read = Assert.Single(Reads(container));
        Assert.Equal(ReadConsistencyStrategy.LatestCommitted, StrategyOf(read));
        var options = read.Arguments.OfType<QueryRequestOptions>().Single();
        Assert.Equal((new PartitionKey(CosmosReadModelContainer.StuckOrdersPartition), 50), (options.PartitionKey!.Value, options.MaxItemCount!.Value));
    }
}
