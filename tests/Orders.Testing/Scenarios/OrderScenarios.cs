using Orders.Application.Ports.Outbound;
using Orders.Domain.Common;
using Orders.Domain.OrderAggregate;
using Orders.Domain.Services;
using Orders.Domain.ValueObjects;

namespace Orders.Testing.Scenarios;

/// <summary>
/// Real orders driven through the domain's own commands, so that every kind of fact the domain can record appears at
/// least once: prepaid and cash on delivery, partial and full refunds (from PAID and from DELIVERED), cancellations
/// from CREATED and CONFIRMED, a split with its children, an address change, closing after the return window.
/// Shared by the contract tests (every fact maps to its public event) and the parity tests of what is read from an
/// order's stored state instead of its history (<see cref="Prefixes"/>: the order after each of its facts).
/// </summary>
public static class OrderScenarios
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly SellerId SellerA = SellerId.From("seller-a");
    private static readonly SellerId SellerB = SellerId.From("seller-b");
    private static readonly Actor Checkout = Actor.System("checkout-saga");

    /// <summary>Every stored event of every scenario, in each order's sequence.</summary>
    public static IReadOnlyList<StoredEvent> AllStoredEvents() =>
        All().SelectMany(s => s.Orders).SelectMany(Stored).ToArray();

    /// <summary>Every scenario order as it stood after each of its facts (rebuilt from its history's prefixes).</summary>
    public static IEnumerable<Order> Prefixes() =>
        All().SelectMany(s => s.Orders).SelectMany(order =>
            Enumerable.Range(1, order.History.Count).Select(n => Order.FromHistory(order.History.Take(n))));

    public static IReadOnlyList<StoredEvent> Stored(Order order) =>
        order.History.Select(entry => new StoredEvent(order.Id, entry)).ToArray();

    public static IReadOnlyList<(string Name, IReadOnlyList<Order> Orders)> All() =>
    [
        ("prepaid: address change, partial refund while paid, ship, deliver, full refund, close", [PrepaidWithRefunds()]),
        ("prepaid: full refund before shipment, close", [PrepaidRefundedBeforeShipment()]),
        ("prepaid: delivered and closed after the return window", [PrepaidClosedAfterReturnWindow()]),
        ("cash on delivery: ship, deliver, cash collected, close", [CashOnDelivery()]),
        ("cancelled while created", [CancelledWhileCreated()]),
        ("cancelled while confirmed", [CancelledWhileConfirmed()]),
        ("split into one order per seller", SplitOrders()),
        ("operator: lost parcel refunded (SHIPPED -> REFUNDED), refund settled manually after a retry, closed", [LostParcelRefunded()]),
        ("operator: lost parcel replaced, the replacement delivered", [LostParcelReplaced()]),
        ("payment captured after cancellation, returned; stuck flag acknowledged", [LateCaptureReturned()]),
    ];

    public static Order LostParcelRefunded()
    {
        var clock = new Clock(Start);
        var order = New("ord-1101", OrderType.Prepaid, clock,
            items: [OrderItem.Snapshot(1, "SKU-LAMP", "prod-9", SellerA, "Desk lamp", Money.Of(4_500, Currency.EUR), 1)],
            promotions: [], shippingFee: Money.Of(500, Currency.EUR));
        var ops = Actor.Operator("ops-1");
        Ok(order.Confirm("res-1101", "auth-1101", clock.Next(Checkout, "evt-stock-reserved-1101")));
        Ok(order.MarkPaid("pay-1101", order.Total, clock.Next(Checkout, "evt-payment-captured-1101")));
        Ok(order.Ship("shp-1101", "DHL", "JD1101", clock.Next(Actor.System("fulfillment-saga"), "evt-shipment-created-1101")));
        Ok(order.RefundLostParcel("shp-1101", "lost-shp-1101", "carrier confirmed the loss", clock.Next(ops, "cmd-lost-1101")));
        Ok(order.RecordSagaRetry("refund-ord-1101|lost-shp-1101", "payments was down", clock.Next(ops, "cmd-retry-1101")));
        Ok(order.SettleRefundManually("lost-shp-1101", "bank-transfer-77", "card expired, paid by transfer", clock.Next(ops, "cmd-settle-1101")));
        Ok(order.Close(clock.Next(Actor.System("refund-saga"), "saga-refund-1101")));
        return order;
    }

    public static Order LostParcelReplaced()
    {
        var clock = new Clock(Start);
        var order = New("ord-1102", OrderType.Prepaid, clock,
            items: [OrderItem.Snapshot(1, "SKU-KETTLE", "prod-8", SellerB, "Kettle", Money.Of(3_000, Currency.USD), 1)],
            promotions: [], shippingFee: Money.Zero(Currency.USD));
        Ok(order.Confirm("res-1102", "auth-1102", clock.Next(Checkout, "evt-stock-reserved-1102")));
        Ok(order.MarkPaid("pay-1102", order.Total, clock.Next(Checkout, "evt-payment-captured-1102")));
        Ok(order.Ship("shp-1102", "UPS", "1Z1102", clock.Next(Actor.System("fulfillment-saga"), "evt-shipment-created-1102")));
        Ok(order.ReplaceLostParcel("shp-1102", "lost in transit, send another", clock.Next(Actor.Operator("ops-1"), "cmd-lost-1102")));
        Ok(order.Ship("shp-1102-r", "UPS", "1Z1102R", clock.Next(Actor.System("fulfillment-saga"), "evt-shipment-created-1102-r")));
        Ok(order.Deliver("shp-1102-r", clock.Next(Actor.System("fulfillment-saga"), "evt-shipment-delivered-1102-r")));
        return order;
    }

    public static Order LateCaptureReturned()
    {
        var clock = new Clock(Start);
        var order = New("ord-1103", OrderType.Prepaid, clock,
            items: [OrderItem.Snapshot(1, "SKU-TEA", "prod-7", SellerA, "Green tea", Money.Of(1_250, Currency.EUR), 2)],
            promotions: [], shippingFee: Money.Zero(Currency.EUR));
        Ok(order.Confirm("res-1103", "auth-1103", clock.Next(Checkout, "evt-stock-reserved-1103")));
        Ok(order.Cancel("changed my mind", clock.Next(Actor.Buyer(order.BuyerId), "cmd-cancel-1103")));
        Ok(order.ReturnLateCapture("pay-1103", order.Total, "late-capture-pay-1103", "payment captured after the order was cancelled",
            clock.Next(Actor.System("payments-integration"), "evt-payment-captured-1103")));
        Ok(order.AcknowledgeStuck("saga-failed", "payments are slow today; watching it", clock.Next(Actor.Operator("ops-2"), "cmd-ack-1103")));
        Ok(order.RecordRefund("late-capture-pay-1103", clock.Next(Actor.System("refund-saga"), "evt-payment-reversed-1103")));
        return order;
    }

    public static Order PrepaidWithRefunds()
    {
        var clock = new Clock(Start);
        var order = New("ord-1001", OrderType.Prepaid, clock,
            items:
            [
                OrderItem.Snapshot(1, "SKU-RED-M", "prod-1", SellerA, "Red shirt, size M", Money.Of(2_499, Currency.USD), 2,
                    new Dictionary<string, string> { ["size"] = "M", ["colour"] = "red" }),
                OrderItem.Snapshot(2, "SKU-MUG", "prod-2", SellerA, "Mug “café” ☕", Money.Of(1_250, Currency.USD), 1),
            ],
            promotions: [new Promotion("SPRING10", PromotionKind.PercentOff, 1_000)],
            shippingFee: Money.Of(499, Currency.USD));
        var buyer = Actor.Buyer(order.BuyerId);
        Ok(order.ChangeShippingAddress(new ShippingAddress("Ada Lovelace", "1 New Street", null, "London", "N1 1AA", "GB"), clock.Next(buyer, "cmd-address")));
        Ok(order.Confirm("res-1001", "auth-1001", clock.Next(Checkout, "evt-stock-reserved-1001")));
        Ok(order.MarkPaid("pay-1001", order.Total, clock.Next(Checkout, "evt-payment-captured-1001")));
        Ok(order.RequestRefund("ref-1001-a", Money.Of(500, Currency.USD), "goodwill for a late dispatch", clock.Next(Actor.Operator("op-7"), "cmd-refund-a")));
        Ok(order.RecordRefund("ref-1001-a", clock.Next(Actor.System("refund-saga"), "evt-payment-reversed-a")));
        Ok(order.Ship("shp-1001", "DHL", "JD0123456789", clock.Next(Actor.System("fulfillment-saga"), "evt-shipment-created-1001")));
        Ok(order.Deliver("shp-1001", clock.Next(Actor.System("fulfillment-saga"), "evt-shipment-delivered-1001")));
        Ok(order.RequestRefund("ref-1001-b", order.RefundableAmount, "returned", clock.Next(buyer, "cmd-refund-b")));
        Ok(order.RecordRefund("ref-1001-b", clock.Next(Actor.System("refund-saga"), "evt-payment-reversed-b")));
        Ok(order.Close(clock.Next(Actor.System("refund-saga"), "saga-refund-1001")));
        return order;
    }

    public static Order PrepaidRefundedBeforeShipment()
    {
        var clock = new Clock(Start);
        var order = New("ord-1002", OrderType.Prepaid, clock,
            items: [OrderItem.Snapshot(1, "SKU-BOOK", "prod-3", SellerB, "A book", Money.Of(1_999, Currency.EUR), 1)],
            promotions: [], shippingFee: Money.Zero(Currency.EUR));
        Ok(order.Confirm("res-1002", "auth-1002", clock.Next(Checkout, "evt-stock-reserved-1002")));
        Ok(order.MarkPaid("pay-1002", order.Total, clock.Next(Checkout, "evt-payment-captured-1002")));
        Ok(order.RequestRefund("ref-1002", order.Total, "changed my mind", clock.Next(Actor.Buyer(order.BuyerId), "cmd-refund-1002")));
        Ok(order.RecordRefund("ref-1002", clock.Next(Actor.System("refund-saga"), "evt-payment-reversed-1002")));
        Ok(order.Close(clock.Next(Actor.System("refund-saga"), "saga-refund-1002")));
        return order;
    }

    public static Order PrepaidClosedAfterReturnWindow()
    {
        var clock = new Clock(Start);
        var order = New("ord-1003", OrderType.Prepaid, clock,
            items: [OrderItem.Snapshot(1, "SKU-TV", "prod-4", SellerA, "Television", Money.Of(59_900, Currency.JPY), 1)],
            promotions: [new Promotion("FLAT1000", PromotionKind.AmountOff, 1_000)], shippingFee: Money.Of(800, Currency.JPY));
        Ok(order.Confirm("res-1003", "auth-1003", clock.Next(Checkout, "evt-stock-reserved-1003")));
        Ok(order.MarkPaid("pay-1003", order.Total, clock.Next(Checkout, "evt-payment-captured-1003")));
        Ok(order.Ship("shp-1003", "Yamato", "YM-42", clock.Next(Actor.System("fulfillment-saga"), "evt-shipment-created-1003")));
        Ok(order.Deliver("shp-1003", clock.Next(Actor.System("fulfillment-saga"), "evt-shipment-delivered-1003")));
        clock.Advance(order.ReturnWindow + TimeSpan.FromHours(1));
        Ok(order.Close(clock.Next(Actor.System("close-orders-job"), "job-close-2025-03-16")));
        return order;
    }

    public static Order CashOnDelivery()
    {
        var clock = new Clock(Start);
        var order = New("ord-1004", OrderType.CashOnDelivery, clock,
            items: [OrderItem.Snapshot(1, "SKU-LAMP", "prod-5", SellerB, "Desk lamp", Money.Of(12_500, Currency.BHD), 1)],
            promotions: [], shippingFee: Money.Of(1_000, Currency.BHD));
        Ok(order.Confirm("res-1004", null, clock.Next(Checkout, "evt-stock-reserved-1004")));
        Ok(order.Ship("shp-1004", "Aramex", "AX-9", clock.Next(Actor.System("fulfillment-saga"), "evt-shipment-created-1004")));
        Ok(order.Deliver("shp-1004", clock.Next(Actor.System("fulfillment-saga"), "evt-shipment-delivered-1004")));
        Ok(order.RecordCashCollected("cod-1004", order.Total, clock.Next(Actor.System("shipping-integration"), "evt-cod-cash-collected-1004")));
        clock.Advance(order.ReturnWindow + TimeSpan.FromMinutes(1));
        Ok(order.Close(clock.Next(Actor.System("close-orders-job"), "job-close-1004")));
        return order;
    }

    public static Order CancelledWhileCreated()
    {
        var clock = new Clock(Start);
        var order = New("ord-1005", OrderType.Prepaid, clock,
            items: [OrderItem.Snapshot(1, "SKU-PEN", "prod-6", SellerA, "Pen", Money.Of(300, Currency.USD), 3)],
            promotions: [], shippingFee: Money.Of(100, Currency.USD));
        Ok(order.Cancel("buyer changed their mind", clock.Next(Actor.Buyer(order.BuyerId), "cmd-cancel-1005")));
        return order;
    }

    public static Order CancelledWhileConfirmed()
    {
        var clock = new Clock(Start);
        var order = New("ord-1006", OrderType.Prepaid, clock,
            items: [OrderItem.Snapshot(1, "SKU-CUP", "prod-7", SellerA, "Cup", Money.Of(800, Currency.USD), 1)],
            promotions: [], shippingFee: Money.Zero(Currency.USD));
        Ok(order.Confirm("res-1006", "auth-1006", clock.Next(Checkout, "evt-stock-reserved-1006")));
        clock.Advance(TimeSpan.FromMinutes(45));
        Ok(order.Cancel("payment not captured in time", clock.Next(Actor.System("auto-cancel-job"), "job-auto-cancel-1006")));
        return order;
    }

    /// <summary>The parent (CREATED → SPLIT) and its two children (CREATED, with splitFrom).</summary>
    public static IReadOnlyList<Order> SplitOrders()
    {
        var clock = new Clock(Start);
        var order = New("ord-1007", OrderType.Prepaid, clock,
            items:
            [
                OrderItem.Snapshot(1, "SKU-A1", "prod-a1", SellerA, "Thing from A", Money.Of(1_001, Currency.USD), 3),
                OrderItem.Snapshot(2, "SKU-B1", "prod-b1", SellerB, "Thing from B", Money.Of(2_003, Currency.USD), 1),
                OrderItem.Snapshot(3, "SKU-A2", "prod-a2", SellerA, "Other thing from A", Money.Of(7, Currency.USD), 5),
            ],
            promotions: [new Promotion("A5OFF", PromotionKind.AmountOff, 500, SellerA), new Promotion("ALL3", PromotionKind.PercentOff, 300)],
            shippingFee: Money.Of(999, Currency.USD));
        var outcome = order.Split(clock.Next(Actor.System("checkout-saga"), "cmd-split-1007")).Unwrap();
        return [outcome.Parent, .. outcome.Children];
    }

    private static Order New(string id, OrderType type, Clock clock, IReadOnlyList<OrderItem> items, IReadOnlyList<Promotion> promotions, Money shippingFee)
    {
        var buyer = BuyerId.From("buyer-" + id);
        var order = new NewOrder(OrderId.From(id), buyer, type, items, promotions, shippingFee,
            new ShippingAddress("Grace Hopper", "42 Harbour Road", "Flat 3", "Arlington", "22201", "US"),
            NewOrder.DefaultReturnWindow, NewOrder.DefaultPaymentWindow);
        return Order.Create(order, clock.Next(Actor.Buyer(buyer), "cmd-create-" + id)).Unwrap();
    }

    private static void Ok(Rejection? rejection)
    {
        if (rejection is not null) throw new InvalidOperationException($"The command was refused: {rejection.Code} {rejection.Message}");
    }

    /// <summary>Time moves forward a minute per command (and on demand), in UTC.</summary>
    private sealed class Clock(DateTimeOffset start)
    {
        private DateTimeOffset _now = start;

        public void Advance(TimeSpan span) => _now += span;

        public CommandContext Next(Actor actor, string causationId)
        {
            _now += TimeSpan.FromMinutes(1);
            return new CommandContext(actor, _now, causationId);
        }
    }
}
