using Orders.Application.ReadModels;
using Orders.Domain.ValueObjects;
using Orders.ReadModels.Tests.Support;

namespace Orders.ReadModels.Tests;

public abstract partial class ReadModelTests
{
    [Fact]
    public async Task ABuyersList_IsNewestFirst_AndHoldsOnlyTheirOrders()
    {
        await Shop.CreateAsync("old", T0);
        await Shop.CreateAsync("new", T0.AddHours(2));
        await Shop.CreateAsync("middle", T0.AddHours(1));
        await Shop.CreateAsync("someone-else", T0.AddHours(3), buyer: Shop.OtherBuyer);

        var page = await (await ProjectAsync()).ListBuyerOrdersAsync(Shop.Buyer, null, 10, null);

        Assert.Equal(["new", "middle", "old"], Ids(page.Items));
        Assert.Null(page.ContinuationToken);
    }

    [Fact]
    public async Task OrdersCreatedAtTheSameMoment_AreListedByOrderId()
    {
        await Shop.CreateAsync("b", T0);
        await Shop.CreateAsync("c", T0);
        await Shop.CreateAsync("a", T0);
        await Shop.CreateAsync("later", T0.AddSeconds(1));

        var page = await (await ProjectAsync()).ListBuyerOrdersAsync(Shop.Buyer, null, 10, null);

        Assert.Equal(["later", "a", "b", "c"], Ids(page.Items));
    }

    [Fact]
    public async Task AListItem_SaysWhereTheOrderIsAndWhatItIsWorth()
    {
        await Shop.CreateAsync("o1", T0, sellers: [Shop.SellerB, Shop.SellerA]);
        await Shop.ConfirmAsync("o1", T0.AddMinutes(1));

        var item = Assert.Single((await (await ProjectAsync()).ListBuyerOrdersAsync(Shop.Buyer, null, 10, null)).Items);

        Assert.Equal(Id("o1"), item.OrderId);
        Assert.Equal(Shop.Buyer, item.BuyerId);
        Assert.Equal([Shop.SellerA, Shop.SellerB], item.Sellers);
        Assert.Equal(OrderStatus.Confirmed, item.Status);
        Assert.Equal(OrderType.Prepaid, item.Type);
        Assert.Equal(Usd(1000 + 2 * 2000 + 500), item.Total);
        Assert.Equal(3, item.ItemCount);
        Assert.Equal(T0, item.CreatedAt);
        Assert.Equal(T0.AddMinutes(1), item.UpdatedAt);
        Assert.Equal(2, item.Version);
    }

    [Fact]
    public async Task ABuyersList_FiltersByStatus()
    {
        await Shop.CreateAsync("created", T0);
        await Shop.PaidAsync("paid-1", T0.AddMinutes(1));
        await Shop.CreateAsync("cancelled", T0.AddMinutes(2));
        await Shop.CancelAsync("cancelled", T0.AddMinutes(3));
        await Shop.PaidAsync("paid-2", T0.AddMinutes(4));
        var queries = await ProjectAsync();

        Assert.Equal(["paid-2", "paid-1"], Ids((await queries.ListBuyerOrdersAsync(Shop.Buyer, OrderStatus.Paid, 10, null)).Items));
        Assert.Equal(["cancelled"], Ids((await queries.ListBuyerOrdersAsync(Shop.Buyer, OrderStatus.Cancelled, 10, null)).Items));
        Assert.Empty((await queries.ListBuyerOrdersAsync(Shop.Buyer, OrderStatus.Shipped, 10, null)).Items);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(100)]
    public async Task PagingWithContinuationTokens_CoversEveryItemExactlyOnce(int pageSize)
    {
        // Seven orders, three of them created at the same moment (the tie-break must hold across page boundaries).
        string[] ids = ["o1", "o2", "o3", "o4", "o5", "o6", "o7"];
        int[] minutes = [0, 5, 5, 5, 9, 12, 20];
        for (var i = 0; i < ids.Length; i++) await Shop.CreateAsync(ids[i], T0.AddMinutes(minutes[i]));
        await Shop.CancelAsync("o2", T0.AddHours(1));
        await Shop.CancelAsync("o5", T0.AddHours(1));
        var queries = await ProjectAsync();

        var all = await ViewSnapshot.AllAsync((size, token) => queries.ListBuyerOrdersAsync(Shop.Buyer, null, size, token), pageSize);
        var created = await ViewSnapshot.AllAsync((size, token) => queries.ListBuyerOrdersAsync(Shop.Buyer, OrderStatus.Created, size, token), pageSize);

        Assert.Equal(["o7", "o6", "o5", "o2", "o3", "o4", "o1"], Ids(all));
        Assert.Equal(["o7", "o6", "o3", "o4", "o1"], Ids(created));
    }

