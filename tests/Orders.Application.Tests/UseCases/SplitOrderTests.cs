using Orders.Application.UseCases.Commands;
using Orders.Domain.ValueObjects;
using static Orders.Application.Tests.TestData;
using static Orders.Application.Tests.UseCases.ResultAssert;

namespace Orders.Application.Tests.UseCases;

public sealed class SplitOrderTests : IDisposable
{
    private readonly Harness _h = new();

    [Fact]
    public async Task SplittingAMultiSellerOrder_StoresOneChildPerSeller_ThatSumToTheParent()
    {
        var id = await _h.CreatedAsync(twoSellers: true);

        var reply = (await _h.Split.ExecuteAsync(new SplitOrderCommand(id), Request(Buyer))).Unwrap();

        Assert.Equal(OrderStatus.Split, reply.Receipt.Status);
        Assert.Equal([id.Child(1), id.Child(2)], reply.Receipt.ChildOrderIds);
        var parent = await _h.LoadAsync(id);
        var children = await Task.WhenAll(reply.Receipt.ChildOrderIds.Select(_h.LoadAsync));
        Assert.All(children, c => Assert.Equal(id, c.SplitFrom));
        Assert.Equal(parent.Total, Money.Sum(children.Select(c => c.Total), Currency.USD));
        Assert.Equal(["seller-a", "seller-b"], children.Select(c => c.Sellers.Single().Value));
    }

    [Fact]
    public async Task SplittingAgain_IsAReplay()
    {
        var id = await _h.CreatedAsync(twoSellers: true);
        await _h.Split.ExecuteAsync(new SplitOrderCommand(id), Request(Buyer));
        var events = await _h.EventCountAsync();

        var again = (await _h.Split.ExecuteAsync(new SplitOrderCommand(id), Request(Buyer))).Unwrap();

        Assert.Equal(2, again.Receipt.ChildOrderIds.Count);
        Assert.Equal(events, await _h.EventCountAsync());
    }

    [Fact]
    public async Task ASplitInterruptedAfterTheChildren_CompletesWhenRunAgain()
    {
        var id = await _h.CreatedAsync(twoSellers: true);
        var parent = await _h.LoadAsync(id);
        // Simulate the crash: the children were written, the parent's fact was not.
        foreach (var child in parent.Split(Context()).Value!.Children) await _h.Store.SaveAsync(child);

        var reply = (await _h.Split.ExecuteAsync(new SplitOrderCommand(id), Request(Buyer))).Unwrap();

        Assert.Equal(OrderStatus.Split, reply.Receipt.Status);
        Assert.Equal(1, (await _h.LoadAsync(id.Child(1))).Version);
    }

    [Fact]
    public async Task ASingleSellerOrder_CannotBeSplit()
    {
        var id = await _h.CreatedAsync();
        Rejected("order.single-seller", await _h.Split.ExecuteAsync(new SplitOrderCommand(id), Request(Buyer)));
    }

    public void Dispose() => _h.Dispose();
}
