using Orders.Application.Ports.Outbound;
using Orders.Application.ReadModels;
using Orders.Domain.ValueObjects;
using Orders.ReadModels.Tests.Support;

namespace Orders.ReadModels.Tests;

public abstract partial class ReadModelTests
{
    private static readonly DateTimeOffset SnapshotTime = T0.AddDays(3);

    /// <summary>A mixed history: every kind of entry, several buyers, sellers and currencies, interleaved in the log.</summary>
    private async Task BusyDayAsync()
    {
        await Shop.CreateAsync("o1", T0);
        await Shop.CreateAsync("o2", T0.AddMinutes(1), type: OrderType.CashOnDelivery, sellers: [Shop.SellerB]);
        await Shop.ConfirmAsync("o1", T0.AddMinutes(2));
        await Shop.CreateAsync("o3", T0.AddMinutes(3), buyer: Shop.OtherBuyer, currency: Currency.EUR);
        await Shop.ConfirmAsync("o2", T0.AddMinutes(4));
        await Shop.PayAsync("o1", T0.AddMinutes(5));
        await Shop.CreateAsync("cart", T0.AddMinutes(6), sellers: [Shop.SellerA, Shop.SellerB]);
        await Shop.ChangeAddressAsync("o2", T0.AddMinutes(7));
        await Shop.SplitAsync("cart", T0.AddMinutes(8));
        await Shop.ShipAsync("o1", T0.AddHours(3));
        await Shop.ConfirmAsync("cart-s1", T0.AddHours(4));
        await Shop.CancelAsync("o3", T0.AddHours(5));
        await Shop.PayAsync("cart-s1", T0.AddHours(6));
        await Shop.DeliverAsync("o1", T0.AddDays(1));
    }

    private Task<string> SnapshotAsync(IReadModelQueries queries) =>
        ViewSnapshot.TakeAsync(queries,
            [Id("o1"), Id("o2"), Id("o3"), Id("cart"), Id("cart-s1"), Id("cart-s2")],
            [Shop.Buyer, Shop.OtherBuyer],
            [Shop.SellerA, Shop.SellerB],
            SnapshotTime);

    [Fact]
    public async Task TheProjector_ReadsInBatches_AndReportsZeroOnceCaughtUp()
    {
        await Shop.PaidAsync("o1", T0);
        await Shop.CreateAsync("o2", T0);
        var projector = new OrderProjector(Shop.Log, CreateStore());

        Assert.Equal(3, await projector.RunOnceAsync(3, T0));
        Assert.Equal(1, await projector.RunOnceAsync(3, T0));
        Assert.Equal(0, await projector.RunOnceAsync(3, T0));
        Assert.Equal(OrderProjector.DefaultConsumer, projector.Consumer);
    }