    [Fact]
    public async Task APageThatEndsTheList_HasNoContinuationToken()
    {
        await Shop.CreateAsync("o1", T0);
        await Shop.CreateAsync("o2", T0.AddMinutes(1));
        await Shop.CreateAsync("o3", T0.AddMinutes(2));
        await Shop.CreateAsync("o4", T0.AddMinutes(3));
        var queries = await ProjectAsync();

        var first = await queries.ListBuyerOrdersAsync(Shop.Buyer, null, 2, null);
        var second = await queries.ListBuyerOrdersAsync(Shop.Buyer, null, 2, first.ContinuationToken);

        Assert.Equal(["o4", "o3"], Ids(first.Items));
        Assert.NotNull(first.ContinuationToken);
        Assert.Equal(["o2", "o1"], Ids(second.Items));
        Assert.Null(second.ContinuationToken);
    }

    [Fact]
    public async Task AContinuationToken_IsOpaqueAndUrlSafe()
    {
        await Shop.CreateAsync("o1", T0);
        await Shop.CreateAsync("o2:x.y", T0);
        var page = await (await ProjectAsync()).ListBuyerOrdersAsync(Shop.Buyer, null, 1, null);

        Assert.NotNull(page.ContinuationToken);
        Assert.DoesNotContain("o1", page.ContinuationToken, StringComparison.Ordinal);
        Assert.Matches("^[A-Za-z0-9_-]+$", page.ContinuationToken);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(101)]
    public async Task APageSizeOutsideOneToAHundred_IsRefused(int pageSize)
    {
        var queries = await ProjectAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queries.ListBuyerOrdersAsync(Shop.Buyer, null, pageSize, null));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queries.ListSellerOrdersAsync(Shop.SellerA, null, pageSize, null));
    }

    [Fact]
    public async Task PageSizesOfOneAndAHundred_AreAccepted()
    {
        await Shop.CreateAsync("o1", T0);
        var queries = await ProjectAsync();

        Assert.Single((await queries.ListBuyerOrdersAsync(Shop.Buyer, null, 1, null)).Items);
        Assert.Single((await queries.ListBuyerOrdersAsync(Shop.Buyer, null, ReadModelPaging.MaxPageSize, null)).Items);
    }

    [Theory]
    [InlineData("not a token")]
    [InlineData("")]
    [InlineData("djJ8MXxvMQ")] // base64url of "v2|1|o1": not a version this service issues
    [InlineData("djF8eHxvMQ")] // "v1|x|o1": not a time
    [InlineData("djF8MXw")] // "v1|1|": no order id
    public async Task AContinuationTokenThisServiceDidNotIssue_IsRefused(string token)
    {
        var queries = await ProjectAsync();

        var refused = await Assert.ThrowsAsync<InvalidContinuationTokenException>(() => queries.ListBuyerOrdersAsync(Shop.Buyer, null, 10, token));
        Assert.Equal("continuationToken", refused.ParamName);
        await Assert.ThrowsAsync<InvalidContinuationTokenException>(() => queries.ListSellerOrdersAsync(Shop.SellerA, null, 10, token));
    }

    [Fact]
    public async Task ASellersList_HoldsOnlyOrdersWithThatSellersItems()
    {
        await Shop.CreateAsync("a-only", T0, sellers: [Shop.SellerA]);
        await Shop.CreateAsync("b-only", T0.AddMinutes(1), sellers: [Shop.SellerB]);
        await Shop.CreateAsync("both", T0.AddMinutes(2), sellers: [Shop.SellerA, Shop.SellerB]);
        await Shop.CreateAsync("other-buyer", T0.AddMinutes(3), buyer: Shop.OtherBuyer, sellers: [Shop.SellerA]);
        var queries = await ProjectAsync();

        Assert.Equal(["other-buyer", "both", "a-only"], Ids((await queries.ListSellerOrdersAsync(Shop.SellerA, null, 10, null)).Items));
        Assert.Equal(["both", "b-only"], Ids((await queries.ListSellerOrdersAsync(Shop.SellerB, null, 10, null)).Items));
        Assert.Empty((await queries.ListSellerOrdersAsync(Shop.SellerC, null, 10, null)).Items);
    }

    [Fact]
    public async Task AfterASplit_EachChildIsListedUnderItsOwnSellerOnly()
    {
        await Shop.CreateAsync("cart", T0, sellers: [Shop.SellerA, Shop.SellerB]);
        await Shop.SplitAsync("cart", T0.AddMinutes(1));
        var queries = await ProjectAsync();

        var sellerA = (await queries.ListSellerOrdersAsync(Shop.SellerA, null, 10, null)).Items;
        var sellerB = (await queries.ListSellerOrdersAsync(Shop.SellerB, null, 10, null)).Items;
        var buyer = (await queries.ListBuyerOrdersAsync(Shop.Buyer, null, 10, null)).Items;

        // The children are created at the split, after the parent; the parent stays listed, as SPLIT.
        Assert.Equal(["cart-s1", "cart"], Ids(sellerA));
        Assert.Equal(["cart-s2", "cart"], Ids(sellerB));
        Assert.Equal(OrderStatus.Split, sellerA.Single(i => i.OrderId.Value == "cart").Status);
        Assert.Equal([Shop.SellerA], sellerA[0].Sellers);
        Assert.Equal(["cart-s1", "cart-s2", "cart"], Ids(buyer));
        Assert.Equal(["cart-s2"], Ids((await queries.ListSellerOrdersAsync(Shop.SellerB, OrderStatus.Created, 10, null)).Items));
    }

    [Fact]
    public async Task ASellersList_FiltersByStatusAndPages()
    {
        for (var i = 1; i <= 5; i++) await Shop.PaidAsync($"p{i}", T0.AddMinutes(i));
        await Shop.CreateAsync("c1", T0.AddMinutes(10));
        var queries = await ProjectAsync();

        var paid = await ViewSnapshot.AllAsync((size, token) => queries.ListSellerOrdersAsync(Shop.SellerA, OrderStatus.Paid, size, token), 2);

        Assert.Equal(["p5", "p4", "p3", "p2", "p1"], Ids(paid));
    }

    [Fact]
    public async Task AListItem_MovesWithItsOrdersStatus()
    {
        await Shop.PaidAsync("o1", T0);
        var store = CreateStore();
        await ProjectAsync(store);
        await Shop.ShipAsync("o1", T0.AddHours(1));
        await ProjectAsync(store);
        var queries = Queries(store);

        Assert.Empty((await queries.ListBuyerOrdersAsync(Shop.Buyer, OrderStatus.Paid, 10, null)).Items);
        Assert.Equal(OrderStatus.Shipped, Assert.Single((await queries.ListSellerOrdersAsync(Shop.SellerA, OrderStatus.Shipped, 10, null)).Items).Status);
    }
}
