using Orders.Application.Access;
using Orders.Application.Ports.Outbound;
using Orders.Application.Views;
using Orders.Domain.Common;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;

namespace Orders.Application.UseCases;

/// <summary>
/// An order's history as stored (each entry's content, previous hash and hash, byte for byte), its digest (the last
/// sequence and hash: what a buyer or auditor keeps) and whether it verifies. Given a kept digest, the answer is a
/// consistency proof instead: the entries after it, which chain from the kept hash to today's head (a hash chain's
/// proof, as a transparency log proves that today's tree extends a tree head seen before). Always from the order
/// store's stored entries, never from a read model.
/// </summary>
public sealed class GetOrderHistory(IOrderStore store)
{
    public async Task<Result<OrderHistoryView>> ExecuteAsync(OrderId orderId, Caller caller, HistoryDigest? since = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(orderId);
        var state = await store.ReadStateAsync(orderId, cancellationToken).ConfigureAwait(false);
        if (state is null || !OrderAccess.CanSee(caller, state.View.BuyerId, state.View.Items.Select(i => i.SellerId)))
            return ApplicationRejections.NotFound(orderId.Value);
        var stored = await store.ReadStoredHistoryAsync(orderId, cancellationToken).ConfigureAwait(false);
        if (stored.Count == 0) return ApplicationRejections.NotFound(orderId.Value);

        var verification = Verify(stored);
        var head = new HistoryDigest(stored[^1].Sequence, stored[^1].Hash);
        var entries = stored.Select(e => new StoredEntryView(e.Sequence, e.PreviousHash, e.Hash, e.Content)).ToArray();
        if (since is null)
            return Result<OrderHistoryView>.Ok(new OrderHistoryView(orderId, HistoryEntry.ChainFormat, head, verification.IsIntact,
                Break(verification), null, entries));

        var kept = stored.FirstOrDefault(e => e.Sequence == since.Sequence);
        if (kept is null)
            return ApplicationRejections.HistoryNotAPrefix(orderId.Value,
                $"the kept digest is at sequence {since.Sequence}, but the stored history has {head.Sequence} entries");
        if (!string.Equals(kept.Hash, since.Hash, StringComparison.Ordinal))
            return ApplicationRejections.HistoryNotAPrefix(orderId.Value,
                $"the stored entry {since.Sequence} has hash {kept.Hash}, not the kept {since.Hash}: the history was rewritten");
        return Result<OrderHistoryView>.Ok(new OrderHistoryView(orderId, HistoryEntry.ChainFormat, head, verification.IsIntact,
            Break(verification), since, [.. entries.Where(e => e.Sequence > since.Sequence)]));
    }

    /// <summary>
    /// The same verification as everywhere (<see cref="OrderHistory.Verify"/>) over the stored entries decoded; an
    /// entry that cannot be read or decoded breaks the history at its sequence.
    /// </summary>
    public static HistoryVerification Verify(IReadOnlyList<StoredHistoryEntry> stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var decoded = new List<HistoryEntry>(stored.Count);
        foreach (var entry in stored)
        {
            if (entry.Unreadable is { } why) return HistoryVerification.Broken(entry.Sequence, why);
            try
            {
                decoded.Add(HistoryEntry.Decode(entry.Content, entry.PreviousHash, entry.Hash));
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or DomainException or InvalidOperationException or FormatException
                                          or ArgumentException or NotSupportedException)
            {
                // Decoding failed: if the bytes no longer match their hash, say so first (that is the likelier story).
                return HistoryVerification.Broken(entry.Sequence, HistoryEntry.HashOf(entry.PreviousHash, entry.Content) != entry.Hash
                    ? "the entry's stored content does not match its hash (it was edited)"
                    : "the entry's stored content cannot be read as a history entry");
            }
        }
        return OrderHistory.Verify(decoded);
    }

    private static HistoryBreak? Break(HistoryVerification verification) =>
        verification.IsIntact ? null : new HistoryBreak(verification.BrokenAtSequence ?? 0, verification.Problem ?? "broken");
}
