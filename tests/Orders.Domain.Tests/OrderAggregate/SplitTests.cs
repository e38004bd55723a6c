using CsCheck;
using Orders.Domain.Events;
using Orders.Domain.OrderAggregate;
using Orders.Domain.Services;
using Orders.Domain.Tests.Services;
using Orders.Domain.Tests.TestSupport;
using Orders.Domain.ValueObjects;
using static Orders.Domain.OrderAggregate.OrderRejections.Codes;
using static Orders.Domain.Tests.TestSupport.TestOrders;

namespace Orders.Domain.Tests.OrderAggregate;

public sealed class SplitTests
{
    /// <summary>Carts of at least two sellers, with promotions (some seller-scoped) that validation accepts.</summary>
    private static readonly Gen<NewOrder> MultiSellerOrders =
        from items in OrderPricingPropertyTests.Carts.Where(items => items.Select(i => i.SellerId).Distinct().Count() >= 2)
        from promotions in OrderPricingPropertyTests.Promotions
        from shipping in Gen.Long[0, 5_000]
        let currency = items[0].UnitPrice.Currency
        let valid = promotions
            .Where(p => p.SellerId is null || items.Any(i => i.SellerId == p.SellerId))
            .Select((p, i) => new Promotion($"P{i}", p.Kind, p.Value, p.SellerId))
            .ToArray()
        select Draft() with { Items = items, Promotions = valid, ShippingFee = Money.Of(shipping, currency) };

    [Fact]
    public void TheChildrensPrices_SumExactlyToTheParents()
    {
        MultiSellerOrders.Sample(draft =>
        {
            var parent = Create(draft);
            var split = parent.Split();
            var p = parent.Order.Pricing;
            var currency = parent.Order.Currency;
            var sum = (Func<OrderPricing, Money> part) => Money.Sum(split.Children.Select(c => part(c.Pricing)), currency);

            Assert.Equal(p.Total, sum(c => c.Total));
            Assert.Equal(p.Subtotal, sum(c => c.Subtotal));
            Assert.Equal(p.Discount, sum(c => c.Discount));
            Assert.Equal(p.Shipping, sum(c => c.Shipping));
            Assert.Equal(parent.Order.SplitInto.Select(c => c.Total), split.Children.Select(c => c.Total));
            Assert.Equal(parent.Order.Sellers.Count, split.Children.Count);
            Assert.All(split.Children, c => Assert.Single(c.Sellers));
        }, iter: 300);
    }

    [Fact]
    public void EachChild_KeepsItsLinesExactPricesAndSnapshots_RenumberedFromOne()
    {
        MultiSellerOrders.Sample(draft =>
        {
            var parent = Create(draft);
            var split = parent.Split();

            foreach (var child in split.Children)
            {
                var seller = child.Sellers.Single();
                var original = parent.Order.Items.Where(i => i.SellerId == seller).ToArray();
                var originalPrices = original.Select(i => parent.Order.Pricing.Lines.Single(l => l.Line == i.Line)).ToArray();

                Assert.Equal(Enumerable.Range(1, original.Length), child.Items.Select(i => i.Line));
                Assert.Equal(original.Select(i => i.Hash), child.Items.Select(i => i.Hash));
                Assert.Equal(originalPrices.Select(l => (l.Gross, l.Discount, l.Shipping)),
                    child.Pricing.Lines.Select(l => (l.Gross, l.Discount, l.Shipping)));
            }
        }, iter: 200);
    }

    [Fact]
    public void ChildIds_AreTheParentIdNumberedBySellerInOrdinalOrder()
    {
        var items = new[] { Item(1, "sku-1", SellerId.From("zeta"), 100), Item(2, "sku-2", SellerId.From("Alpha"), 100), Item(3, "sku-3", SellerId.From("beta"), 100) };

        var split = Create(Draft() with { Items = items }).Split();

        Assert.Equal(["order-1-s1", "order-1-s2", "order-1-s3"], split.Children.Select(c => c.Id.Value));
        Assert.Equal(["Alpha", "beta", "zeta"], split.Children.Select(c => c.Sellers.Single().Value));
    }

