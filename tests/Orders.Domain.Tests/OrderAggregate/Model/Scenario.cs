using CsCheck;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;
using static Orders.Domain.Tests.TestSupport.TestOrders;

namespace Orders.Domain.Tests.OrderAggregate.Model;

public enum AmountKind
{
    Total,
    Half,
    One,

    /// <summary>Whatever is still refundable according to the model.</summary>
    Rest,
    Excess,
    Zero,
}

/// <summary>
/// One step of a sequence: after moving the clock by <see cref="Advance"/>, either a random command (kind, ids from
/// small pools so that replays and conflicts are common, an amount) or, when <see cref="Guided"/>, one of the
/// commands the model expects to record a fact (chosen by <see cref="Pick"/>), so that long paths get walked too.
/// </summary>
public sealed record Step(bool Guided, int Pick, CommandKind Kind, int IdIndex, int Variant, AmountKind Amount, TimeSpan Advance);

public sealed record CartLine(int Seller, long UnitMinor, int Quantity);

public sealed record Scenario(OrderType Type, Currency Currency, CartLine[] Lines, long ShippingMinor, int ChildPick, Step[] Steps)
{
    public int Sellers => Lines.Select(l => l.Seller).Distinct().Count();

    public override string ToString() =>
        $"{Type} {Currency} lines [{string.Join(", ", Lines.Select(l => $"s{l.Seller}:{l.Quantity}x{l.UnitMinor}"))}] shipping {ShippingMinor} "
        + $"child {ChildPick} steps [{string.Join(", ", Steps.Select(s => s.Guided ? $"guided#{s.Pick}+{s.Advance}" : $"{s.Kind}/{s.IdIndex}/{s.Variant}/{s.Amount}+{s.Advance}"))}]";

    /// <summary>The total, computed independently of the pricing service: the lines plus the fee (no promotions here).</summary>
    public long ExpectedTotal => Lines.Sum(l => l.UnitMinor * l.Quantity) + ShippingMinor;

    public NewOrder ToNewOrder() => new(
        OrderId.From(OrderIdValue), Buyer, Type,
        Lines.Select((l, i) => OrderItem.Snapshot(i + 1, $"sku-{i + 1}", $"prod-{i + 1}", SellerId.From($"seller-{l.Seller}"),
            $"Product {i + 1}", Money.Of(l.UnitMinor, Currency), l.Quantity)).ToArray(),
        [], Money.Of(ShippingMinor, Currency), Home, ReturnWindow, NewOrder.DefaultPaymentWindow);

    public static readonly Gen<TimeSpan> Advances = Gen.Frequency(
        (3, TimeSpan.Zero), (3, TimeSpan.FromMinutes(1)), (4, TimeSpan.FromHours(1)), (3, TimeSpan.FromDays(1)),
        (1, TimeSpan.FromDays(14)), (2, TimeSpan.FromDays(15)));

    public static readonly Gen<Step> Steps_ = Gen.Select(
        Gen.Int[0, 9], Gen.Int[0, 10_000], Gen.Enum<CommandKind>(), Gen.Int[0, 2], Gen.Int[0, 2], Gen.Enum<AmountKind>(), Advances,
        (guided, pick, kind, id, variant, amount, advance) => new Step(guided < 6, pick, kind, id, variant, amount, advance));

    public static readonly Gen<Scenario> Gen_ =
        from type in Gen.Enum<OrderType>()
        from sellers in Gen.Frequency((2, 1), (1, 2), (1, 3))
        from extra in Gen.Int[0, 2]
        from prices in Gen.Select(Gen.Long[1, 50_000], Gen.Int[1, 5]).Array[sellers + extra]
        from currency in Gen.OneOf(Currency.USD, Currency.JPY, Currency.BHD)
        from shipping in Gen.Long[0, 2_000]
        from childPick in Gen.Int[0, 2]
        from steps in Steps_.Array[1, 15]
        select new Scenario(type, currency, prices.Select((p, i) => new CartLine(i % sellers + 1, p.Item1, p.Item2)).ToArray(),
            shipping, childPick, steps);
}
