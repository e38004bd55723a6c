using Orders.Application.Integration;
using Orders.Application.Jobs;
using Orders.Application.Ports.Outbound;
using Orders.Domain.ValueObjects;
using Orders.Jobs.Tests.Support;

namespace Orders.Jobs.Tests;

public sealed class AutoCancelUnpaidOrdersTests
{
    private static readonly TimeSpan PaymentWindow = TimeSpan.FromMinutes(30); // NewOrder.DefaultPaymentWindow

    [Fact]
    public async Task CancelsExactlyTheOverdueUnpaidOrders()
    {
        var h = new JobsHarness();
        var created = await h.CreatedAsync("created");
        var createdCod = await h.CreatedAsync("created-cod", OrderType.CashOnDelivery);
        var confirmedPrepaid = await h.ConfirmedAsync("confirmed-prepaid");
        var confirmedCod = await h.ConfirmedAsync("confirmed-cod", OrderType.CashOnDelivery);
        var paid = await h.PaidAsync("paid");
        h.Advance(TimeSpan.FromMinutes(20));
        var notYetDue = await h.CreatedAsync("not-yet-due");
        h.Advance(TimeSpan.FromMinutes(11));

        var report = await h.AutoCancel().RunOnceAsync();

        Assert.Equal(new[] { created, createdCod, confirmedPrepaid }.OrderBy(i => i.Value, StringComparer.Ordinal),
            report.Cancelled.OrderBy(i => i.Value, StringComparer.Ordinal));
        Assert.Equal(OrderStatus.Cancelled, (await h.LoadAsync(created)).Status);
        Assert.Equal(OrderStatus.Cancelled, (await h.LoadAsync(createdCod)).Status);
        Assert.Equal(OrderStatus.Cancelled, (await h.LoadAsync(confirmedPrepaid)).Status);
        Assert.Equal(OrderStatus.Confirmed, (await h.LoadAsync(confirmedCod)).Status);
        Assert.Equal(OrderStatus.Paid, (await h.LoadAsync(paid)).Status);
        Assert.Equal(OrderStatus.Created, (await h.LoadAsync(notYetDue)).Status);
        Assert.Equal(1, report.SkippedCashOnDelivery);
        Assert.Empty(report.Refused);
        Assert.False(report.MoreRemaining);
    }

    [Fact]
    public async Task CancelsAsTheSystem_WithTheDeadlineAsReason_AndACausationIdPerOrder()
    {
        var h = new JobsHarness();
        var id = await h.CreatedAsync("o1");
        h.Advance(PaymentWindow + TimeSpan.FromSeconds(1));

        await h.AutoCancel().RunOnceAsync();

        var entry = (await h.LoadAsync(id)).History[^1];
        Assert.Equal(OrderStatus.Cancelled, entry.To);
        Assert.Equal(Actor.System("auto-cancel"), entry.Actor);
        Assert.Equal($"auto-cancel:{id.Value}", entry.CausationId);
        Assert.Equal("cancelled: payment not received by 2026-01-01T12:30:00.0000000+00:00", entry.Reason);
        Assert.Equal(h.Now, entry.At);
    }

    [Fact]
    public async Task LeavesAnOrderAloneUntilItsDeadlineHasPassed()
    {
        var h = new JobsHarness();
        var id = await h.CreatedAsync("o1");
        h.Advance(PaymentWindow);

        var atDeadline = await h.AutoCancel().RunOnceAsync();
        Assert.Empty(atDeadline.Cancelled);
        Assert.Equal(OrderStatus.Created, (await h.LoadAsync(id)).Status);

        h.Advance(TimeSpan.FromTicks(1));
        var after = await h.AutoCancel().RunOnceAsync();
        Assert.Equal([id], after.Cancelled);
    }

