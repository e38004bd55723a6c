using System.Net;
using Microsoft.Azure.Cosmos;
using Orders.Application.Idempotency;
using Orders.Application.Ports.Outbound;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;
using Orders.Infrastructure.Cosmos;
using static Orders.Application.Tests.TestData;
using Orders.Application.Persistence;

namespace Orders.Infrastructure.Tests.Cosmos;

/// <summary>What one save sends: the exact operations, partition key and ETag condition of its transactional batch.</summary>
public sealed class CosmosSaveTests
{
    private static IdempotencyRecord Record(Order order, string id = "idem-1", DateTimeOffset? expires = null) =>
        new(order.Id, id, "hash", "{\"ok\":true}", T0, expires ?? T0.AddHours(24));

    [Fact]
    public async Task ANewOrder_IsOneBatchOnItsPartition_CreatingItsDocumentAndEachEntry_AndUpsertingTheRecord()
    {
        var rig = new StoreRig().Answers(HttpStatusCode.OK, "\"order-etag\"", "\"e1\"", "\"e2\"", "\"r\"");
        var order = NewOrder();
        order.Confirm("res-1", "auth-1", Context(T0.AddMinutes(1)));

        var outcome = await rig.Store().SaveAsync(order, Record(order));

        Assert.Equal(SaveOutcome.Saved, outcome);
        var (key, batch) = Assert.Single(rig.Batches);
        Assert.Equal(new PartitionKey("ord-1"), key);
        var operations = batch.Operations().ToArray();
        Assert.Equal(["CreateItem", "CreateItem", "CreateItem", "UpsertItem"], operations.Select(o => o.Method.Name));

        var document = Assert.IsType<CosmosOrderDocument>(operations[0].Arguments[0]);
        Assert.Equal(("ord-1", "ord-1", "order", 2L, "CONFIRMED", "buyer-1"), (document.Id, document.OrderId, document.Type, document.Version, document.Status, document.BuyerId));
        Assert.Equal(CosmosJson.Instant(T0.AddMinutes(1)), document.UpdatedAt);
        Assert.Equal(2, document.Document.GetProperty("version").GetInt64());
        Assert.Null(operations[0].Arguments[1]);

        var events = operations[1..3].Select(o => Assert.IsType<CosmosEventDocument>(o.Arguments[0])).ToArray();
        Assert.Equal(["ord-1:0000000001", "ord-1:0000000002"], events.Select(e => e.Id));
        Assert.All(events, e => Assert.Equal(("ord-1", "event"), (e.OrderId, e.Type)));
        Assert.Equal(order.History.Select(h => h.Hash), events.Select(e => StoredJson.ReadEntry(e.Entry).Hash));

        var record = Assert.IsType<CosmosIdempotencyDocument>(operations[3].Arguments[0]);
        Assert.Equal(("idempotency:idem-1", "ord-1", "idem-1", "idempotency"), (record.Id, record.OrderId, record.RecordId, record.Type));
        Assert.Equal(2, order.PersistedVersion);
    }

    [Fact]
    public async Task ALoadedOrder_IsReplacedOnlyIfItsDocumentStillHasTheETagReadAtLoad()
    {
        var stored = NewOrder();
        var rig = new StoreRig().Holds(stored, "\"etag-at-load\"").Answers(HttpStatusCode.OK);
        var store = rig.Store();
        var order = (await store.LoadAsync(stored.Id))!;
        order.Confirm("res-1", "auth-1", Context());

        Assert.Equal(SaveOutcome.Saved, await store.SaveAsync(order));

        var operations = Assert.Single(rig.Batches).Batch.Operations().ToArray();
        Assert.Equal(["ReplaceItem", "CreateItem"], operations.Select(o => o.Method.Name));
        Assert.Equal("ord-1", operations[0].Arguments[0]);
        Assert.Equal(2, Assert.IsType<CosmosOrderDocument>(operations[0].Arguments[1]).Version);
        Assert.Equal("\"etag-at-load\"", Assert.IsType<TransactionalBatchItemRequestOptions>(operations[0].Arguments[2]).IfMatchEtag);
        Assert.Equal("ord-1:0000000002", Assert.IsType<CosmosEventDocument>(operations[1].Arguments[0]).Id);
        Assert.Equal(1, rig.OrderReads); // the load's read; the save did not read again
    }

