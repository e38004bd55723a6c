using System.Globalization;
using Orders.Application.Integration;
using Orders.Application.Jobs;
using Orders.Domain.ValueObjects;
using Orders.Jobs.Tests.Support;

namespace Orders.Jobs.Tests;

public sealed class DetectStuckOrdersTests
{
    [Fact]
    public async Task APaidOrderIsFlaggedOnlyOnceItOutwaitsItsServiceLevel()
    {
        var h = new JobsHarness();
        var id = await h.PaidAsync("o1");
        var paidAt = h.Now;
        h.Sagas.Fulfillment(id, "Running", "creating-shipment");
        var job = h.DetectStuck();

        h.Advance(TimeSpan.FromHours(48));
        Assert.Empty((await job.RunOnceAsync()).Flagged);

        h.Advance(TimeSpan.FromSeconds(1));
        var report = await job.RunOnceAsync();

        var flagged = Assert.Single(report.Flagged);
        Assert.Equal(new StuckOrder(id, OrderStatus.Paid, paidAt, StuckReasons.ServiceLevelExceeded,
            "PAID for longer than its service level of 2d", h.Now), flagged);
        Assert.Equal(flagged, await h.StuckLog.GetAsync(id));
    }

    [Fact]
    public async Task ADeliveredOrderHasItsReturnWindowPlusADay()
    {
        var h = new JobsHarness();
        var id = await h.ShippedAsync("o1");
        await h.DeliverAsync(id);
        var job = h.DetectStuck();

        h.Advance(TimeSpan.FromDays(15));
        Assert.Null(await FlagOf(h, job, id));

        h.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(StuckReasons.ServiceLevelExceeded, (await FlagOf(h, job, id))?.Reason);
    }

    [Fact]
    public async Task AFailedSagaIsFlaggedAtOnce()
    {
        var h = new JobsHarness();
        var id = await h.CreatedAsync("o1");
        h.Sagas.Checkout(id, "Failed", "reserving-stock");

        var report = await h.DetectStuck().RunOnceAsync();

        var flagged = Assert.Single(report.Flagged);
        Assert.Equal(StuckReasons.SagaFailed, flagged.Reason);
        Assert.Equal($"checkout-{id.Value} is Failed at step reserving-stock", flagged.Detail);
    }

    [Fact]
    public async Task AMissingSagaIsFlaggedOnceTheSystemHadTimeToStartIt()
    {
        var h = new JobsHarness();
        var id = await h.ConfirmedAsync("o1", OrderType.CashOnDelivery); // waits for fulfillment, which nobody started
        h.Sagas.Checkout(id, "Completed", "confirmed");
        var job = h.DetectStuck();

        h.Advance(TimeSpan.FromSeconds(30));
        Assert.Empty((await job.RunOnceAsync()).Flagged);

        h.Advance(TimeSpan.FromSeconds(30));
        var flagged = Assert.Single((await job.RunOnceAsync()).Flagged);
        Assert.Equal(StuckReasons.SagaMissing, flagged.Reason);
        Assert.Equal($"fulfillment-{id.Value} was never started", flagged.Detail);
    }

    [Fact]
    public async Task ASagaThatEndedWithoutMovingTheOrderIsFlagged()
    {
        var h = new JobsHarness();
        var id = await h.ShippedAsync("o1");
        h.Sagas.Fulfillment(id, "Completed", "escalated");

        var flagged = Assert.Single((await h.DetectStuck().RunOnceAsync()).Flagged);

        Assert.Equal(StuckReasons.SagaEnded, flagged.Reason);
    }