    [Fact]
    public async Task ABatchSizeBelowOne_IsRefused()
    {
        var projector = new OrderProjector(Shop.Log, CreateStore());

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => projector.RunOnceAsync(0, T0));
    }

    [Fact]
    public async Task ReplayingTheWholeLogIntoTheSameViews_ChangesNothing()
    {
        await BusyDayAsync();
        var store = CreateStore();
        await ProjectAsync(store);
        var once = await SnapshotAsync(Queries(store));

        // A new consumer name starts from checkpoint zero: every event is delivered again.
        await ProjectAsync(store, batch: 4, consumer: "read-models-replay");
        var twice = await SnapshotAsync(Queries(store));

        Assert.Equal(once, twice);
    }

    [Fact]
    public async Task AReplayedEvent_WritesNothing()
    {
        await Shop.PaidAsync("o1", T0, sellers: [Shop.SellerA, Shop.SellerB]);
        var store = CreateStore();
        await ProjectAsync(store);
        var counting = new CountingReadModelStore(store);

        await ProjectAsync(counting, consumer: "again");

        Assert.Equal(0, counting.Written);
        Assert.True(counting.Attempted > 0);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(1000)]
    public async Task FreshViewsFedTheSameLog_AreIdentical_WhateverTheBatchSize(int batch)
    {
        await BusyDayAsync();
        var reference = await SnapshotAsync(await ProjectAsync(batch: 100));

        var store = CreateStore();
        var projector = new OrderProjector(Shop.Log, store, $"fresh-{batch}");
        var now = T0;
        while (await projector.RunOnceAsync(batch, now) > 0) now = now.AddDays(1); // the clock does not enter the views

        Assert.Equal(reference, await SnapshotAsync(Queries(store)));
    }

    [Fact]
    public async Task TheCheckpoint_IsCommittedOnlyOnceTheWholeBatchIsApplied()
    {
        await Shop.PaidAsync("o1", T0);
        await Shop.PaidAsync("o2", T0);
        var crashing = new CrashingReadModelStore(CreateStore(), crashOnWrite: 4); // o2's first write (three per order and batch)
        var projector = new OrderProjector(Shop.Log, crashing);

        await Assert.ThrowsAsync<SimulatedCrashException>(() => projector.RunOnceAsync(100, T0));

        var unread = await Shop.Log.ReadAsync(OrderProjector.DefaultConsumer, 100);
        Assert.Equal(6, unread.Events.Count);
        Assert.Equal(new StoredEvent(Id("o1"), (await Shop.LoadAsync("o1")).History[0]).EventId, unread.Events[0].EventId);
    }

    [Fact]
    public async Task ABatch_IsFoldedPerOrder_EachViewWrittenOncePerOrder_AndTheViewsAreThoseOfOneEventAtATime()
    {
        await BusyDayAsync();
        var reference = await SnapshotAsync(await ProjectAsync(batch: 1));
        await Shop.PaidAsync("o-batch-1", T0);
        await Shop.PaidAsync("o-batch-2", T0);
        var oneAtATime = await SnapshotAsync(await ProjectAsync(batch: 1));
        Assert.NotEqual(reference, oneAtATime); // the two new orders are in

        var store = CreateStore();
        await ProjectAsync(store, batch: 1_000);
        var counting = new CountingReadModelStore(CreateStore());
        var log = new ScriptedChangeLog([.. (await Shop.Log.ReadAsync("never-committed", 1_000)).Events
            .Where(e => e.OrderId == Id("o-batch-1") || e.OrderId == Id("o-batch-2"))]);
        Assert.Equal(6, await new OrderProjector(log, counting).RunOnceAsync(100, T0)); // created, confirmed, paid × 2

        Assert.Equal(oneAtATime, await SnapshotAsync(Queries(store)));
        Assert.Equal(2 * 3, counting.Attempted); // detail, buyer item, one seller record per order (was 3 per event: 18)
        Assert.Equal(2 * 3, counting.Written);
    }

    [Fact]
    public async Task AProjectorThatCrashesAtAnyWrite_ConvergesWhenItRunsAgain()
    {
        await BusyDayAsync();
        var reference = await SnapshotAsync(await ProjectAsync());
        var writes = new CountingReadModelStore(CreateStore());
        await ProjectAsync(writes);

        for (var crashAt = 1; crashAt <= writes.Attempted; crashAt++)
        {
            var store = CreateStore();
            var crashing = new CrashingReadModelStore(store, crashAt);
            var projector = new OrderProjector(Shop.Log, crashing, $"crash-{crashAt}");
            await Assert.ThrowsAsync<SimulatedCrashException>(async () => { while (await projector.RunOnceAsync(5, T0) > 0) { } });

            crashing.Armed = false; // the process restarts: same views, same checkpoint
            while (await projector.RunOnceAsync(5, T0) > 0) { }

            Assert.True(crashing.Crashed);
            Assert.Equal(reference, await SnapshotAsync(Queries(store)));
        }
    }

    [Fact]
    public async Task AnEntryAfterAGap_StopsTheBatch_WithoutCommittingIt()
    {
        var order = await Shop.PaidAsync("o1", T0);
        var log = new ScriptedChangeLog([new StoredEvent(order.Id, order.History[0]), new StoredEvent(order.Id, order.History[2])]);
        var store = CreateStore();
        var projector = new OrderProjector(log, store);

        var gap = await Assert.ThrowsAsync<ChangeLogGapException>(() => projector.RunOnceAsync(10, T0));

        Assert.Equal(order.Id, gap.OrderId);
        Assert.Equal(1, gap.AppliedSequence);
        Assert.Equal(3, gap.DeliveredSequence);
        Assert.Contains("o1", gap.Message, StringComparison.Ordinal);
        Assert.Equal(0, log.Commits);
        Assert.Equal(1, (await store.GetDetailAsync(order.Id))?.Sequence); // nothing past the gap
        await Assert.ThrowsAsync<ChangeLogGapException>(() => projector.RunOnceAsync(10, T0)); // and it stays visible
    }

    [Fact]
    public async Task AFirstSightingThatIsNotTheOrdersCreation_IsAGap()
    {
        var order = await Shop.PaidAsync("o1", T0);
        var log = new ScriptedChangeLog([new StoredEvent(order.Id, order.History[1])]);

        var gap = await Assert.ThrowsAsync<ChangeLogGapException>(() => new OrderProjector(log, CreateStore()).RunOnceAsync(10, T0));

        Assert.Equal((0L, 2L), (gap.AppliedSequence, gap.DeliveredSequence));
    }

    [Fact]
    public async Task AnOlderEntryDeliveredAfterANewerOne_IsSkipped()
    {
        var order = await Shop.PaidAsync("o1", T0);
        var events = order.History.Select(h => new StoredEvent(order.Id, h)).ToArray();
        var log = new ScriptedChangeLog([.. events, events[0], events[1]]);
        var store = CreateStore();

        await new OrderProjector(log, store).RunOnceAsync(10, T0);

        Assert.Equal(OrderStatus.Paid, (await Queries(store).GetOrderDetailAsync(order.Id))?.Status);
        Assert.Equal(3, (await store.GetBuyerItemAsync(Shop.Buyer, order.Id))?.Version);
        Assert.Equal(1, log.Commits);
        Assert.Equal(5, log.CheckpointOf(OrderProjector.DefaultConsumer));
    }

    [Fact]
    public async Task AStoredView_NeverMovesBackwards()
    {
        await Shop.CreateAsync("o1", T0);
        var store = CreateStore();
        await ProjectAsync(store);
        var created = (await store.GetBuyerItemAsync(Shop.Buyer, Id("o1")))!;
        var createdDetail = (await store.GetDetailAsync(Id("o1")))!;
        var createdSeller = (await store.GetSellerItemAsync(Shop.SellerA, Id("o1")))!;
        await Shop.ConfirmAsync("o1", T0.AddMinutes(1));
        await ProjectAsync(store);

        Assert.False(await store.PutBuyerItemAsync(created));
        Assert.False(await store.PutDetailAsync(createdDetail));
        Assert.False(await store.PutSellerItemAsync(createdSeller));
        Assert.Equal(2, (await store.GetBuyerItemAsync(Shop.Buyer, Id("o1")))?.Version);
        Assert.Equal(2, (await store.GetDetailAsync(Id("o1")))?.Sequence);
        Assert.Equal(2, (await store.GetSellerItemAsync(Shop.SellerA, Id("o1")))?.Sequence);
        Assert.Equal(OrderStatus.Confirmed, (await Queries(store).GetOrderDetailAsync(Id("o1")))?.Status);
    }

    [Fact]
    public async Task TheSellerRecord_KeepsTheSellersShareAndSinceWhenTheOrderIsReady()
    {
        await Shop.PaidAsync("o1", T0, sellers: [Shop.SellerA, Shop.SellerB]);
        var store = CreateStore();
        await ProjectAsync(store);

        var a = await store.GetSellerItemAsync(Shop.SellerA, Id("o1"));
        var b = await store.GetSellerItemAsync(Shop.SellerB, Id("o1"));

        Assert.NotNull(a);
        Assert.NotNull(b);
        Assert.Equal((Usd(1100), T0.AddMinutes(2)), (a.SellerValue, a.ReadySince));
        Assert.Equal((Usd(4400), T0.AddMinutes(2)), (b.SellerValue, b.ReadySince));
        Assert.Null(await store.GetSellerItemAsync(Shop.SellerC, Id("o1")));
        Assert.Null(await store.GetBuyerItemAsync(Shop.OtherBuyer, Id("o1")));
    }
}