    [Fact]
    public async Task IsBoundedByTheBatchSize_OldestFirst()
    {
        var h = new JobsHarness();
        var ids = await h.CreatedInTurnAsync(5);
        h.Advance(PaymentWindow);
        var job = h.AutoCancel(new JobOptions { BatchSize = 2 });

        var first = await job.RunOnceAsync();
        var second = await job.RunOnceAsync();
        var third = await job.RunOnceAsync();

        Assert.Equal(ids[..2], first.Cancelled);
        Assert.True(first.MoreRemaining);
        Assert.Equal(ids[2..4], second.Cancelled);
        Assert.True(second.MoreRemaining);
        Assert.Equal(ids[4..], third.Cancelled);
        Assert.False(third.MoreRemaining);
    }

    [Fact]
    public async Task ASecondRunChangesNothing()
    {
        var h = new JobsHarness();
        await h.CreatedAsync("o1");
        await h.ConfirmedAsync("o2");
        await h.ConfirmedAsync("o3", OrderType.CashOnDelivery);
        h.Advance(PaymentWindow + TimeSpan.FromMinutes(1));
        var job = h.AutoCancel();
        var first = await job.RunOnceAsync();
        var events = await h.EventCountAsync();

        var second = await job.RunOnceAsync();

        Assert.Equal(2, first.Cancelled.Count);
        Assert.Empty(second.Cancelled);
        Assert.Empty(second.Refused);
        Assert.Equal(events, await h.EventCountAsync());
    }

    [Fact]
    public async Task ReplayingACancelOfTheSameOrderRecordsNothingNew()
    {
        // Two hosts (or a retried timer) may pick the same order from one stale scan: the second cancel is a replay.
        var h = new JobsHarness();
        var id = await h.CreatedAsync("o1");
        h.Advance(PaymentWindow + TimeSpan.FromMinutes(1));
        var stale = await h.Store.FindByStatusAsync([OrderStatus.Created], 10);
        await h.AutoCancel().RunOnceAsync();
        var versionAfterFirst = (await h.LoadAsync(id)).Version;

        var replay = await h.AutoCancel(store: new FixedSummaries(h.Store, stale)).RunOnceAsync();

        Assert.Equal([id], replay.Cancelled);
        Assert.Equal(versionAfterFirst, (await h.LoadAsync(id)).Version);
    }

    [Fact]
    public async Task AnOrderPaidSinceTheScan_IsReportedAsRefused_AndStaysPaid()
    {
        var h = new JobsHarness();
        var id = await h.ConfirmedAsync("o1");
        h.Advance(PaymentWindow + TimeSpan.FromMinutes(1));
        var stale = await h.Store.FindByStatusAsync([OrderStatus.Confirmed], 10);
        await h.PayAsync(id); // the capture arrives between the scan and the cancel

        var report = await h.AutoCancel(store: new FixedSummaries(h.Store, stale)).RunOnceAsync();

        Assert.Empty(report.Cancelled);
        var refused = Assert.Single(report.Refused);
        Assert.Equal(id, refused.OrderId);
        // The job cancels only the order as it scanned it: this one changed since (paid), so the version no longer matches.
        Assert.StartsWith("order.version-mismatch", refused.Detail, StringComparison.Ordinal);
        Assert.Equal(OrderStatus.Paid, (await h.LoadAsync(id)).Status);
        Assert.Single(h.Logs.Named("AutoCancelRefused"));
    }

    [Fact]
    public async Task AnOrderConfirmedSinceTheScan_IsNotCancelled_TheVersionNoLongerMatching()
    {
        // A CONFIRMED prepaid order past its deadline may be cancelled; this one was CREATED when scanned and the cancel
        // was decided on that. The job cancels only the order as it scanned it, and looks again next run.
        var h = new JobsHarness();
        var id = await h.CreatedAsync("o1");
        h.Advance(PaymentWindow + TimeSpan.FromMinutes(1));
        var stale = await h.Store.FindByStatusAsync([OrderStatus.Created], 10);
        await h.ConfirmAsync(id);

        var report = await h.AutoCancel(store: new FixedSummaries(h.Store, stale)).RunOnceAsync();

        Assert.Empty(report.Cancelled);
        Assert.StartsWith("order.version-mismatch", Assert.Single(report.Refused).Detail, StringComparison.Ordinal);
        Assert.Equal(OrderStatus.Confirmed, (await h.LoadAsync(id)).Status);
    }

