using CsCheck;
using Orders.Domain.Common;
using Orders.Domain.ValueObjects;

namespace Orders.Domain.Tests.ValueObjects;

public sealed class MoneyAllocationTests
{
    private static readonly Gen<long> Amounts = Gen.Frequency(
        (6, Gen.Long[0, 1_000_000]), (3, Gen.Long[0, long.MaxValue]), (1, Gen.OneOf(0L, 1L, long.MaxValue)));

    private static readonly Gen<long[]> Weights = Gen.Frequency(
        (6, Gen.Long[0, 10_000]), (2, Gen.Long[0, long.MaxValue]), (2, Gen.OneOf(0L, 1L))).Array[1, 20];

    private static readonly Gen<(Money Amount, long[] Weights)> Allocations =
        Gen.Select(Amounts, Gen.OneOf(Currency.USD, Currency.JPY, Currency.BHD), Weights, (m, c, w) => (Money.Of(m, c), w));

    private static Money Usd(long minor) => Money.Of(minor, Currency.USD);

    [Fact]
    public void AllocatedParts_AlwaysSumExactlyToTheWhole()
    {
        Allocations.Sample((amount, weights) =>
            Money.Sum(amount.Allocate(weights), amount.Currency) == amount, iter: 2_000);
    }

    [Fact]
    public void AllocatedParts_AreNeverNegativeNorLargerThanTheWhole_AndOnePerWeight()
    {
        Allocations.Sample((amount, weights) =>
        {
            var parts = amount.Allocate(weights);
            return parts.Count == weights.Length && parts.All(p => p.Minor >= 0 && p <= amount && p.Currency == amount.Currency);
        }, iter: 2_000);
    }

    [Fact]
    public void Allocation_IsDeterministicForTheSameInput()
    {
        Allocations.Sample((amount, weights) =>
            amount.Allocate(weights).SequenceEqual(amount.Allocate(weights.ToArray())), iter: 1_000);
    }

    [Fact]
    public void EachAllocatedPart_IsWithinOneMinorUnitOfItsExactShare()
    {
        Allocations.Sample((amount, weights) =>
        {
            var effective = weights.All(w => w == 0) ? weights.Select(_ => 1L).ToArray() : weights;
            Int128 total = 0;
            foreach (var w in effective) total += w;
            var parts = amount.Allocate(weights);
            return parts.Select((p, i) => (Part: (Int128)p.Minor, Floor: (Int128)amount.Minor * effective[i] / total))
                .All(x => x.Part == x.Floor || x.Part == x.Floor + 1);
        }, iter: 2_000);
    }

    [Fact]
    public void AnIndivisibleRemainder_GoesToTheEarlierParts()
    {
        Assert.Equal([Usd(34), Usd(33), Usd(33)], Usd(100).Allocate([1, 1, 1]));
        Assert.Equal([Usd(1), Usd(0)], Usd(1).Allocate([1, 1]));
    }

    [Fact]
    public void TheRemainder_GoesToTheLargestFractionsFirst()
    {
        // 10 × 1/6 = 1.67, 10 × 2/6 = 3.33, 10 × 3/6 = 5: the 1 left over goes to the .67.
        Assert.Equal([Usd(2), Usd(3), Usd(5)], Usd(10).Allocate([1, 2, 3]));
    }

    [Fact]
    public void AllZeroWeights_SplitEvenly()
    {
        Assert.Equal([Usd(4), Usd(3), Usd(3)], Usd(10).Allocate([0, 0, 0]));
    }

    [Fact]
    public void AllocatingToNoParts_IsRefused()
    {
        var e = Assert.Throws<DomainException>(() => Usd(10).Allocate([]));

        Assert.Equal("money.allocation-empty", e.Code);
    }

    [Fact]
    public void ANegativeWeight_IsRefused()
    {
        var e = Assert.Throws<DomainException>(() => Usd(10).Allocate([1, -1]));

        Assert.Equal("money.allocation-negative", e.Code);
    }

    [Fact]
    public void APercentage_IsNeverMoreThanTheWholeAndRoundsHalfUp()
    {
        Gen.Select(Gen.Long[0, long.MaxValue], Gen.Long[0, 10_000]).Sample((minor, basisPoints) =>
        {
            var part = Usd(minor).Percent(basisPoints);
            var twice = (Int128)minor * basisPoints * 2; // 2 × exact × 10,000
            var roundedHalfUp = (twice + 10_000) / 20_000;
            return part <= Usd(minor) && part.Minor == roundedHalfUp;
        }, iter: 2_000);
    }
}
