using System.Text.Json;
using Orders.Domain.Common;
using Orders.Domain.Events;
using Orders.Domain.OrderAggregate;
using Orders.Domain.Tests.TestSupport;
using Orders.Domain.ValueObjects;
using static Orders.Domain.Tests.TestSupport.TestOrders;

namespace Orders.Domain.Tests.OrderAggregate;

/// <summary>An order is only ever the result of its history: rebuilt from it, stored or not, it is the same order.</summary>
public sealed class RehydrationTests
{
    public static TheoryData<OrderType, Stage> EveryStage()
    {
        var data = new TheoryData<OrderType, Stage>();
        foreach (var (type, stage) in TransitionMatrix.Cells().Select(c => (c.Type, c.Stage)).Distinct()) data.Add(type, stage);
        return data;
    }

    private static IReadOnlyList<HistoryEntry> ThroughJson(IReadOnlyList<HistoryEntry> history) =>
        JsonSerializer.Deserialize<IReadOnlyList<HistoryEntry>>(JsonSerializer.Serialize(history, DomainJson.Options), DomainJson.Options)!;

    /// <summary>An order that has a bit of everything: promotions, attributes, a new address, completed and pending refunds.</summary>
    private static Order KitchenSink()
    {
        var items = new[]
        {
            Item(1, "sku-1", SellerA, 1999, 3, attributes: new Dictionary<string, string> { ["colour"] = "blue", ["size"] = "L" }),
            Item(2, "sku-2", SellerA, 4500),
        };
        var order = Create(Draft() with { Items = items, Promotions = [AmountOff("WELCOME", 500), PercentOff("TENPCT", 1_000)] });
        Assert.Null(order.Order.ChangeShippingAddress(Office, order.Next()));
        order.Confirm().Pay().Ship().Deliver().RequestRefund(Usd(700), "refund-a").RecordRefund("refund-a").RequestRefund(Usd(300), "refund-b");
        return order.Order;
    }

    [Theory]
    [MemberData(nameof(EveryStage))]
    public void AnOrderRebuiltFromItsHistory_IsTheSameOrder(OrderType type, Stage stage)
    {
        var order = In(stage, type, multiSeller: true).Order;

        var rebuilt = Order.FromHistory(order.History);

        Assert.Equal(ObservableState.Of(order), ObservableState.Of(rebuilt));
        Assert.Equal(order.Status, rebuilt.Status);
        Assert.Equal(order.Version, rebuilt.Version);
    }

    [Theory]
    [MemberData(nameof(EveryStage))]
    public void AnOrderRebuiltFromItsHistoryStoredAsJson_IsTheSameOrder(OrderType type, Stage stage)
    {
        var order = In(stage, type, multiSeller: true).Order;

        var rebuilt = Order.FromHistory(ThroughJson(order.History));

        Assert.Equal(ObservableState.Of(order), ObservableState.Of(rebuilt));
        Assert.True(rebuilt.VerifyHistory().IsIntact);
    }

    [Fact]
    public void AnOrderWithPromotionsANewAddressAndRefunds_SurvivesStorageAsJson()
    {
        var order = KitchenSink();

        var rebuilt = Order.FromHistory(ThroughJson(order.History));

        Assert.Equal(ObservableState.Of(order), ObservableState.Of(rebuilt));
        Assert.Equal(order.Pricing, rebuilt.Pricing);
        Assert.Equal(order.Items, rebuilt.Items);
        Assert.Equal(order.Refunds, rebuilt.Refunds);
        Assert.Equal(Office, rebuilt.ShippingAddress);
        Assert.Single(rebuilt.PendingRefunds);
    }

    [Fact]
    public void SplitChildren_SurviveStorageAsJson()
    {
        var split = Create(multiSeller: true).Split();

        foreach (var child in split.Children)
        {
            var rebuilt = Order.FromHistory(ThroughJson(child.History));

            Assert.Equal(ObservableState.Of(child), ObservableState.Of(rebuilt));
            Assert.Equal(split.Parent.Id, rebuilt.SplitFrom);
        }
    }