    [Fact]
    public async Task TheNextSaveOfTheSameInstance_IsGuardedByTheETagTheLastSaveReturned()
    {
        var rig = new StoreRig().Answers(HttpStatusCode.OK, "\"after-create\"", "\"e1\"").Answers(HttpStatusCode.OK);
        var store = rig.Store();
        var order = NewOrder();
        await store.SaveAsync(order);
        order.Cancel("changed my mind", Context());

        Assert.Equal(SaveOutcome.Saved, await store.SaveAsync(order));

        var replace = rig.Batches[1].Batch.Operations().First();
        Assert.Equal("ReplaceItem", replace.Method.Name);
        Assert.Equal("\"after-create\"", Assert.IsType<TransactionalBatchItemRequestOptions>(replace.Arguments[2]).IfMatchEtag);
    }

    [Theory]
    [InlineData(HttpStatusCode.PreconditionFailed)]
    [InlineData(HttpStatusCode.Conflict)]
    public async Task ABatchRefusedForConcurrency_IsAConflict_AndTheOrderStaysUnpersisted(HttpStatusCode status)
    {
        var stored = NewOrder();
        var rig = new StoreRig().Holds(stored, "\"old\"").Answers(status);
        var store = rig.Store();
        var order = (await store.LoadAsync(stored.Id))!;
        order.Confirm("res-1", "auth-1", Context());

        Assert.Equal(SaveOutcome.Conflict, await store.SaveAsync(order, Record(order)));

        Assert.Equal(1, order.PersistedVersion);
        Assert.Single(order.UncommittedEntries);
    }

    // 429 and 503 are the store's unavailability, not errors: CosmosUnavailableTests.
    [Theory]
    [InlineData(HttpStatusCode.RequestEntityTooLarge)]
    [InlineData(HttpStatusCode.BadRequest)]
    public async Task AnyOtherFailedBatch_Throws_AndTheOrderStaysUnpersisted(HttpStatusCode status)
    {
        var rig = new StoreRig().Answers(status);
        var order = NewOrder();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => rig.Store().SaveAsync(order));

        Assert.Contains(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.Equal(0, order.PersistedVersion);
    }

    [Fact]
    public async Task AnInstanceThisStoreDidNotLoad_IsCheckedAgainstTheStoredDocument_AndUsesItsETag()
    {
        var stored = NewOrder();
        var rig = new StoreRig().Holds(stored, "\"seen-by-other\"").Answers(HttpStatusCode.OK);
        var order = (await rig.Store().LoadAsync(stored.Id))!;   // loaded through another store instance
        order.Confirm("res-1", "auth-1", Context());

        Assert.Equal(SaveOutcome.Saved, await rig.Store().SaveAsync(order));

        Assert.Equal(2, rig.OrderReads);
        var replace = Assert.Single(rig.Batches).Batch.Operations().First();
        Assert.Equal("\"seen-by-other\"", Assert.IsType<TransactionalBatchItemRequestOptions>(replace.Arguments[2]).IfMatchEtag);
    }

    [Fact]
    public async Task AnInstanceBehindTheStoredVersion_IsAConflictWithoutSendingABatch()
    {
        var stale = NewOrder();
        var ahead = NewOrder();
        ahead.Confirm("res-1", "auth-1", Context());
        var rig = new StoreRig().Holds(ahead, "\"v2\"");
        stale.MarkPersisted();
        stale.Cancel("late", Context());

        Assert.Equal(SaveOutcome.Conflict, await rig.Store().SaveAsync(stale));

        Assert.Empty(rig.Batches);
        Assert.Equal(1, stale.PersistedVersion);
    }

    [Fact]
    public async Task ARecordForAnUnchangedOrder_IsWrittenAgainstTheVersionTheCallerSaw()
    {
        var stored = NewOrder();
        var rig = new StoreRig().Holds(stored, "\"current\"").Answers(HttpStatusCode.OK);
        var store = rig.Store();
        var order = (await store.LoadAsync(stored.Id))!;

        Assert.Equal(SaveOutcome.Saved, await store.SaveAsync(order, Record(order)));

        var operations = Assert.Single(rig.Batches).Batch.Operations().ToArray();
        Assert.Equal(["ReplaceItem", "UpsertItem"], operations.Select(o => o.Method.Name));
        Assert.Equal(1, Assert.IsType<CosmosOrderDocument>(operations[0].Arguments[1]).Version);
        Assert.Equal("\"current\"", Assert.IsType<TransactionalBatchItemRequestOptions>(operations[0].Arguments[2]).IfMatchEtag);
    }