    [Fact]
    public void SplittingTheSameOrderTwice_GivesTheSameChildren()
    {
        var one = Create(multiSeller: true).Split();
        var other = Create(multiSeller: true).Split();

        Assert.Equal(one.Children.Select(ObservableState.Of), other.Children.Select(ObservableState.Of));
    }

    [Fact]
    public void TheParent_IsSplitAndRecordsItsChildren()
    {
        var parent = Create(multiSeller: true);
        var split = parent.Split();

        Assert.Equal(OrderStatus.Split, parent.Order.Status);
        Assert.True(parent.Order.IsTerminal);
        var recorded = Assert.IsType<OrderSplit>(parent.Order.History[^1].Event);
        Assert.Equal(split.Children.Select(c => new SplitChild(c.Id, c.Sellers.Single(), c.Total)), recorded.Children);
        Assert.Equal(recorded.Children, parent.Order.SplitInto);
    }

    [Fact]
    public void ASplitParent_NeverShips()
    {
        var parent = In(Stage.Split);

        OrderAssert.Refused(NotShippable, parent.Order, () => parent.Order.Ship("ship-1", Carrier, TrackingNumber, parent.Next()));
    }

    [Fact]
    public void Children_InheritBuyerTypeAddressReturnWindowAndThePaymentDeadline()
    {
        var parent = Create(Draft(OrderType.CashOnDelivery, multiSeller: true) with { ReturnWindow = TimeSpan.FromDays(30) });
        Assert.Null(parent.Order.ChangeShippingAddress(Office, parent.Next()));
        parent.Advance(TimeSpan.FromMinutes(10));

        var split = parent.Split();

        Assert.All(split.Children, child =>
        {
            Assert.Equal(parent.Order.BuyerId, child.BuyerId);
            Assert.Equal(OrderType.CashOnDelivery, child.Type);
            Assert.Equal(Office, child.ShippingAddress);
            Assert.Equal(TimeSpan.FromDays(30), child.ReturnWindow);
            Assert.Equal(parent.Order.PaymentDueBy, child.PaymentDueBy);
            Assert.Equal(parent.Order.Id, child.SplitFrom);
        });
    }

    [Fact]
    public void AChild_IsANewOrderWhoseOnlyEntryNamesTheSplit()
    {
        var parent = Create(multiSeller: true);

        var child = parent.Split().Children[0];

        Assert.Equal(OrderStatus.Created, child.Status);
        var entry = Assert.Single(child.History);
        Assert.Null(entry.From);
        Assert.Equal(OrderStatus.Created, entry.To);
        Assert.Equal("created by splitting order-1", entry.Reason);
        Assert.Equal(parent.Order.History[^1].CausationId, entry.CausationId);
        Assert.True(child.VerifyHistory().IsIntact);
    }

    [Fact]
    public void AChild_RunsItsOwnCheckoutForItsOwnTotal()
    {
        var child = new TestOrder(Create(multiSeller: true).Split().Children[1], T0.AddHours(2));

        child.Confirm().Pay().Ship().Deliver();

        Assert.Equal(OrderStatus.Delivered, child.Order.Status);
        Assert.Equal(child.Order.Total, child.Order.AmountPaid);
    }

    [Fact]
    public void ASingleSellerOrder_CannotBeSplit()
    {
        var order = Create(multiSeller: false);

        OrderAssert.Refused(SingleSeller, order.Order, () => order.Order.Split(order.Next()).Rejection);
    }

    [Fact]
    public void AConfirmedOrder_CannotBeSplit()
    {
        var order = In(Stage.Confirmed, multiSeller: true);

        OrderAssert.Refused(NotSplittable, order.Order, () => order.Order.Split(order.Next()).Rejection);
    }
}