    [Fact]
    public void ARebuiltOrder_HasNothingUncommitted_AndRecordsNewFactsOnTheSameChain()
    {
        var test = In(Stage.Delivered);
        var rebuilt = Order.FromHistory(test.Order.History);

        Assert.Equal(rebuilt.Version, rebuilt.PersistedVersion);
        Assert.Empty(rebuilt.UncommittedEntries);

        Assert.Null(rebuilt.Close(Context(test.DeliveredAt + ReturnWindow, "close-1")));
        var entry = Assert.Single(rebuilt.UncommittedEntries);
        Assert.Equal(test.Order.History[^1].Hash, entry.PreviousHash);
        Assert.True(rebuilt.VerifyHistory().IsIntact);
    }

    [Fact]
    public void MarkingPersisted_LeavesNothingUncommitted()
    {
        var order = In(Stage.Paid).Order;
        Assert.Equal(3, order.UncommittedEntries.Count);

        order.MarkPersisted();

        Assert.Empty(order.UncommittedEntries);
        Assert.Equal(3, order.PersistedVersion);
    }

    [Fact]
    public void RebuildingFromNoHistory_IsRefused()
    {
        var e = Assert.Throws<DomainException>(() => Order.FromHistory([]));

        Assert.Equal("history.empty", e.Code);
    }

    [Fact]
    public void RebuildingFromAHistoryThatDoesNotStartWithTheCreation_IsRefused()
    {
        var history = In(Stage.Paid).Order.History.Skip(1);

        var e = Assert.Throws<DomainException>(() => Order.FromHistory(history));

        Assert.Equal("history.no-creation", e.Code);
    }

    [Fact]
    public void TheHashOfOneFixedHistoryEntry_IsPinned()
    {
        var context = new CommandContext(Actor.System("checkout-saga"), T0, "cmd-1");

        var entry = HistoryEntry.Seal(2, OrderStatus.Created, OrderStatus.Confirmed, context, "stock reserved, payment authorised",
            new OrderConfirmed(OrderId.From("order-1"), "res-1", "auth-1"), HistoryEntry.Genesis);

        // The stored content (orders.history.v2) and SHA-256 of "orders.history.v2\ngenesis\n" + that content, computed
        // outside .NET (Python's hashlib). Never change these: stored histories depend on them.
        const string content = """{"sequence":2,"from":"CREATED","to":"CONFIRMED","at":"2026-01-01T00:00:00+00:00","reason":"stock reserved, payment authorised","actor":{"kind":"System","id":"checkout-saga"},"causationId":"cmd-1","event":{"type":"order.confirmed","schemaVersion":1,"reservationId":"res-1","paymentAuthorizationId":"auth-1","orderId":"order-1"}}""";
        Assert.Equal(content, entry.Content);
        Assert.Equal("81b74b26b3170db4c5eb936f892f406564bfab39b9e45bc1ee0302aeb61a1759", entry.Hash);

        // The same entry as written before statuses had one spelling (2026-12-05): its bytes and hash stay valid forever
        // and it still reads as the same entry.
        const string legacy = """{"sequence":2,"from":"Created","to":"Confirmed","at":"2026-01-01T00:00:00+00:00","reason":"stock reserved, payment authorised","actor":{"kind":"System","id":"checkout-saga"},"causationId":"cmd-1","event":{"type":"order.confirmed","schemaVersion":1,"reservationId":"res-1","paymentAuthorizationId":"auth-1","orderId":"order-1"}}""";
        Assert.Equal("8954e4d9ffdcbde06183f65d5f44453b96a46402e5df91b9a38c0915e8111b65", HistoryEntry.HashOf(HistoryEntry.Genesis, legacy));
        var read = HistoryEntry.Decode(legacy, HistoryEntry.Genesis, "8954e4d9ffdcbde06183f65d5f44453b96a46402e5df91b9a38c0915e8111b65");
        Assert.Equal((OrderStatus.Created, OrderStatus.Confirmed), (read.From!.Value, read.To));
    }
}