    /// <summary>
    /// A PAID order with a refund pending waits on two sagas: the refund's, and the fulfillment that holds the parcel
    /// meanwhile (decision 0036; one that is gone, a crash of the local host losing its sagas, would leave a parcel
    /// prepared for an order about to be refunded in full). Either one missing is flagged while the other runs.
    /// </summary>
    [Theory]
    [InlineData(SagaNames.Fulfillment, "refund-{0}|r1 was never started")]
    [InlineData(SagaNames.Refund, "fulfillment-{0} was never started")]
    public async Task APaidOrderWithARefundPending_IsFlagged_WhenEitherOfItsTwoSagasIsMissing(string running, string missing)
    {
        var h = new JobsHarness();
        var id = await h.PaidAsync("o1");
        await h.RequestRefundAsync(id, "r1", 3000);
        if (running == SagaNames.Fulfillment) h.Sagas.Fulfillment(id, "Running", "held-for-refund");
        else h.Sagas.Refund(id, "r1", "Running");
        h.Advance(TimeSpan.FromMinutes(5));

        var flagged = Assert.Single((await h.DetectStuck().RunOnceAsync()).Flagged);

        Assert.Equal(StuckReasons.SagaMissing, flagged.Reason);
        Assert.Equal(string.Format(CultureInfo.InvariantCulture, missing, id.Value), flagged.Detail);
    }

    [Fact]
    public async Task ACancelledOrderWhoseRefundSagaFailed_IsFlagged_ThoughTheWalksVisitOnlyUnfinishedOrders()
    {
        var h = new JobsHarness();
        var (owing, refund) = await h.CancelledOwingARefundAsync("owing", "pay-late-1");
        h.Sagas.Refund(owing, refund, "Failed", "reverse-payment");
        var (refunding, running) = await h.CancelledOwingARefundAsync("refunding", "pay-late-2");
        h.Sagas.Refund(refunding, running, "Running"); // its refund saga still runs: not stuck
        var job = h.DetectStuck();

        var first = await job.RunOnceAsync();
        var second = await job.RunOnceAsync();

        var flagged = Assert.Single(first.Flagged);
        Assert.Equal((owing, OrderStatus.Cancelled, StuckReasons.SagaFailed), (flagged.OrderId, flagged.Status, flagged.Reason));
        Assert.Empty(second.Flagged);
        Assert.Equal([owing], second.StillStuck.Select(s => s.OrderId)); // re-checked by the flagged walk, not announced again
        // One that failed before the lookback is not asked for (it was flagged then, and flags persist).
        var fresh = new JobsHarness();
        var (old, oldRefund) = await fresh.CancelledOwingARefundAsync("old", "pay-late-3");
        fresh.Sagas.Refund(old, oldRefund, "Failed");
        fresh.Advance(TimeSpan.FromDays(31));
        Assert.Empty((await fresh.DetectStuck().RunOnceAsync()).Flagged);
    }

    [Fact]
    public async Task ACancelledOrderWhoseRefundSagaGaveUp_IsFlagged()
    {
        // Payments refused the reversal (or never answered): the refund saga escalates and completes, the refund stays
        // pending, and the buyer's money is owed. The walks do not visit cancelled orders; the engine is asked.
        var h = new JobsHarness();
        var (owing, refund) = await h.CancelledOwingARefundAsync("owing", "pay-late-1");
        h.Sagas.RefundGaveUp(owing, refund, "reversing-payment");
        var (returned, done) = await h.CancelledOwingARefundAsync("returned", "pay-late-2");
        h.Sagas.Refund(returned, done, "Completed", "returned"); // completed without giving up: not asked for

        var report = await h.DetectStuck().RunOnceAsync();

        var flagged = Assert.Single(report.Flagged);
        Assert.Equal((owing, OrderStatus.Cancelled, StuckReasons.SagaEnded), (flagged.OrderId, flagged.Status, flagged.Reason));
        Assert.Contains($"{SagaNames.RefundId(owing, refund)} completed", flagged.Detail, StringComparison.Ordinal);

        // A week later the finished instance is purged: still flagged (money owed), and the detail does not claim the
        // saga never ran.
        h.Sagas.Purge(SagaNames.RefundId(owing, refund));
        h.Advance(TimeSpan.FromDays(8));
        var later = await h.DetectStuck().RunOnceAsync();

        var still = Assert.Single(later.Flagged.Concat(later.StillStuck));
        Assert.Equal((owing, StuckReasons.SagaMissing), (still.OrderId, still.Reason));
        Assert.Equal($"{SagaNames.RefundId(owing, refund)} is not on the engine: never started, or finished and purged after its retention", still.Detail);
    }

