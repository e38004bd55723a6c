using System.Text;
using System.Text.Json;
using Orders.Contracts.Imports;
using Orders.Contracts.Integration;
using Orders.Contracts.PublicEvents;
using Orders.Domain.OrderAggregate;
using Orders.Domain.Services;
using Orders.Domain.ValueObjects;
using static Orders.Contracts.Imports.LegacyOrderFormat;

namespace Orders.LegacyFiles;

/// <summary>How a generated line is broken (or not).</summary>
public enum LegacyDefect
{
    None,
    ImpossibleTransition,
    ClosedBeforeDelivery,
    TotalsDoNotAddUp,
    RefundExceedsPaid,
    PaymentNotTotal,
    StatusClaimWrong,
    TimeGoesBackwards,
    UnknownPayment,
    InvalidUtf8,
    Truncated,
    MissingMember,
    DuplicateSameContent,
    DuplicateDifferentContent,
}

/// <summary>One generated line and the answer the import must give for it: an outcome, and for a refusal its reason code.</summary>
public sealed record GeneratedLine(byte[] Bytes, LegacyDefect Defect, string ExpectedOutcome, string? ExpectedReason, string SourceOrderId, string FinalStatus);

/// <summary>
/// Realistic legacy orders as a Django-era monolith would export them: one to four lines from one to three sellers,
/// prepaid or cash on delivery, sometimes a discount, an address changed before shipment, partial and full refunds,
/// cancellations, orders still in flight and orders closed years ago — and broken ones: impossible transitions, sums
/// that do not add up, refunds above what was paid, statuses that lie, time running backwards, dangling references,
/// invalid UTF-8, truncated lines, missing members, duplicate source ids. Deterministic for a seed.
/// Every order's life ends before <c>now</c>.
/// </summary>
public sealed class LegacyFileGenerator(int seed, DateTimeOffset now, string system = "django")
{
    private static readonly string[] Shapes =
    [
        "CREATED", "CONFIRMED", "CANCELLED-NEW", "CANCELLED-CONFIRMED", "PAID", "SHIPPED", "DELIVERED-OPEN", "DELIVERED-PAST",
        "CLOSED", "CLOSED-AFTER-PARTIAL", "REFUNDED-PAID", "REFUNDED-DELIVERED-CLOSED", "COD-SHIPPED", "COD-CLOSED", "CLOSED-ADDRESS",
    ];

    private readonly Random _random = new(seed);
    private readonly List<(string SourceId, byte[] Bytes, LegacyOrderV1 Order)> _recent = [];

    public string System => system;

    /// <summary>The id an imported line's order gets.</summary>
    public string OrderIdOf(string sourceOrderId) => $"{system}-{sourceOrderId}";

    /// <summary>
    /// <paramref name="count"/> lines, a share <paramref name="brokenShare"/> of them broken (kinds in turn).
    /// </summary>
    public IEnumerable<GeneratedLine> Lines(int count, double brokenShare = 0.0)
    {
        var defects = Enum.GetValues<LegacyDefect>().Where(d => d != LegacyDefect.None).ToArray();
        var nextDefect = 0;
        for (var i = 0; i < count; i++)
        {
            if (_random.NextDouble() < brokenShare)
                yield return Broken(i, defects[nextDefect++ % defects.Length]);
            else
                yield return Good(i);
        }
    }

    /// <summary>A valid order of the given shape (see the shapes list), or a random one.</summary>
    public LegacyOrderV1 Order(int index, string? shape = null)
    {
        shape ??= Shapes[_random.Next(Shapes.Length)];
        return Build($"{seed}-{index}", shape, now - TimeSpan.FromDays(60) - TimeSpan.FromMinutes(_random.Next(60, 3 * 365 * 24 * 60)));
    }

    /// <summary>A valid order of a shape whose life starts at <paramref name="createdAt"/>.</summary>
    public LegacyOrderV1 Order(string sourceOrderId, string shape, DateTimeOffset createdAt) => Build(sourceOrderId, shape, createdAt);

