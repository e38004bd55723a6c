using Orders.Application.ReadModels;
using Orders.Domain.ValueObjects;
using Orders.ReadModels.Tests.Support;

namespace Orders.ReadModels.Tests;

public abstract partial class ReadModelTests
{
    [Fact]
    public async Task TheDashboard_CountsAndValuesASellersOrdersByStatus_OneAmountPerCurrency()
    {
        await Shop.CreateAsync("created-1", T0);                                  // 15.00 USD
        await Shop.CreateAsync("created-2", T0);                                  // 15.00 USD
        await Shop.PaidAsync("paid-usd", T0);                                     // 15.00 USD
        await Shop.PaidAsync("paid-eur", T0, currency: Currency.EUR);             // 15.00 EUR
        await Shop.CreateAsync("cancelled", T0);
        await Shop.CancelAsync("cancelled", T0.AddMinutes(1));
        await Shop.CreateAsync("b-only", T0, sellers: [Shop.SellerB]);            // not seller A's

        var dashboard = await (await ProjectAsync()).GetSellerDashboardAsync(Shop.SellerA, T0.AddHours(1));

        Assert.Equal(Shop.SellerA, dashboard.SellerId);
        Assert.Equal([OrderStatus.Created, OrderStatus.Paid, OrderStatus.Cancelled], dashboard.ByStatus.Select(s => s.Status));
        var created = dashboard.ByStatus[0];
        Assert.Equal(2, created.Count);
        Assert.Equal([Usd(3000)], created.Value);
        var paid = dashboard.ByStatus[1];
        Assert.Equal(2, paid.Count);
        Assert.Equal([Eur(1500), Usd(1500)], paid.Value);
        Assert.Equal(1, dashboard.ByStatus[2].Count);
    }

    [Fact]
    public async Task AMultiSellerOrder_CountsOnlyEachSellersShareOfItsValue()
    {
        // Seller A: 1 × 10.00, seller B: 2 × 20.00; the 5.00 shipping is shared by value (1.00 and 4.00).
        await Shop.CreateAsync("both", T0, sellers: [Shop.SellerA, Shop.SellerB]);
        var queries = await ProjectAsync();

        var a = await queries.GetSellerDashboardAsync(Shop.SellerA, T0);
        var b = await queries.GetSellerDashboardAsync(Shop.SellerB, T0);

        Assert.Equal([Usd(1100)], Assert.Single(a.ByStatus).Value);
        Assert.Equal([Usd(4400)], Assert.Single(b.ByStatus).Value);
    }

    [Fact]
    public async Task AfterASplit_TheParentCountsAsSplitAndTheChildAsCreated()
    {
        await Shop.CreateAsync("cart", T0, sellers: [Shop.SellerA, Shop.SellerB]);
        await Shop.SplitAsync("cart", T0.AddMinutes(1));

        var dashboard = await (await ProjectAsync()).GetSellerDashboardAsync(Shop.SellerB, T0);

        Assert.Equal([(OrderStatus.Created, 1), (OrderStatus.Split, 1)], dashboard.ByStatus.Select(s => (s.Status, s.Count)));
        Assert.Equal([Usd(4400)], dashboard.ByStatus[0].Value);
    }

    [Fact]
    public async Task APaidPrepaidOrder_AwaitsShipmentSinceItWasPaid()
    {
        await Shop.PaidAsync("o1", T0); // paid at T0 + 2 min

        var dashboard = await (await ProjectAsync()).GetSellerDashboardAsync(Shop.SellerA, T0.AddHours(5));

        var waiting = Assert.Single(dashboard.AwaitingShipment);
        Assert.Equal(new AwaitingShipment(Id("o1"), Version: 3, T0.AddMinutes(2), Late: false), waiting);
        Assert.Equal(0, dashboard.LateShipments);
        Assert.Equal(T0.AddHours(5), dashboard.AsOf);
    }

    [Fact]
    public async Task AConfirmedCashOnDeliveryOrder_AwaitsShipmentSinceItWasConfirmed_AConfirmedPrepaidOneDoesNot()
    {
        await Shop.CreateAsync("cod", T0, type: OrderType.CashOnDelivery);
        await Shop.ConfirmAsync("cod", T0.AddMinutes(7));
        await Shop.CreateAsync("prepaid", T0);
        await Shop.ConfirmAsync("prepaid", T0.AddMinutes(7));

        var dashboard = await (await ProjectAsync()).GetSellerDashboardAsync(Shop.SellerA, T0.AddHours(1));

        Assert.Equal([new AwaitingShipment(Id("cod"), Version: 2, T0.AddMinutes(7), Late: false)], dashboard.AwaitingShipment);
    }