    [Fact]
    public async Task TheIdempotencyRecord_LivesUntilItExpiresPlusTheGrace()
    {
        var rig = new StoreRig().Answers(HttpStatusCode.OK);
        var order = NewOrder();

        await rig.Store(now: T0.AddHours(1), grace: TimeSpan.FromHours(2)).SaveAsync(order, Record(order, expires: T0.AddHours(24)));

        var record = Assert.IsType<CosmosIdempotencyDocument>(rig.Batches[0].Batch.Operations().Last().Arguments[0]);
        Assert.Equal((23 + 2) * 3600, record.Ttl);
        Assert.Equal(CosmosJson.Instant(T0.AddHours(24)), record.ExpiresAt);
    }

    [Theory]
    [InlineData(-48, 3600, 3600)]   // already expired: kept for the grace only
    [InlineData(-48, 0, 1)]         // never zero: Cosmos DB refuses ttl 0
    [InlineData(10, 0, 36000)]
    public void TheTtl_IsTheTimeLeftPlusTheGrace_AndAtLeastOneSecond(int expiresInHours, int graceSeconds, int expected) =>
        Assert.Equal(expected, CosmosOrderStore.TimeToLiveSeconds(T0.AddHours(expiresInHours), T0, TimeSpan.FromSeconds(graceSeconds)));

    [Fact]
    public async Task BeforeCommit_RunsOnTheBuiltBatch_BeforeItIsSent_AndAThrowSendsNothing()
    {
        var rig = new StoreRig().Answers(HttpStatusCode.OK);
        var operationsWhenCalled = -1;
        var store = rig.Store(beforeCommit: _ =>
        {
            var batch = rig.Batches.Single().Batch;
            operationsWhenCalled = batch.Operations().Count();
            Assert.DoesNotContain(batch.Invocations, i => i.Method.Name == nameof(TransactionalBatch.ExecuteAsync));
            throw new IOException("lost before commit");
        });
        var order = NewOrder();

        await Assert.ThrowsAsync<IOException>(() => store.SaveAsync(order, Record(order)));

        Assert.Equal(3, operationsWhenCalled);
        Assert.DoesNotContain(rig.Batches.Single().Batch.Invocations, i => i.Method.Name == nameof(TransactionalBatch.ExecuteAsync));
        Assert.Equal(0, order.PersistedVersion);
    }

    [Fact]
    public async Task ASaveOverOneHundredOperations_IsRefusedBeforeABatchIsBuilt()
    {
        var rig = new StoreRig();
        var order = NewOrder();
        var other = new ShippingAddress("Ada Lovelace", "2 Difference Lane", null, "London", "N1 1AA", "GB");
        for (var i = 0; i < 99; i++) Assert.Null(order.ChangeShippingAddress(i % 2 == 0 ? other : Address, Context()));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => rig.Store().SaveAsync(order));

        Assert.Contains("101 operations", error.Message, StringComparison.Ordinal);
        Assert.Empty(rig.Batches);
    }

    [Theory]
    [InlineData(1, SaveOutcome.Saved)]
    [InlineData(2, SaveOutcome.Conflict)]
    public async Task ASaveWithNothingToWrite_SendsNoBatch_AndSaysWhetherTheVersionIsCurrent(int storedVersion, SaveOutcome expected)
    {
        var stored = NewOrder();
        if (storedVersion == 2) stored.Confirm("res-1", "auth-1", Context());
        var rig = new StoreRig().Holds(stored, "\"e\"");
        var unchanged = NewOrder();
        unchanged.MarkPersisted();

        Assert.Equal(expected, await rig.Store().SaveAsync(unchanged));

        Assert.Empty(rig.Batches);
    }

    [Fact]
    public async Task ARecordOfAnotherOrder_IsRefused()
    {
        var order = NewOrder();
        var foreign = new IdempotencyRecord(OrderId.From("ord-2"), "idem-1", "h", "{}", T0, T0.AddHours(1));

        await Assert.ThrowsAsync<ArgumentException>(() => new StoreRig().Store().SaveAsync(order, foreign));
    }
}
