using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orders.Application.Access;
using Orders.Application.Jobs;
using Orders.Application.UseCases;
using Orders.Application.UseCases.Commands;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;
using Orders.Infrastructure.InMemory;
using Orders.Infrastructure.Jobs;

namespace Orders.Jobs.Tests;

public sealed class CloseDeliveredOrdersTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly InMemoryOrderStore _store = new();
    private readonly FakeTimeProvider _clock = new(T0);
    private readonly InMemoryStuckOrderLog _stuck = new();

    private CloseDeliveredOrders Job(int batch = 50) =>
        new(_store, new CloseOrder(new OrderCommandRunner(_store, new CommandOptions())), _stuck, _clock, new JobOptions { BatchSize = batch },
            NullLogger<CloseDeliveredOrders>.Instance);

    private async Task<OrderId> DeliveredAsync(string id, OrderType type = OrderType.Prepaid, bool cashRecorded = true, TimeSpan? window = null)
    {
        var context = new CommandContext(Actor.System("test"), T0, "c-" + id);
        var order = Order.Create(new NewOrder(OrderId.From(id), BuyerId.From("buyer-1"), type,
            [OrderItem.Snapshot(1, "sku-1", "p-1", SellerId.From("seller-a"), "Item", Money.Of(1000, Currency.EUR), 1)], [],
            Money.Zero(Currency.EUR), new ShippingAddress("A", "1 St", null, "City", "1000", "DE"), window ?? TimeSpan.FromDays(14),
            TimeSpan.FromMinutes(30)), context).Unwrap();
        Assert.Null(order.Confirm("res-1", type == OrderType.Prepaid ? "auth-1" : null, context));
        if (type == OrderType.Prepaid) Assert.Null(order.MarkPaid("pay-1", order.Total, context));
        Assert.Null(order.Ship("shp-1", "DHL", "T", context));
        Assert.Null(order.Deliver("shp-1", context));
        if (type == OrderType.CashOnDelivery && cashRecorded) Assert.Null(order.RecordCashCollected("cash-1", order.Total, context));
        await _store.SaveAsync(order);
        return order.Id;
    }

    [Fact]
    public async Task DeliveredOrdersAreClosedOnlyOnceTheirReturnWindowHasPassed()
    {
        var early = await DeliveredAsync("ord-14d");
        var short1 = await DeliveredAsync("ord-1d", window: TimeSpan.FromDays(1));
        _clock.Advance(TimeSpan.FromDays(2));

        var report = await Job().RunOnceAsync();

        Assert.Equal([short1], report.Closed);
        Assert.Equal(1, report.NotYetClosable);
        Assert.Equal(OrderStatus.Closed, (await _store.LoadAsync(short1))!.Status);
        Assert.Equal(OrderStatus.Delivered, (await _store.LoadAsync(early))!.Status);
        Assert.Equal(CloseDeliveredOrders.Component, (await _store.LoadAsync(short1))!.History[^1].Actor.Id);
    }

    [Fact]
    public async Task ACashOnDeliveryOrderWithoutRecordedCash_IsNotClosed()
    {
        var id = await DeliveredAsync("ord-cod", OrderType.CashOnDelivery, cashRecorded: false, window: TimeSpan.Zero);
        _clock.Advance(TimeSpan.FromDays(1));

        var report = await Job().RunOnceAsync();

        Assert.Empty(report.Closed);
        Assert.Equal(OrderStatus.Delivered, (await _store.LoadAsync(id))!.Status);
    }

    [Fact]
    public async Task ASecondRun_ChangesNothing_AndABatchBoundsARun()
    {
        foreach (var i in Enumerable.Range(1, 3)) await DeliveredAsync($"ord-{i}", window: TimeSpan.Zero);
        _clock.Advance(TimeSpan.FromMinutes(1));

        var first = await Job(batch: 2).RunOnceAsync();
        var second = await Job(batch: 2).RunOnceAsync();
        var third = await Job(batch: 2).RunOnceAsync();

        Assert.Equal(2, first.Closed.Count);
        Assert.True(first.MoreRemaining);
        Assert.Single(second.Closed);
        Assert.Empty(third.Closed);
        Assert.Equal(3, (await _store.FindByStatusAsync([OrderStatus.Closed], 10)).Count);
    }
}