    [Fact]
    public async Task AnOrderWaitingLongerThanTheServiceLevel_IsLate_AndOneWaitingExactlyThatLongIsNot()
    {
        await Shop.PaidAsync("old", T0);                 // ready at T0 + 2 min
        await Shop.PaidAsync("new", T0.AddHours(1));      // ready at T0 + 1 h 2 min
        var now = T0.AddMinutes(2) + TimeSpan.FromHours(48) + TimeSpan.FromTicks(1);

        var queries = await ProjectAsync();
        var dashboard = await queries.GetSellerDashboardAsync(Shop.SellerA, now);
        var justInTime = await queries.GetSellerDashboardAsync(Shop.SellerA, T0.AddMinutes(2) + TimeSpan.FromHours(48));

        Assert.Equal([("old", true), ("new", false)], dashboard.AwaitingShipment.Select(a => (a.OrderId.Value, a.Late)));
        Assert.Equal(1, dashboard.LateShipments);
        Assert.Equal(0, justInTime.LateShipments);
        Assert.DoesNotContain(justInTime.AwaitingShipment, a => a.Late);
    }

    [Fact]
    public async Task TheShippingServiceLevel_IsConfigurable()
    {
        await Shop.PaidAsync("o1", T0);
        var store = CreateStore(new ReadModelOptions { ShippingServiceLevel = TimeSpan.FromHours(1) });
        await ProjectAsync(store);
        var queries = Queries(store);

        var dashboard = await queries.GetSellerDashboardAsync(Shop.SellerA, T0.AddHours(2));

        Assert.True(Assert.Single(dashboard.AwaitingShipment).Late);
        Assert.Equal(1, dashboard.LateShipments);
    }

    [Fact]
    public async Task ShippedCancelledAndRefundPendingOrders_DoNotAwaitShipment()
    {
        await Shop.PaidAsync("shipped", T0);
        await Shop.ShipAsync("shipped", T0.AddHours(1));
        await Shop.CreateAsync("cancelled", T0, type: OrderType.CashOnDelivery);
        await Shop.ConfirmAsync("cancelled", T0.AddMinutes(1));
        await Shop.CancelAsync("cancelled", T0.AddMinutes(2));
        await Shop.PaidAsync("refund-pending", T0);
        await Shop.RequestRefundAsync("refund-pending", 500, T0.AddHours(1)); // it cannot ship until the refund completes
        await Shop.PaidAsync("waiting", T0);

        var dashboard = await (await ProjectAsync()).GetSellerDashboardAsync(Shop.SellerA, T0.AddDays(10));

        Assert.Equal(["waiting"], dashboard.AwaitingShipment.Select(a => a.OrderId.Value));
        Assert.Equal(1, dashboard.LateShipments);
    }

    [Fact]
    public async Task TheWaitingList_ShowsTheOldestFirst_UpToItsLimit_WhileTheLateCountCoversAll()
    {
        for (var i = 1; i <= 4; i++) await Shop.PaidAsync($"o{i}", T0.AddHours(5 - i)); // o4 is the oldest
        var store = CreateStore(new ReadModelOptions { MaxAwaitingShipments = 2 });
        await ProjectAsync(store);
        var queries = Queries(store);

        var dashboard = await queries.GetSellerDashboardAsync(Shop.SellerA, T0.AddDays(30));

        Assert.Equal(["o4", "o3"], dashboard.AwaitingShipment.Select(a => a.OrderId.Value));
        Assert.Equal(4, dashboard.LateShipments);
        Assert.Equal(4, Assert.Single(dashboard.ByStatus).Count);
    }

    [Fact]
    public async Task ASellerWithNoOrders_HasAnEmptyDashboard()
    {
        await Shop.CreateAsync("o1", T0);

        var dashboard = await (await ProjectAsync()).GetSellerDashboardAsync(Shop.SellerC, T0);

        Assert.Empty(dashboard.ByStatus);
        Assert.Empty(dashboard.AwaitingShipment);
        Assert.Equal(0, dashboard.LateShipments);
    }
}