    [Fact]
    public async Task FlaggingTwiceKeepsOneEntry_AndAnnouncesItOnce()
    {
        var h = new JobsHarness();
        var id = await h.CreatedAsync("o1");
        h.Sagas.Checkout(id, "Terminated");
        var job = h.DetectStuck();
        var first = await job.RunOnceAsync();
        var firstDetected = h.Now;

        h.Advance(TimeSpan.FromMinutes(15));
        var second = await job.RunOnceAsync();

        Assert.Single(first.Flagged);
        Assert.Empty(second.Flagged);
        var still = Assert.Single(second.StillStuck);
        Assert.Equal(firstDetected, still.DetectedAt);
        Assert.Equal([still], await h.StuckLog.ListAsync(10));
        Assert.Single(h.Logs.Named("OrderStuck"));
    }

    [Fact]
    public async Task ANewReasonIsAnnouncedAgain()
    {
        var h = new JobsHarness();
        var id = await h.PaidAsync("o1");
        h.Sagas.Fulfillment(id, "Running");
        var job = h.DetectStuck();
        h.Advance(TimeSpan.FromDays(3));
        await job.RunOnceAsync();

        h.Sagas.Fulfillment(id, "Failed", "dispatching");
        var report = await job.RunOnceAsync();

        Assert.Equal(StuckReasons.SagaFailed, Assert.Single(report.Flagged).Reason);
        Assert.Equal([StuckReasons.ServiceLevelExceeded, StuckReasons.SagaFailed], h.Logs.Named("OrderStuck").Select(e => e.Property("Reason")));
    }

    [Fact]
    public async Task AnOrderThatMovedOnIsUnflagged()
    {
        var h = new JobsHarness();
        var id = await h.PaidAsync("o1");
        h.Sagas.Fulfillment(id, "Running");
        var job = h.DetectStuck();
        h.Advance(TimeSpan.FromDays(3));
        Assert.Single((await job.RunOnceAsync()).Flagged);

        await h.ShipAsync(id);
        var report = await job.RunOnceAsync();

        Assert.Equal([id], report.Unflagged);
        Assert.Null(await h.StuckLog.GetAsync(id));
        Assert.Equal(id.Value, Assert.Single(h.Logs.Named("OrderUnstuck")).Property("OrderId"));
    }

    [Fact]
    public async Task AFlaggedOrderThatEndsIsUnflagged()
    {
        var h = new JobsHarness();
        var id = await h.CreatedAsync("o1");
        h.Sagas.Checkout(id, "Failed");
        var job = h.DetectStuck();
        await job.RunOnceAsync();

        await h.CancelAsync(id);
        var report = await job.RunOnceAsync();

        Assert.Equal([id], report.Unflagged);
        Assert.Empty(await h.StuckLog.ListAsync(10));
    }

    [Fact]
    public async Task ItNeverChangesAnOrder()
    {
        var h = new JobsHarness();
        var ids = new[]
        {
            await h.CreatedAsync("o1"), await h.ConfirmedAsync("o2"), await h.PaidAsync("o3"),
            await h.ShippedAsync("o4"), await h.ConfirmedAsync("o5", OrderType.CashOnDelivery),
        };
        h.Sagas.Checkout(ids[0], "Failed");
        h.Advance(TimeSpan.FromDays(30));
        var versions = await Task.WhenAll(ids.Select(async id => (await h.LoadAsync(id)).Version));
        var events = await h.EventCountAsync();

        var report = await h.DetectStuck().RunOnceAsync();

        Assert.Equal(5, report.Flagged.Count);
        Assert.Equal(versions, await Task.WhenAll(ids.Select(async id => (await h.LoadAsync(id)).Version)));
        Assert.Equal(events, await h.EventCountAsync());
    }

