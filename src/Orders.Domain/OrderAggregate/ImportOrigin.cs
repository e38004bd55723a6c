using Orders.Domain.Common;

namespace Orders.Domain.OrderAggregate;

/// <summary>
/// Where an imported fact comes from: the legacy system, the fact's id there and the reason it recorded. A command
/// given a context with an origin records its entry exactly as a native one (same rules, same event, same chain),
/// with the causation id <c>import:{system}:{sourceEventId}</c> and a reason that says it was imported; that pair is
/// how an imported entry is recognised (<see cref="IsImported"/>).
/// </summary>
public sealed record ImportOrigin
{
    public const string CausationPrefix = "import:";

    public ImportOrigin(string sourceSystem, string sourceEventId, string? legacyReason)
    {
        SourceSystem = Guard.Identifier(sourceSystem, "source-system");
        SourceEventId = Guard.Text(sourceEventId, "sourceEventId", 160);
        LegacyReason = legacyReason is null ? null : Guard.Text(legacyReason, "reason", 500);
    }

    public string SourceSystem { get; }

    public string SourceEventId { get; }

    public string? LegacyReason { get; }

    public string CausationId => $"{CausationPrefix}{SourceSystem}:{SourceEventId}";

    /// <summary>The entry's reason: what the domain says the fact is, marked imported, with the legacy reason kept.</summary>
    public string Describe(string reason) =>
        $"imported from {SourceSystem} ({SourceEventId}): {reason}" + (LegacyReason is { } legacy && legacy != reason ? $"; legacy reason: {legacy}" : "");

    public static bool IsImported(HistoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.CausationId.StartsWith(CausationPrefix, StringComparison.Ordinal)
            && entry.Reason.StartsWith("imported from ", StringComparison.Ordinal);
    }
}