    public static IReadOnlyList<string> AllShapes => Shapes;

    /// <summary>One line with the given defect (a good one for <see cref="LegacyDefect.None"/>), with the answer it must get.</summary>
    public GeneratedLine Line(int index, LegacyDefect defect) => defect == LegacyDefect.None ? Good(index) : Broken(index, defect);

    public static byte[] Serialize(LegacyOrderV1 order) => JsonSerializer.SerializeToUtf8Bytes(order, ContractJson.Options);

    /// <summary>Writes lines to a stream, LF-terminated; returns them without their bytes kept when <paramref name="keep"/> is false.</summary>
    public static void Write(Stream stream, IEnumerable<GeneratedLine> lines, Action<GeneratedLine>? each = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(lines);
        foreach (var line in lines)
        {
            stream.Write(line.Bytes);
            stream.WriteByte((byte)'\n');
            each?.Invoke(line);
        }
    }

    private GeneratedLine Good(int index)
    {
        var order = Order(index);
        var bytes = Serialize(order);
        Remember(order.Source.OrderId, bytes, order);
        return new GeneratedLine(bytes, LegacyDefect.None, "imported", null, order.Source.OrderId, order.Status);
    }

    private void Remember(string sourceId, byte[] bytes, LegacyOrderV1 order)
    {
        _recent.Add((sourceId, bytes, order));
        if (_recent.Count > 64) _recent.RemoveAt(0);
    }

    private GeneratedLine Broken(int index, LegacyDefect defect)
    {
        string id = $"{seed}-{index}";
        DateTimeOffset created = now - TimeSpan.FromDays(60 + _random.Next(0, 700));
        LegacyOrderV1 order;
        string? reason;
        switch (defect)
        {
            case LegacyDefect.ImpossibleTransition:
                // Prepaid and shipped without ever being paid: CONFIRMED → SHIPPED is for cash on delivery only.
                order = Build(id, "SHIPPED", created);
                order = order with
                {
                    History = [.. order.History.Where(f => f.Event != Events.Paid)],
                    Payments = [.. order.Payments.Select(p => p)],
                };
                reason = "order.not-shippable";
                break;
            case LegacyDefect.ClosedBeforeDelivery:
                order = Build(id, "PAID", created);
                order = order with { Status = "CLOSED", History = [.. order.History, Fact(order, "x", order.History[^1].At.AddDays(1), Events.Closed, "CLOSED", Ops(), null)] };
                reason = "order.not-closable";
                break;
            case LegacyDefect.TotalsDoNotAddUp:
                order = Build(id, "CLOSED", created);
                order = order with { Totals = order.Totals with { Total = order.Totals.Total with { Minor = order.Totals.Total.Minor + 1 } } };
                reason = "import.totals-mismatch";
                break;
            case LegacyDefect.RefundExceedsPaid:
                order = Build(id, "CLOSED-AFTER-PARTIAL", created);
                order = order with { Refunds = [.. order.Refunds.Select(r => r with { Amount = r.Amount with { Minor = order.Totals.Total.Minor + 100 } })] };
                reason = "order.refund-exceeds-paid";
                break;
            case LegacyDefect.PaymentNotTotal:
                order = Build(id, "PAID", created);
                order = order with { Payments = [.. order.Payments.Select(p => p with { Amount = p.Amount with { Minor = p.Amount.Minor - 1 } })] };
                reason = "order.payment-mismatch";
                break;
            case LegacyDefect.StatusClaimWrong:
                order = Build(id, "DELIVERED-PAST", created);
                order = order with { Status = "CLOSED" };
                reason = "import.status-mismatch";
                break;
            case LegacyDefect.TimeGoesBackwards:
                order = Build(id, "SHIPPED", created);
                var facts = order.History.ToArray();
                facts[^1] = facts[^1] with { At = facts[^2].At.AddMinutes(-5) };
                order = order with { History = facts };
                reason = "import.history-out-of-order";
                break;
            case LegacyDefect.UnknownPayment:
                order = Build(id, "PAID", created);
                order = order with { History = [.. order.History.Select(f => f.Event == Events.Paid ? f with { PaymentId = "no-such-payment" } : f)] };
                reason = "import.unknown-reference";
                break;
            case LegacyDefect.InvalidUtf8:
            {
                order = Build(id, "CLOSED", created);
                order = order with { Items = [.. order.Items.Select((it, i) => i == 0 ? it with { Title = "Caf\u00e9 au lait" } : it)] };
                var bytes = Serialize(order);
                var at = bytes.AsSpan().IndexOf("\u00e9"u8);
                bytes[at] = 0xC3; bytes[at + 1] = 0x28; // a lead byte followed by '(' is not UTF-8
                return new GeneratedLine(bytes, defect, "refused", "import.invalid-encoding", id, order.Status);
            }
            case LegacyDefect.Truncated:
            {
                order = Build(id, "DELIVERED-PAST", created);
                var bytes = Serialize(order);
                return new GeneratedLine(bytes[..(bytes.Length * 2 / 3)], defect, "refused", "import.malformed-json", id, order.Status);
            }
            case LegacyDefect.MissingMember:
            {
                order = Build(id, "PAID", created);
                var text = Encoding.UTF8.GetString(Serialize(order)).Replace("\"returnWindowDays\":", "\"returnWindow\":", StringComparison.Ordinal);
                return new GeneratedLine(Encoding.UTF8.GetBytes(text), defect, "refused", "import.invalid-record", id, order.Status);
            }
            case LegacyDefect.DuplicateSameContent when _recent.Count > 0:
            {
                var earlier = _recent[_random.Next(_recent.Count)];
                return new GeneratedLine(earlier.Bytes, defect, "already-imported", null, earlier.SourceId, earlier.Order.Status);
            }
            case LegacyDefect.DuplicateDifferentContent when _recent.Count > 0:
            {
                var earlier = _recent[_random.Next(_recent.Count)];
                var changed = earlier.Order with { BuyerId = earlier.Order.BuyerId + "-x" };
                return new GeneratedLine(Serialize(changed), defect, "refused", "import.source-id-conflict", earlier.SourceId, changed.Status);
            }
            default:
                return Good(index);
        }
        return new GeneratedLine(Serialize(order), defect, "refused", reason, id, order.Status);
    }