    [Fact]
    public async Task LogsOrderStuckWithTheProperties_AlertsQueryOn()
    {
        var h = new JobsHarness();
        var id = await h.CreatedAsync("o1");
        h.Sagas.Checkout(id, "Failed");

        await h.DetectStuck().RunOnceAsync();

        var logged = Assert.Single(h.Logs.Named("OrderStuck"));
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, logged.Level);
        Assert.Equal(id.Value, logged.Property("OrderId"));
        Assert.Equal("CREATED", logged.Property("Status"));
        Assert.Equal(StuckReasons.SagaFailed, logged.Property("Reason"));
    }

    [Fact]
    public async Task TerminalOrdersAreNeverFlagged()
    {
        var h = new JobsHarness();
        var id = await h.CreatedAsync("o1");
        await h.CancelAsync(id);
        h.Advance(TimeSpan.FromDays(365));

        var report = await h.DetectStuck().RunOnceAsync();

        Assert.Equal(0, report.Checked);
        Assert.Empty(await h.StuckLog.ListAsync(10));
    }

    [Fact]
    public async Task IsBoundedByTheBatchSize_AndReachesEveryOrderOverRuns()
    {
        var h = new JobsHarness();
        var ids = new List<OrderId>();
        for (var i = 1; i <= 5; i++)
        {
            ids.Add(await h.PaidAsync($"o{i}"));
            h.Sagas.Fulfillment(ids[^1], "Running");
            h.Advance(TimeSpan.FromSeconds(1));
        }
        h.Advance(TimeSpan.FromDays(3));
        var job = h.DetectStuck(new JobOptions { BatchSize = 2 });

        var runs = new List<StuckOrdersReport>();
        for (var i = 0; i < 3; i++) runs.Add(await job.RunOnceAsync());

        Assert.Equal([2, 2, 1], runs.Select(r => r.Flagged.Count));
        Assert.All(runs, r => Assert.True(r.Checked <= 4)); // at most a batch re-checked and a batch scanned
        Assert.True(runs[0].MoreRemaining);
        Assert.Equal(ids.Select(i => i.Value).Order(StringComparer.Ordinal),
            (await h.StuckLog.ListAsync(10)).Select(s => s.OrderId.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task EveryFlaggedOrderIsRecheckedInTime_EvenBeyondOneBatch()
    {
        var h = new JobsHarness();
        var ids = new List<OrderId>();
        for (var i = 1; i <= 3; i++)
        {
            ids.Add(await h.CreatedAsync($"o{i}"));
            h.Sagas.Checkout(ids[^1], "Failed");
        }
        await h.DetectStuck().RunOnceAsync();
        Assert.Equal(3, (await h.StuckLog.ListAsync(10)).Count);
        foreach (var id in ids) await h.CancelAsync(id); // ended: the scan of non-terminal orders no longer sees them
        var job = h.DetectStuck(new JobOptions { BatchSize = 1 });

        var unflagged = new List<OrderId>();
        for (var i = 0; i < 3; i++) unflagged.AddRange((await job.RunOnceAsync()).Unflagged);

        Assert.Equal(ids.Select(i => i.Value).Order(StringComparer.Ordinal), unflagged.Select(i => i.Value).Order(StringComparer.Ordinal));
        Assert.Empty(await h.StuckLog.ListAsync(10));
    }

    [Fact]
    public async Task TheFlaggedWalk_RechecksInListOrder_PassingOverNone_WhileFlagsClearUnderIt()
    {
        var h = new JobsHarness();
        var ids = new List<OrderId>();
        for (var i = 1; i <= 6; i++)
        {
            ids.Add(await h.CreatedAsync($"o{i}"));
            h.Sagas.Checkout(ids[^1], "Failed");
        }
        await h.DetectStuck().RunOnceAsync();
        var listed = (await h.StuckLog.ListAsync(10)).Select(e => e.OrderId).ToArray(); // flagged at one instant: by order id
        foreach (var id in ids) await h.CancelAsync(id);
        var job = h.DetectStuck(new JobOptions { BatchSize = 2 });

        var unflagged = new List<OrderId>();
        for (var i = 0; i < 3; i++) unflagged.AddRange((await job.RunOnceAsync()).Unflagged);

        // A walk by position took the 1st, 2nd, 5th and 6th, then the 3rd and 4th on the next cycle.
        Assert.Equal(listed, unflagged);
    }

    private static async Task<StuckOrder?> FlagOf(JobsHarness h, DetectStuckOrders job, OrderId id)
    {
        await job.RunOnceAsync();
        return await h.StuckLog.GetAsync(id);
    }
}
