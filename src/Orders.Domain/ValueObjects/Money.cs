using System.Globalization;
using Orders.Domain.Common;

namespace Orders.Domain.ValueObjects;

/// <summary>
/// A non-negative amount in a currency's minor units (cents, yen, fils). Arithmetic is checked: mixed currencies,
/// overflow and results below zero throw, so an amount that exists is always a valid amount.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(MoneyJsonConverter))]
public readonly record struct Money
{
    private readonly Currency? _currency;

    public Money(long minor, Currency currency)
    {
        ArgumentNullException.ThrowIfNull(currency);
        if (minor < 0)
            throw new DomainException("money.negative", $"An amount must not be negative ({minor} {currency.Code}).");
        Minor = minor;
        _currency = currency;
    }

    public long Minor { get; }

    public Currency Currency => _currency ?? throw new DomainException("money.uninitialised", "This Money was never given a currency.");

    public static Money Of(long minor, Currency currency) => new(minor, currency);

    public static Money Zero(Currency currency) => new(0, currency);

    public bool IsZero => Minor == 0;

    public static Money operator +(Money a, Money b)
    {
        SameCurrency(a, b);
        try { return new(checked(a.Minor + b.Minor), a.Currency); }
        catch (OverflowException) { throw new MoneyOverflowException("addition"); }
    }

    public static Money operator -(Money a, Money b)
    {
        SameCurrency(a, b);
        if (b.Minor > a.Minor)
            throw new DomainException("money.negative", $"{a} minus {b} would be negative.");
        return new(a.Minor - b.Minor, a.Currency);
    }

    public Money Times(long factor)
    {
        if (factor < 0)
            throw new DomainException("money.negative", "An amount cannot be multiplied by a negative factor.");
        try { return new(checked(Minor * factor), Currency); }
        catch (OverflowException) { throw new MoneyOverflowException("multiplication"); }
    }

    public static bool operator <(Money a, Money b) => SameCurrency(a, b).Minor < b.Minor;

    public static bool operator >(Money a, Money b) => SameCurrency(a, b).Minor > b.Minor;

    public static bool operator <=(Money a, Money b) => SameCurrency(a, b).Minor <= b.Minor;

    public static bool operator >=(Money a, Money b) => SameCurrency(a, b).Minor >= b.Minor;

    public static Money Min(Money a, Money b) => a <= b ? a : b;

    /// <summary>Sums amounts of one currency; an empty sequence is zero in <paramref name="currency"/>.</summary>
    public static Money Sum(IEnumerable<Money> amounts, Currency currency)
    {
        ArgumentNullException.ThrowIfNull(amounts);
        var total = Zero(currency);
        foreach (var amount in amounts) total += amount;
        return total;
    }

    /// <summary>
    /// Splits this amount into parts proportional to <paramref name="weights"/> by the largest-remainder method:
    /// the parts always sum to the whole, none is negative, and ties go to the earlier index, so the result is
    /// deterministic. All-zero weights split evenly.
    /// </summary>
    public IReadOnlyList<Money> Allocate(IReadOnlyList<long> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Count == 0)
            throw new DomainException("money.allocation-empty", "An amount cannot be allocated to zero parts.");
        if (weights.Any(w => w < 0))
            throw new DomainException("money.allocation-negative", "Allocation weights must not be negative.");

        var effective = weights.All(w => w == 0) ? weights.Select(_ => 1L).ToArray() : weights.ToArray();
        Int128 totalWeight = 0;
        foreach (var w in effective) totalWeight += w;

        var parts = new long[effective.Length];
        var remainders = new Int128[effective.Length];
        long allocated = 0;
        for (var i = 0; i < effective.Length; i++)
        {
            var exact = (Int128)Minor * effective[i];
            parts[i] = (long)(exact / totalWeight);
            remainders[i] = exact % totalWeight;
            allocated += parts[i];
        }

        var leftover = Minor - allocated; // always < number of parts
        foreach (var i in Enumerable.Range(0, parts.Length).OrderByDescending(i => remainders[i]).ThenBy(i => i).Take((int)leftover))
            parts[i]++;

        var currency = Currency;
        return parts.Select(p => new Money(p, currency)).ToArray();
    }

    /// <summary><paramref name="basisPoints"/>/10,000 of this amount, rounded half up to the minor unit.</summary>
    public Money Percent(long basisPoints)
    {
        if (basisPoints is < 0 or > 10_000)
            throw new DomainException("money.percent-range", "A percentage must be between 0 and 10,000 basis points.");
        var value = ((Int128)Minor * basisPoints + 5_000) / 10_000;
        return new((long)value, Currency);
    }

    public override string ToString()
    {
        if (_currency is null) return "(no currency)";
        var exponent = _currency.Exponent;
        var scale = (long)Math.Pow(10, exponent);
        var text = exponent == 0
            ? Minor.ToString(CultureInfo.InvariantCulture)
            : $"{Minor / scale}.{(Minor % scale).ToString(CultureInfo.InvariantCulture).PadLeft(exponent, '0')}";
        return $"{text} {_currency.Code}";
    }

    private static Money SameCurrency(Money a, Money b) =>
        a.Currency == b.Currency ? a : throw new CurrencyMismatchException(a.Currency.Code, b.Currency.Code);
}
