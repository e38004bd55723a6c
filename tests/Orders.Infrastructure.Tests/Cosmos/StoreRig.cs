using System.Net;
using Microsoft.Azure.Cosmos;
using Moq;
using Orders.Domain.OrderAggregate;
using Orders.Infrastructure.Cosmos;
using static Orders.Infrastructure.Tests.Cosmos.CosmosFakes;

namespace Orders.Infrastructure.Tests.Cosmos;

/// <summary>A <see cref="CosmosOrderStore"/> over Moq'd containers that records every batch it is asked to build.</summary>
internal sealed class StoreRig
{
    private readonly Queue<TransactionalBatchResponse> _responses = new();

    public StoreRig()
    {
        Orders.Setup(c => c.CreateTransactionalBatch(It.IsAny<PartitionKey>())).Returns((PartitionKey key) =>
        {
            var batch = Batch(_responses.Count > 0 ? _responses.Dequeue() : throw new InvalidOperationException("No batch response queued."));
            Batches.Add((key, batch));
            return batch.Object;
        });
    }

    public Mock<Container> Orders { get; } = new(MockBehavior.Strict);

    public Mock<Container> Leases { get; } = new(MockBehavior.Strict);

    public List<(PartitionKey Key, Mock<TransactionalBatch> Batch)> Batches { get; } = [];

    public CosmosOrderStore Store(Action<Order>? beforeCommit = null, DateTimeOffset? now = null, TimeSpan? grace = null) =>
        new(Orders.Object, Leases.Object, new CosmosStoreOptions { BeforeCommit = beforeCommit, IdempotencyTtlGrace = grace ?? TimeSpan.FromDays(1) },
            new FixedTime(now ?? Application.Tests.TestData.T0));

    /// <summary>The next batch answers with this status; on success each operation gets an ETag ("etag-1", …).</summary>
    public StoreRig Answers(HttpStatusCode status, params string[] etags)
    {
        _responses.Enqueue(BatchResponse(status, etags.Length > 0 ? etags : ["\"etag-next\""]));
        return this;
    }

    /// <summary>The container holds <paramref name="order"/> (as saved, with this ETag): its document and its events.</summary>
    public StoreRig Holds(Order order, string etag)
    {
        var id = order.Id.Value;
        Orders.Setup(c => c.ReadItemAsync<CosmosOrderDocument>(id, new PartitionKey(id), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => Item(CosmosOrderStore.OrderDocument(order), etag));
        Orders.Setup(c => c.GetItemQueryIterator<CosmosEventDocument>(It.IsAny<QueryDefinition>(), It.IsAny<string>(), It.IsAny<QueryRequestOptions>()))
            .Returns((QueryDefinition query, string _, QueryRequestOptions options) =>
            {
                EventQueries.Add((query, options));
                return Iterator(Page(HttpStatusCode.OK, null, [.. order.History.Select(e => CosmosOrderStore.EventDocument(order.Id, e))]));
            });
        return this;
    }

    public StoreRig Lacks(string orderId)
    {
        Orders.Setup(c => c.ReadItemAsync<CosmosOrderDocument>(orderId, new PartitionKey(orderId), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(NotFound());
        return this;
    }

    public List<(QueryDefinition Query, QueryRequestOptions Options)> EventQueries { get; } = [];

    public int OrderReads => Orders.Invocations.Count(i => i.Method.Name == nameof(Container.ReadItemAsync));

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