    [Fact]
    public async Task OrdersLeftAloneBecausePaid_DoNotFillTheBatch()
    {
        var h = new JobsHarness();
        var paid1 = await h.CreatedAsync("o1");          // oldest first: the two paid ones come before the unpaid one
        h.Advance(TimeSpan.FromSeconds(1));
        var paid2 = await h.CreatedAsync("o2");
        h.Advance(TimeSpan.FromSeconds(1));
        var unpaid = await h.CreatedAsync("o3");
        foreach (var id in new[] { paid1, paid2 }) await h.CaptureArrivesAsync(id, "pay-" + id.Value);
        h.Advance(PaymentWindow + TimeSpan.FromMinutes(1));

        var report = await h.AutoCancel(new JobOptions { BatchSize = 1 }).RunOnceAsync();

        Assert.Equal([unpaid], report.Cancelled);
        Assert.Equal([paid1, paid2], report.PaidAwaitingConfirmation.Select(f => f.OrderId!));
        Assert.False(report.MoreRemaining);
    }

    [Fact]
    public async Task ACaptureKeptForAConfirmedOrder_ThatCouldNotBeRecorded_DoesNotHoldItsCancellation()
    {
        // Kept because it can never apply (the wrong amount: flagged for a person), not because it came early: the
        // order is cancelled as unpaid, and the cancellation returns the capture through the refund saga.
        var h = new JobsHarness();
        var id = await h.ConfirmedAsync("o1");
        var refused = await h.CaptureArrivesAsync(id); // 0.01 USD against a 30.00 order: it cannot be recorded
        h.Advance(PaymentWindow + TimeSpan.FromMinutes(1));

        var report = await h.AutoCancel().RunOnceAsync();

        Assert.Equal(InboundOutcome.Poison, refused.Outcome);
        Assert.Single(await h.Inbox.ParkedForAsync(id.Value));
        Assert.Equal([id], report.Cancelled);
        Assert.Empty(report.PaidAwaitingConfirmation);
    }

    [Fact]
    public async Task LogsEachCancellation()
    {
        var h = new JobsHarness();
        var id = await h.CreatedAsync("o1");
        h.Advance(PaymentWindow + TimeSpan.FromMinutes(1));

        await h.AutoCancel().RunOnceAsync();

        var logged = Assert.Single(h.Logs.Named("OrderAutoCancelled"));
        Assert.Equal(id.Value, logged.Property("OrderId"));
    }

    /// <summary>The store, except that the status scan answers what it answered earlier (a stale read).</summary>
    private sealed class FixedSummaries(IOrderStore inner, IReadOnlyList<OrderSummary> summaries) : IOrderStore
    {
        public Task<IReadOnlyList<OrderSummary>> FindByStatusAsync(IReadOnlyCollection<OrderStatus> statuses, int max, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<OrderSummary>>([.. summaries.Where(s => statuses.Contains(s.Status)).Take(max)]);

        public Task<Domain.OrderAggregate.Order?> LoadAsync(OrderId orderId, CancellationToken cancellationToken = default) => inner.LoadAsync(orderId, cancellationToken);

        public Task<SaveOutcome> SaveAsync(Domain.OrderAggregate.Order order, Application.Idempotency.IdempotencyRecord? idempotency = null, CancellationToken cancellationToken = default) =>
            inner.SaveAsync(order, idempotency, cancellationToken);

        public Task<Application.Idempotency.IdempotencyRecord?> FindIdempotencyRecordAsync(OrderId orderId, string recordId, CancellationToken cancellationToken = default) =>
            inner.FindIdempotencyRecordAsync(orderId, recordId, cancellationToken);

        public Task<int> PurgeExpiredIdempotencyRecordsAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default) =>
            inner.PurgeExpiredIdempotencyRecordsAsync(now, max, cancellationToken);
    }
}
