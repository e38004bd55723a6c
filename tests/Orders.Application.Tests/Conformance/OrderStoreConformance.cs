using Orders.Application.Idempotency;
using Orders.Application.Ports.Outbound;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;
using static Orders.Application.Tests.TestData;

namespace Orders.Application.Tests.Conformance;

/// <summary>
/// The contract of <see cref="IOrderStore"/> and <see cref="IOrderChangeLog"/>, run against every adapter. An adapter
/// passes by deriving from this class and creating a fresh, empty store.
/// </summary>
public abstract class OrderStoreConformance
{
    /// <summary>A fresh, empty store. <paramref name="beforeCommit"/> runs inside each save just before it commits.</summary>
    protected abstract (IOrderStore Store, IOrderChangeLog Log) CreateStore(Action<Order>? beforeCommit = null);

    [Fact]
    public async Task ASavedOrder_LoadsWithTheSameHistory()
    {
        var (store, _) = CreateStore();
        var order = NewOrder();
        order.Confirm("res-1", "auth-1", Context(T0.AddMinutes(1)));

        Assert.Equal(SaveOutcome.Saved, await store.SaveAsync(order));

        var loaded = await store.LoadAsync(order.Id);
        Assert.NotNull(loaded);
        Assert.Equal(OrderStatus.Confirmed, loaded.Status);
        Assert.Equal(2, loaded.Version);
        Assert.Equal(2, loaded.PersistedVersion);
        Assert.Equal(order.History.Select(h => h.Hash), loaded.History.Select(h => h.Hash));
        Assert.True(loaded.VerifyHistory().IsIntact);
        Assert.Empty(loaded.UncommittedEntries);
    }

    [Fact]
    public async Task TheStoredState_IsReadBackAtTheVersionOfTheLastSave()
    {
        var (store, _) = CreateStore();
        var order = NewOrder();
        await store.SaveAsync(order);
        order.Confirm("res-1", "auth-1", Context(T0.AddMinutes(1)));
        await store.SaveAsync(order);

        var state = await store.ReadStateAsync(order.Id);

        Assert.NotNull(state);
        Assert.Equal(2, state.Version);
        Assert.Equal(OrderStatus.Confirmed, state.View.Status);
        Assert.Equal(order.Total, state.View.Pricing.Total);
        Assert.Equal(T0.AddMinutes(1), state.UpdatedAt);
        Assert.Null(await store.ReadStateAsync(OrderId.From("nope")));
    }

    [Fact]
    public async Task TheStoredHistory_IsReadAsStored_WithoutDecoding()
    {
        var (store, _) = CreateStore();
        var order = NewOrder();
        order.Confirm("res-1", "auth-1", Context(T0.AddMinutes(1)));
        await store.SaveAsync(order);

        var stored = await store.ReadStoredHistoryAsync(order.Id);

        Assert.Equal(order.History.Select(e => (e.Sequence, e.PreviousHash, e.Hash, e.Content, (string?)null)),
            stored.Select(e => (e.Sequence, e.PreviousHash, e.Hash, e.Content, e.Unreadable)));
        Assert.Empty(await store.ReadStoredHistoryAsync(OrderId.From("nope")));
    }

    [Fact]
    public async Task EveryOrder_IsListedInIdOrder_AfterAGivenId()
    {
        var (store, _) = CreateStore();
        var ids = new[] { "ord-c", "ord-a", "ord-e", "ord-b", "ord-d" };
        foreach (var id in ids)
        {
            var order = NewOrder(id);
            if (id == "ord-b") order.Cancel("changed my mind", Context(T0.AddMinutes(1)));
            await store.SaveAsync(order);
        }

        Assert.Equal(["ord-a", "ord-b", "ord-c"], (await store.ListOrderIdsAsync(null, 3)).Select(i => i.Value));
        Assert.Equal(["ord-d", "ord-e"], (await store.ListOrderIdsAsync(OrderId.From("ord-c"), 3)).Select(i => i.Value));
        Assert.Empty(await store.ListOrderIdsAsync(OrderId.From("ord-e"), 3));
    }

    [Fact]
    public async Task EveryEntrysStoredContent_ComesBackByteForByte()
    {
        var (store, _) = CreateStore();
        var order = NewOrder();
        order.Confirm("res-1", "auth-1", Context(T0.AddMinutes(1)));
        order.Cancel("zurück «» 🍵 \"quoted\" \\ 1e3", Context(T0.AddMinutes(2)));
        await store.SaveAsync(order);

        var loaded = (await store.LoadAsync(order.Id))!;

        Assert.Equal(order.History.Select(e => (e.Content, e.PreviousHash, e.Hash)), loaded.History.Select(e => (e.Content, e.PreviousHash, e.Hash)));
        Assert.All(loaded.History, e => Assert.Equal(HistoryEntry.HashOf(e.PreviousHash, e.Content), e.Hash));
    }

    [Fact]
    public async Task AnUnknownOrder_LoadsAsNull()
    {
        var (store, _) = CreateStore();
        Assert.Null(await store.LoadAsync(OrderId.From("nope")));
    }

