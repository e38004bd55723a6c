using Orders.Application.Access;
using Orders.Application.Imports;
using Orders.Application.Jobs;
using Orders.Application.ReadModels;
using Orders.Application.UseCases;
using Orders.Application.UseCases.Commands;
using Orders.Contracts.Imports;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;
using Orders.Infrastructure.ReadModels;
using Orders.LegacyFiles;

namespace Orders.Application.Tests.Imports;

/// <summary>After the import an order is an order: projected into the read models, closed by the jobs, refunded by the rules.</summary>
public sealed class ImportedOrdersBehaveLikeNativeOnesTests : IDisposable
{
    private readonly ImportRig _rig = new(seed: 11);

    private async Task<(LegacyOrderV1 Legacy, OrderId Id)> ImportAsync(string id, string shape, DateTimeOffset createdAt)
    {
        var legacy = _rig.Generator.Order(id, shape, createdAt);
        var result = await _rig.LineAsync(LegacyFileGenerator.Serialize(legacy));
        Assert.True(result.Outcome == ImportOutcomes.Imported, $"{result.Reason}: {result.Detail}");
        return (legacy, OrderId.From(result.OrderId!));
    }

    private static DateTimeOffset DeliveredAt(LegacyOrderV1 legacy) => legacy.History.Single(f => f.Event == LegacyOrderFormat.Events.Delivered).At;

    [Fact]
    public async Task TheReadModelsShowAnImportedOrder_WithItsWholeHistory()
    {
        var (legacy, id) = await ImportAsync("rm-1", "CLOSED-AFTER-PARTIAL", ImportRig.Now.AddDays(-200));
        var views = new InMemoryReadModelStore();

        await new OrderProjector(_rig.Store, views).RunOnceAsync(1000, ImportRig.Now);

        var detail = (await views.GetOrderDetailAsync(id))!;
        Assert.Equal(OrderStatus.Closed, detail.Status);
        Assert.Equal(legacy.History.Count, detail.History.Count);
        Assert.True(detail.HistoryIntact);
        Assert.Equal(legacy.History.Select(f => f.At), detail.History.Select(h => h.At));
        Assert.Equal(legacy.Totals.Total.Minor - legacy.Refunds.Sum(r => r.Amount.Minor), detail.Pricing.Total.Minor - detail.AmountRefunded.Minor);
        var buyerList = await views.ListBuyerOrdersAsync(BuyerId.From(legacy.BuyerId), null, 10, null);
        Assert.Equal([id], buyerList.Items.Select(i => i.OrderId));
        Assert.Equal(legacy.History[^1].At, buyerList.Items[0].UpdatedAt);
    }

    [Fact]
    public async Task AnImportedDeliveredOrderPastItsReturnWindow_IsClosedByAutoClose_AndOneInsideItIsNot()
    {
        var (oldLegacy, old) = await ImportAsync("ac-old", "DELIVERED-PAST", ImportRig.Now.AddDays(-120));
        var (_, recent) = await ImportAsync("ac-new", "DELIVERED-PAST", ImportRig.Now.AddDays(-4));
        var job = new CloseDeliveredOrders(_rig.Store, new CloseOrder(new OrderCommandRunner(_rig.Store, new CommandOptions())), new Orders.Infrastructure.Jobs.InMemoryStuckOrderLog(), new FixedClock(ImportRig.Now), new JobOptions(), Microsoft.Extensions.Logging.Abstractions.NullLogger<CloseDeliveredOrders>.Instance);

        var report = await job.RunOnceAsync();

        Assert.Equal([old], report.Closed);
        var closed = (await _rig.Store.LoadAsync(old))!;
        Assert.Equal(OrderStatus.Closed, closed.Status);
        Assert.Equal(oldLegacy.History.Count + 1, closed.Version);
        Assert.False(ImportOrigin.IsImported(closed.History[^1])); // a native fact, chained onto the imported ones
        Assert.True(closed.VerifyHistory().IsIntact);
        Assert.Equal(OrderStatus.Delivered, (await _rig.Store.LoadAsync(recent))!.Status);
    }

    [Fact]
    public async Task AnImportedDeliveredOrder_IsRefundedWithinItsWindow_ByTheNativeCommands()
    {
        var (legacy, id) = await ImportAsync("rf-1", "DELIVERED-PAST", ImportRig.Now.AddDays(-5));
        var runner = new OrderCommandRunner(_rig.Store, new CommandOptions());
        var at = DeliveredAt(legacy).AddDays(1);
        var buyer = new RequestContext(Caller.Buyer(legacy.BuyerId), at, "r-1");
        var total = Money.Of(legacy.Totals.Total.Minor, Currency.Of(legacy.Totals.Total.Currency));

        var requested = await new InitiateRefund(runner).ExecuteAsync(new InitiateRefundCommand(id, "refund-new", total, "changed my mind"), buyer);
        var completed = await new RecordRefund(runner).ExecuteAsync(new RecordRefundCommand(id, "refund-new"), new RequestContext(Caller.System("payments"), at.AddHours(1), "p-1"));

        Assert.True(requested.IsSuccess, requested.Rejection?.ToString());
        Assert.True(completed.IsSuccess, completed.Rejection?.ToString());
        Assert.Equal(OrderStatus.Refunded, (await _rig.Store.LoadAsync(id))!.Status);
    }

    [Fact]
    public async Task AnImportedOrder_RefusesARefundBeyondWhatWasPaidOrAfterItsWindow()
    {
        var (legacy, id) = await ImportAsync("rf-2", "DELIVERED-PAST", ImportRig.Now.AddDays(-200));
        var refund = new InitiateRefund(new OrderCommandRunner(_rig.Store, new CommandOptions()));
        var total = Money.Of(legacy.Totals.Total.Minor, Currency.Of(legacy.Totals.Total.Currency));
        var inWindow = new RequestContext(Caller.Buyer(legacy.BuyerId), DeliveredAt(legacy).AddDays(1), "r-2");
        var late = new RequestContext(Caller.Buyer(legacy.BuyerId), ImportRig.Now, "r-3");

        var tooMuch = await refund.ExecuteAsync(new InitiateRefundCommand(id, "rf-a", total + Money.Of(1, total.Currency), "more"), inWindow);
        var afterWindow = await refund.ExecuteAsync(new InitiateRefundCommand(id, "rf-b", total, "late"), late);

        Assert.Equal("order.refund-exceeds-paid", tooMuch.Rejection?.Code);
        Assert.Equal("order.return-window-closed", afterWindow.Rejection?.Code);
        Assert.Equal(legacy.History.Count, (await _rig.Store.LoadAsync(id))!.Version);
    }

    [Fact]
    public async Task AnImportedPartiallyRefundedOrder_CannotBeRefundedPastWhatRemains()
    {
        var (legacy, id) = await ImportAsync("rf-3", "CLOSED-AFTER-PARTIAL", ImportRig.Now.AddDays(-5));
        var order = (await _rig.Store.LoadAsync(id))!;
        Assert.Equal(OrderStatus.Closed, order.Status);

        var refund = await new InitiateRefund(new OrderCommandRunner(_rig.Store, new CommandOptions())).ExecuteAsync(
            new InitiateRefundCommand(id, "rf-c", Money.Of(1, order.Currency), "again"), new RequestContext(Caller.Buyer(legacy.BuyerId), DeliveredAt(legacy).AddDays(1), "r-4"));

        Assert.Equal("order.not-refundable", refund.Rejection?.Code);
    }

    public void Dispose() => _rig.Dispose();

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
