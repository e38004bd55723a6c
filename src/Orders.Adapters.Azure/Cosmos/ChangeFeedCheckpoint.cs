using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orders.Infrastructure.Cosmos;

/// <summary>
/// Where a consumer is in the change feed: per feed range, the SDK's continuation token and the highest
/// <c>_lsn</c> read from that range. The token alone is opaque and cannot be compared; the LSN is monotonic within a
/// physical partition (and carries on in the children after a split), so a commit can refuse to move a range
/// backwards. Serialised as a small JSON array: that string is the <c>ChangeBatch.Checkpoint</c> and the lease's
/// <c>continuation</c>.
/// </summary>
public sealed record ChangeFeedCheckpoint(IReadOnlyList<ChangeFeedPosition> Ranges)
{
    public static ChangeFeedCheckpoint Parse(string checkpoint)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(checkpoint);
        var ranges = JsonSerializer.Deserialize<ChangeFeedPosition[]>(checkpoint, CosmosJson.Options)
            ?? throw new FormatException("A change feed checkpoint was empty.");
        if (ranges.Any(r => string.IsNullOrEmpty(r.Range)))
            throw new FormatException("A change feed checkpoint names no feed range.");
        return new ChangeFeedCheckpoint(ranges);
    }

    public override string ToString() => JsonSerializer.Serialize(Ranges, CosmosJson.Options);

    /// <summary>
    /// This checkpoint advanced by <paramref name="other"/>: for each range the position with the higher LSN (on a
    /// tie, the one that has a token). Ranges only one side knows are kept.
    /// </summary>
    public ChangeFeedCheckpoint Merge(ChangeFeedCheckpoint other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var merged = Ranges.ToList();
        foreach (var incoming in other.Ranges)
        {
            var index = merged.FindIndex(r => r.Range == incoming.Range);
            if (index < 0) merged.Add(incoming);
            else if (incoming.IsAheadOf(merged[index])) merged[index] = incoming;
        }
        return new ChangeFeedCheckpoint(merged);
    }

    public bool SameAs(ChangeFeedCheckpoint other) =>
        other is not null && Ranges.Count == other.Ranges.Count && Ranges.Zip(other.Ranges).All(p => p.First == p.Second);
}

/// <param name="Range">The feed range, as <c>FeedRange.ToJsonString()</c>: the key of this position.</param>
/// <param name="Continuation">The SDK's continuation token; null: not read yet, start at the beginning of the range.</param>
/// <param name="Lsn">The highest <c>_lsn</c> read from the range; 0 before the first document.</param>
public sealed record ChangeFeedPosition(
    [property: JsonPropertyName("range")] string Range,
    [property: JsonPropertyName("continuation")] string? Continuation,
    [property: JsonPropertyName("lsn")] long Lsn)
{
    public bool IsAheadOf(ChangeFeedPosition other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Lsn > other.Lsn || (Lsn == other.Lsn && Continuation is not null && other.Continuation is null);
    }
}
