using Orders.Domain.Events;

namespace Orders.Domain.OrderAggregate;

/// <summary>The outcome of checking a history: intact, or where and how it was broken.</summary>
public sealed record HistoryVerification(bool IsIntact, long? BrokenAtSequence, string? Problem)
{
    public static HistoryVerification Intact { get; } = new(true, null, null);

    public static HistoryVerification Broken(long sequence, string problem) => new(false, sequence, problem);
}

public static class OrderHistory
{
    /// <summary>
    /// Checks that the entries form one unbroken chain: sequences 1..n in order, each previous-hash matching the entry
    /// before, each entry's hash matching the SHA-256 of its stored content, each entry's members being what that
    /// content says, each entry starting where the previous one ended.
    /// </summary>
    public static HistoryVerification Verify(IReadOnlyList<HistoryEntry> entries, EventCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var previousHash = HistoryEntry.Genesis;
        Orders.Domain.ValueObjects.OrderStatus? previousStatus = null;
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var expected = i + 1L;
            if (entry.Sequence != expected)
                return HistoryVerification.Broken(expected, $"expected sequence {expected}, found {entry.Sequence} (an entry was dropped, inserted or moved)");
            if (!string.Equals(entry.PreviousHash, previousHash, StringComparison.Ordinal))
                return HistoryVerification.Broken(expected, "previous-hash does not match the entry before (the chain was cut or reordered)");
            if (!entry.HashMatchesContent())
                return HistoryVerification.Broken(expected, "the entry's stored content does not match its hash (it was edited)");
            if (!entry.SaysWhatItsContentSays(catalog))
                return HistoryVerification.Broken(expected, "the entry is not what its stored content says (it was edited)");
            if (entry.From != previousStatus)
                return HistoryVerification.Broken(expected, $"the entry starts from {(entry.From is { } from ? Orders.Domain.ValueObjects.OrderStatusNames.Of(from) : "nothing")} but the order was {(previousStatus is { } was ? Orders.Domain.ValueObjects.OrderStatusNames.Of(was) : "nothing")}");
            previousHash = entry.Hash;
            previousStatus = entry.To;
        }
        return HistoryVerification.Intact;
    }
}