    private LegacyOrderV1 Build(string sourceOrderId, string shape, DateTimeOffset createdAt)
    {
        createdAt = new DateTimeOffset(createdAt.UtcTicks - createdAt.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        var cod = shape.StartsWith("COD", StringComparison.Ordinal);
        var currency = _random.Next(10) == 0 ? "JPY" : "EUR";
        var scale = currency == "JPY" ? 1 : 100;
        var sellers = Enumerable.Range(1, _random.Next(1, 4)).Select(_ => $"seller-{_random.Next(1, 200)}").Distinct().ToArray();
        var items = Enumerable.Range(1, _random.Next(1, 5)).Select(line => new LegacyItemV1(line, $"sku-{_random.Next(1, 500) * 10 + line}",
            $"product-{_random.Next(1, 2000)}", sellers[_random.Next(sellers.Length)], Titles[_random.Next(Titles.Length)],
            new MoneyAmount(_random.Next(1, 200) * scale + (scale == 1 ? 0 : _random.Next(0, 100)), currency), _random.Next(1, 4),
            _random.Next(3) == 0 ? new Dictionary<string, string> { ["size"] = Sizes[_random.Next(Sizes.Length)] } : new Dictionary<string, string>(),
            null)).ToArray();
        var discounts = _random.Next(4) == 0 ? new[] { new LegacyDiscountV1("SPRING" + _random.Next(10, 99), new MoneyAmount(_random.Next(1, 5) * scale, currency), null) } : [];
        var fee = new MoneyAmount(_random.Next(0, 8) * scale, currency);
        var address = new ShippingAddressV1($"Customer {_random.Next(1, 100000)}", $"{_random.Next(1, 300)} Main Street", _random.Next(3) == 0 ? "Flat 2" : null,
            Cities[_random.Next(Cities.Length)], $"{_random.Next(10000, 99999)}", "DE");

        // The legacy system's totals, as it would have printed them (priced the way Orders prices, for a good line).
        var pricing = OrderPricingService.Price(
            [.. items.Select(i => OrderItem.Snapshot(i.Line, i.Sku, i.ProductId, SellerId.From(i.SellerId), i.Title, Money.Of(i.UnitPrice.Minor, Currency.Of(currency)), i.Quantity, i.Attributes))],
            [.. discounts.Select(d => new Promotion(d.Code, PromotionKind.AmountOff, d.Amount.Minor))], Money.Of(fee.Minor, Currency.Of(currency)));
        var totals = new LegacyTotalsV1(Amount(pricing.Subtotal), Amount(pricing.Discount), Amount(pricing.Shipping), Amount(pricing.Total));
        var total = totals.Total;
        var buyer = $"buyer-{_random.Next(1, 50000)}";
        var returnDays = _random.Next(2) == 0 ? 14 : 30;

        var history = new List<LegacyFactV1>();
        var payments = new List<LegacyPaymentV1>();
        var shipments = new List<LegacyShipmentV1>();
        var refunds = new List<LegacyRefundV1>();
        var at = createdAt;
        var n = 0;
        LegacyFactV1 Add(string e, string status, ActorV1 actor, string? reason = null, string? payment = null, string? shipment = null, string? refund = null, ShippingAddressV1? addr = null)
        {
            var fact = new LegacyFactV1($"{sourceOrderId}-h{++n}", at, e, status, actor, reason, payment, shipment, refund, addr);
            history.Add(fact);
            return fact;
        }
        void Later(double minutes) => at = at.AddSeconds(Math.Round(minutes * 60 * (0.5 + _random.NextDouble())));

        var buyerActor = new ActorV1(PublicActorKind.Buyer, buyer);
        Add(Events.Created, "CREATED", buyerActor);
        if (shape == "CREATED") return Assemble();
        if (shape == "CANCELLED-NEW") { Later(10); Add(Events.Cancelled, "CANCELLED", buyerActor, "changed my mind"); return Assemble(); }

        if (shape == "CLOSED-ADDRESS") { Later(2); Add(Events.AddressChanged, "CREATED", buyerActor, "moved house", addr: address with { Line1 = "9 New Road" }); }
        Later(1);
        var card = new LegacyPaymentV1($"pay-{sourceOrderId}", $"psp-{sourceOrderId}", cod ? Methods.CashOnDelivery : Methods.Card, cod ? null : $"auth-{sourceOrderId}", total);
        if (!cod) payments.Add(card); // a card authorisation exists from confirmation; cash only once collected
        Add(Events.Confirmed, "CONFIRMED", Sys("checkout"));
        if (shape == "CONFIRMED") return Assemble();
        if (shape == "CANCELLED-CONFIRMED") { Later(20); Add(Events.Cancelled, "CANCELLED", Ops(), "out of stock at the warehouse"); return Assemble(); }

        if (!cod)
        {
            Later(5);
            Add(Events.Paid, "PAID", Sys("payments"), payment: card.PaymentId);
            if (shape == "PAID") return Assemble();
            if (shape == "REFUNDED-PAID")
            {
                Later(60);
                refunds.Add(new LegacyRefundV1($"rf-{sourceOrderId}", $"refund-{sourceOrderId}", total, "buyer asked before shipment"));
                Add(Events.RefundRequested, "PAID", buyerActor, "buyer asked before shipment", refund: $"refund-{sourceOrderId}");
                Later(30);
                Add(Events.Refunded, "REFUNDED", Sys("payments"), refund: $"refund-{sourceOrderId}");
                return Assemble();
            }
        }
        Later(24 * 60);
        shipments.Add(new LegacyShipmentV1($"shp-{sourceOrderId}", $"parcel-{sourceOrderId}", Carriers[_random.Next(Carriers.Length)], $"TRK{_random.Next(100000, 999999)}"));
        Add(Events.Shipped, "SHIPPED", Sys("warehouse"), shipment: $"parcel-{sourceOrderId}");
        if (shape is "SHIPPED" or "COD-SHIPPED") return Assemble();

        Later(2 * 24 * 60);
        Add(Events.Delivered, "DELIVERED", Sys("carrier"), shipment: $"parcel-{sourceOrderId}");
        var deliveredAt = at;
        if (cod) { Later(60); payments.Add(card); Add(Events.CashCollected, "DELIVERED", Sys("courier"), payment: card.PaymentId); }
        if (shape == "DELIVERED-OPEN") return Assemble();
        if (shape == "CLOSED-AFTER-PARTIAL")
        {
            Later(3 * 24 * 60);
            var part = new MoneyAmount(Math.Max(1, total.Minor / 4), currency);
            refunds.Add(new LegacyRefundV1($"rf-{sourceOrderId}", $"refund-{sourceOrderId}", part, "one item arrived damaged"));
            Add(Events.RefundRequested, "DELIVERED", buyerActor, "one item arrived damaged", refund: $"refund-{sourceOrderId}");
            Later(60);
            Add(Events.Refunded, "DELIVERED", Sys("payments"), refund: $"refund-{sourceOrderId}");
        }
        if (shape == "REFUNDED-DELIVERED-CLOSED")
        {
            Later(2 * 24 * 60);
            refunds.Add(new LegacyRefundV1($"rf-{sourceOrderId}", $"refund-{sourceOrderId}", total, "returned"));
            Add(Events.RefundRequested, "DELIVERED", buyerActor, "returned", refund: $"refund-{sourceOrderId}");
            Later(2 * 24 * 60);
            Add(Events.Refunded, "REFUNDED", Sys("payments"), refund: $"refund-{sourceOrderId}");
            Later(5);
            Add(Events.Closed, "CLOSED", Sys("refunds"));
            return Assemble();
        }
        if (shape == "DELIVERED-PAST") return Assemble();
        at = deliveredAt.AddDays(returnDays).AddHours(1 + _random.Next(0, 48));
        if (at < history[^1].At) at = history[^1].At.AddMinutes(1);
        Add(Events.Closed, "CLOSED", Sys("nightly-close"));
        return Assemble();

        LegacyOrderV1 Assemble() => new(V1, new LegacySourceV1(system, sourceOrderId), buyer, cod ? "CASH_ON_DELIVERY" : "PREPAID", createdAt, returnDays,
            items, discounts, fee, address, totals, history[^1].Status, _random.Next(2) == 0 ? null : $"wh-{sourceOrderId}", [.. history],
            [.. payments], [.. shipments], [.. refunds]);
    }

    private static LegacyFactV1 Fact(LegacyOrderV1 order, string suffix, DateTimeOffset at, string e, string status, ActorV1 actor, string? reason) =>
        new($"{order.Source.OrderId}-{suffix}", at, e, status, actor, reason);

    private static MoneyAmount Amount(Money money) => new(money.Minor, money.Currency.Code);

    private static ActorV1 Sys(string id) => new(PublicActorKind.System, id);

    private ActorV1 Ops() => new(PublicActorKind.Operator, $"ops-{_random.Next(1, 20)}");

    private static readonly string[] Titles = ["Green tea 100 g", "Ceramic mug", "Linen tea towel", "Espresso cups (set of 2)", "Bamboo whisk", "Kettle, 1.2 l", "Oolong sampler", "Teapot with infuser"];
    private static readonly string[] Sizes = ["S", "M", "L", "XL"];
    private static readonly string[] Cities = ["Berlin", "Hamburg", "München", "Köln", "Leipzig", "Düsseldorf"];
    private static readonly string[] Carriers = ["DHL", "DPD", "Hermes", "GLS", "UPS"];
}
