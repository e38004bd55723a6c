using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Orders.Domain.Common;
using Orders.Domain.Events;
using Orders.Domain.ValueObjects;

namespace Orders.Domain.OrderAggregate;

/// <summary>
/// One fact in an order's history: the event, the status before and after, when, why, who, and what caused it.
/// Entries are hash-chained: <see cref="Hash"/> covers every field and <see cref="PreviousHash"/>, so an edited,
/// dropped or reordered entry breaks the chain (<see cref="OrderHistory.Verify"/>).
/// </summary>
public sealed record HistoryEntry(
    long Sequence,
    OrderStatus? From,
    OrderStatus To,
    DateTimeOffset At,
    string Reason,
    Actor Actor,
    string CausationId,
    OrderEvent Event,
    string PreviousHash,
    string Hash)
{
    /// <summary>The previous hash of the first entry.</summary>
    public const string Genesis = "genesis";

    public static HistoryEntry Seal(long sequence, OrderStatus? from, OrderStatus to, CommandContext context, string reason,
        OrderEvent @event, string previousHash)
    {
        ArgumentNullException.ThrowIfNull(context);
        var entry = new HistoryEntry(sequence, from, to, context.At, reason, context.Actor, context.CausationId, @event, previousHash, "");
        return entry with { Hash = entry.ComputeHash() };
    }

    /// <summary>SHA-256 over a line-per-field canonical form (v1). Never change it; add a v2 beside it.</summary>
    public string ComputeHash()
    {
        var text = new StringBuilder()
            .Append("orders.history.v1\n")
            .Append(PreviousHash).Append('\n')
            .Append(Sequence.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(From?.ToString() ?? "-").Append('\n')
            .Append(To.ToString()).Append('\n')
            .Append(At.UtcTicks.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(Reason).Append('\n')
            .Append(Actor).Append('\n')
            .Append(CausationId).Append('\n')
            .Append(JsonSerializer.Serialize(Event, DomainJson.Options))
            .ToString();
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