    [Fact]
    public async Task ASaveFromAStaleVersion_IsAConflictAndWritesNothing()
    {
        var (store, log) = CreateStore();
        await store.SaveAsync(NewOrder());
        var first = (await store.LoadAsync(OrderId.From("ord-1")))!;
        var second = (await store.LoadAsync(OrderId.From("ord-1")))!;
        first.Confirm("res-1", "auth-1", Context());
        second.Cancel("changed my mind", Context());

        Assert.Equal(SaveOutcome.Saved, await store.SaveAsync(first));
        Assert.Equal(SaveOutcome.Conflict, await store.SaveAsync(second));

        var stored = (await store.LoadAsync(OrderId.From("ord-1")))!;
        Assert.Equal(OrderStatus.Confirmed, stored.Status);
        Assert.Equal(2, stored.Version);
        Assert.Equal(1, second.PersistedVersion);
        Assert.Equal(2, (await log.ReadAsync("c", 100)).Events.Count);
    }

    [Fact]
    public async Task CreatingAnOrderThatExists_IsAConflict()
    {
        var (store, _) = CreateStore();
        Assert.Equal(SaveOutcome.Saved, await store.SaveAsync(NewOrder()));
        Assert.Equal(SaveOutcome.Conflict, await store.SaveAsync(NewOrder()));
        Assert.Equal(1, (await store.LoadAsync(OrderId.From("ord-1")))!.Version);
    }

