using Orders.Application.Views;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;
using Orders.ReadModels.Tests.Support;

namespace Orders.ReadModels.Tests;

public abstract partial class ReadModelTests
{
    [Fact]
    public async Task TheDetail_IsTheViewOfTheStoredOrder_InEveryStage()
    {
        await Shop.CreateAsync("created", T0);
        await Shop.PaidAsync("paid", T0);
        await Shop.PaidAsync("delivered", T0);
        await Shop.ShipAsync("delivered", T0.AddHours(1));
        await Shop.DeliverAsync("delivered", T0.AddDays(2));
        await Shop.CreateAsync("cancelled", T0);
        await Shop.CancelAsync("cancelled", T0.AddMinutes(5));
        await Shop.PaidAsync("refunded", T0);
        await Shop.RequestRefundAsync("refunded", 1500, T0.AddHours(1));
        await Shop.CompleteRefundAsync("refunded", T0.AddHours(2));
        await Shop.CreateAsync("moved", T0, type: OrderType.CashOnDelivery);
        await Shop.ChangeAddressAsync("moved", T0.AddMinutes(3));
        await Shop.CreateAsync("split", T0, sellers: [Shop.SellerA, Shop.SellerB]);
        await Shop.SplitAsync("split", T0.AddMinutes(1));

        var queries = await ProjectAsync();

        foreach (var id in new[] { "created", "paid", "delivered", "cancelled", "refunded", "moved", "split", "split-s1", "split-s2" })
        {
            var expected = OrderView.From(await Shop.LoadAsync(id));
            var detail = await queries.GetOrderDetailAsync(Id(id));
            Assert.NotNull(detail);
            Assert.Equal(Json(expected), Json(detail));
        }
    }

    [Fact]
    public async Task TheDetail_CarriesTheWholeHistory_Intact()
    {
        await Shop.PaidAsync("o1", T0);
        await Shop.ShipAsync("o1", T0.AddHours(3));

        var detail = await (await ProjectAsync()).GetOrderDetailAsync(Id("o1"));

        Assert.NotNull(detail);
        Assert.True(detail.HistoryIntact);
        Assert.Equal([1L, 2, 3, 4], detail.History.Select(h => h.Sequence));
        Assert.Equal([OrderStatus.Created, OrderStatus.Confirmed, OrderStatus.Paid, OrderStatus.Shipped], detail.History.Select(h => h.To));
        Assert.Equal(4, detail.Version);
    }

    [Fact]
    public async Task TheDetail_FollowsEntriesWrittenAfterAnEarlierRun()
    {
        await Shop.CreateAsync("o1", T0);
        var store = CreateStore();
        await ProjectAsync(store);
        Assert.Equal(OrderStatus.Created, (await Queries(store).GetOrderDetailAsync(Id("o1")))?.Status);

        await Shop.ConfirmAsync("o1", T0.AddMinutes(1));
        await Shop.PayAsync("o1", T0.AddMinutes(2));
        await ProjectAsync(store);

        Assert.Equal(Json(OrderView.From(await Shop.LoadAsync("o1"))), Json(await Queries(store).GetOrderDetailAsync(Id("o1"))));
    }

    [Fact]
    public async Task AnOrderTheProjectionHasNotSeen_HasNoDetail()
    {
        await Shop.CreateAsync("o1", T0);
        var queries = await ProjectAsync();

        Assert.Null(await queries.GetOrderDetailAsync(Id("unknown")));
    }

    [Fact]
    public async Task TheStoredDetailRecord_HoldsTheEntriesItWasFoldedFrom()
    {
        var order = await Shop.PaidAsync("o1", T0);
        var store = CreateStore();
        await ProjectAsync(store);

        var record = await store.GetDetailAsync(Id("o1"));

        Assert.NotNull(record);
        Assert.Equal(3, record.Sequence);
        Assert.Equal(order.History.Select(h => h.Hash), record.Entries.Select(e => e.Hash));
        Assert.True(Order.FromHistory(record.Entries).VerifyHistory().IsIntact);
    }
}