    [Fact]
    public async Task FiftyConcurrentSavesFromOneVersion_ExactlyOneWins()
    {
        var (store, log) = CreateStore();
        await store.SaveAsync(NewOrder());
        var copies = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => store.LoadAsync(OrderId.From("ord-1"))));
        for (var i = 0; i < copies.Length; i++) copies[i]!.Cancel($"reason {i}", Context());

        var outcomes = await Task.WhenAll(copies.Select(c => Task.Run(() => store.SaveAsync(c!))));

        Assert.Equal(1, outcomes.Count(o => o == SaveOutcome.Saved));
        var stored = (await store.LoadAsync(OrderId.From("ord-1")))!;
        Assert.Equal(2, stored.Version);
        Assert.True(stored.VerifyHistory().IsIntact);
        Assert.Equal(2, (await log.ReadAsync("c", 100)).Events.Count);
    }

    [Fact]
    public async Task TheIdempotencyRecord_IsWrittenWithTheOrder()
    {
        var (store, _) = CreateStore();
        var order = NewOrder();
        var record = new IdempotencyRecord(order.Id, "idem-1", "hash", "{\"ok\":true}", T0, T0.AddHours(24));

        await store.SaveAsync(order, record);

        Assert.Equal(record, await store.FindIdempotencyRecordAsync(order.Id, "idem-1"));
        Assert.Null(await store.FindIdempotencyRecordAsync(order.Id, "idem-2"));
    }

    [Fact]
    public async Task AnIdempotencyRecordOfAnAnswerThatChangedNothing_SaysSoWhenRead()
    {
        var (store, _) = CreateStore();
        var order = NewOrder();
        var record = new IdempotencyRecord(order.Id, "idem-1", "hash", "{\"ok\":true}", T0, T0.AddHours(24), Unchanged: true);

        await store.SaveAsync(order, record);

        Assert.True((await store.FindIdempotencyRecordAsync(order.Id, "idem-1"))!.Unchanged);
    }

    [Fact]
    public async Task AConflictingSave_DoesNotWriteItsIdempotencyRecord()
    {
        var (store, _) = CreateStore();
        await store.SaveAsync(NewOrder());
        var stale = NewOrder();

        var outcome = await store.SaveAsync(stale, new IdempotencyRecord(stale.Id, "idem-1", "h", "{}", T0, T0.AddHours(1)));

        Assert.Equal(SaveOutcome.Conflict, outcome);
        Assert.Null(await store.FindIdempotencyRecordAsync(stale.Id, "idem-1"));
    }

    [Fact]
    public async Task ARecordAlone_CanBeSavedForAnUnchangedOrder_AndReplacesAnExpiredOne()
    {
        var (store, _) = CreateStore();
        var order = NewOrder();
        await store.SaveAsync(order, new IdempotencyRecord(order.Id, "idem-1", "old", "{}", T0, T0.AddHours(1)));

        var loaded = (await store.LoadAsync(order.Id))!;
        var fresh = new IdempotencyRecord(order.Id, "idem-1", "new", "{\"v\":2}", T0.AddHours(2), T0.AddHours(26));
        Assert.Equal(SaveOutcome.Saved, await store.SaveAsync(loaded, fresh));

        Assert.Equal(fresh, await store.FindIdempotencyRecordAsync(order.Id, "idem-1"));
        Assert.Equal(1, (await store.LoadAsync(order.Id))!.Version);
    }

    [Fact]
    public async Task AFailureBeforeCommit_LeavesNoPartialWrite()
    {
        var failNext = false;
        var (store, log) = CreateStore(beforeCommit: _ =>
        {
            if (failNext) throw new IOException("power lost between writing and committing");
        });
        var order = NewOrder();
        await store.SaveAsync(order);
        order.Confirm("res-1", "auth-1", Context());
        failNext = true;

        await Assert.ThrowsAsync<IOException>(() =>
            store.SaveAsync(order, new IdempotencyRecord(order.Id, "idem-1", "h", "{}", T0, T0.AddHours(1))));

        failNext = false;
        var stored = (await store.LoadAsync(order.Id))!;
        Assert.Equal(OrderStatus.Created, stored.Status);
        Assert.Equal(1, stored.Version);
        Assert.Null(await store.FindIdempotencyRecordAsync(order.Id, "idem-1"));
        Assert.Single((await log.ReadAsync("c", 100)).Events);
        Assert.Equal(1, order.PersistedVersion);
        // The same change can be saved once the fault is gone.
        Assert.Equal(SaveOutcome.Saved, await store.SaveAsync(order));
        Assert.Equal(OrderStatus.Confirmed, (await store.LoadAsync(order.Id))!.Status);
    }

    [Fact]
    public async Task TheChangeLog_DeliversEveryEntryInCommitOrder_FromACheckpoint()
    {
        var (store, log) = CreateStore();
        var a = NewOrder("ord-a");
        var b = NewOrder("ord-b");
        await store.SaveAsync(a);
        await store.SaveAsync(b);
        a.Confirm("res-a", "auth-a", Context());
        await store.SaveAsync(a);

        var first = await log.ReadAsync("relay", 2);
        Assert.Equal(["ord-a:1", "ord-b:1"], first.Events.Select(e => e.EventId));
        await log.CommitAsync("relay", first.Checkpoint);

        var second = await log.ReadAsync("relay", 10);
        Assert.Equal(["ord-a:2"], second.Events.Select(e => e.EventId));
        Assert.Equal(OrderStatus.Confirmed, second.Events[0].Entry.To);
        await log.CommitAsync("relay", second.Checkpoint);

        Assert.Empty((await log.ReadAsync("relay", 10)).Events);
        Assert.Equal(3, (await log.ReadAsync("projector", 10)).Events.Count);
    }

    [Fact]
    public async Task AnUncommittedRead_IsDeliveredAgain()
    {
        var (store, log) = CreateStore();
        await store.SaveAsync(NewOrder());

        var once = await log.ReadAsync("relay", 10);
        var again = await log.ReadAsync("relay", 10);

        Assert.Equal(once.Events.Select(e => e.EventId), again.Events.Select(e => e.EventId));
        Assert.Equal(once.Events[0].Entry.Hash, again.Events[0].Entry.Hash);
    }

    [Fact]
    public async Task ACheckpoint_NeverMovesBackwards()
    {
        var (store, log) = CreateStore();
        await store.SaveAsync(NewOrder("ord-a"));
        var early = await log.ReadAsync("relay", 10);
        await store.SaveAsync(NewOrder("ord-b"));
        var late = await log.ReadAsync("relay", 10);

        await log.CommitAsync("relay", late.Checkpoint);
        await log.CommitAsync("relay", early.Checkpoint);

        Assert.Empty((await log.ReadAsync("relay", 10)).Events);
    }

    [Fact]
    public async Task FindByStatus_ReturnsTheOldestFirst_AndAtMostTheLimit()
    {
        var (store, _) = CreateStore();
        foreach (var id in new[] { "ord-c", "ord-a", "ord-b" }) await store.SaveAsync(NewOrder(id));
        var cancelled = (await store.LoadAsync(OrderId.From("ord-b")))!;
        cancelled.Cancel("test", Context(T0.AddMinutes(5)));
        await store.SaveAsync(cancelled);

        var created = await store.FindByStatusAsync([OrderStatus.Created], 10);
        Assert.Equal(["ord-a", "ord-c"], created.Select(o => o.OrderId.Value));
        Assert.All(created, o => Assert.Equal(T0.AddMinutes(30), o.PaymentDueBy));
        Assert.Single(await store.FindByStatusAsync([OrderStatus.Created], 1));
        var both = await store.FindByStatusAsync([OrderStatus.Created, OrderStatus.Cancelled], 10);
        Assert.Equal(3, both.Count);
        Assert.Equal(T0.AddMinutes(5), both.Single(o => o.OrderId.Value == "ord-b").UpdatedAt);
    }

    [Fact]
    public async Task PurgingIdempotencyRecords_RemovesOnlyExpiredOnes()
    {
        var (store, _) = CreateStore();
        var order = NewOrder();
        await store.SaveAsync(order, new IdempotencyRecord(order.Id, "old", "h", "{}", T0, T0.AddHours(1)));
        var loaded = (await store.LoadAsync(order.Id))!;
        await store.SaveAsync(loaded, new IdempotencyRecord(order.Id, "new", "h", "{}", T0, T0.AddHours(48)));

        Assert.Equal(1, await store.PurgeExpiredIdempotencyRecordsAsync(T0.AddHours(24), 100));

        Assert.Null(await store.FindIdempotencyRecordAsync(order.Id, "old"));
        Assert.NotNull(await store.FindIdempotencyRecordAsync(order.Id, "new"));
    }
}
