using System.Text.Json.Serialization;

namespace Orders.Application.Imports;

/// <summary>What the import answered for one line (or one element of a JSON array).</summary>
/// <param name="Line">1-based line number (array index + 1).</param>
/// <param name="Outcome"><see cref="ImportOutcomes"/>: imported, already-imported or refused.</param>
/// <param name="Reason">The reason code of a refusal (<see cref="ImportCodes"/> or a domain rejection code).</param>
public sealed record ImportLineResult(
    long Line,
    string Outcome,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SourceSystem,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SourceOrderId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? OrderId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail)
{
    public static ImportLineResult Refused(long line, string reason, string detail, string? system = null, string? sourceOrderId = null) =>
        new(line, ImportOutcomes.Refused, system, sourceOrderId, null, null, reason, detail);
}

public static class ImportOutcomes
{
    public const string Imported = "imported";
    public const string AlreadyImported = "already-imported";
    public const string Refused = "refused";
}

/// <summary>Counts of one import run: per outcome, and refusals per reason code.</summary>
public sealed class ImportSummary
{
    private readonly SortedDictionary<string, long> _refusedByReason = new(StringComparer.Ordinal);

    public long Lines { get; private set; }

    public long Imported { get; private set; }

    public long AlreadyImported { get; private set; }

    public long Refused { get; private set; }

    public IReadOnlyDictionary<string, long> RefusedByReason => _refusedByReason;

    public void Add(ImportLineResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Lines++;
        switch (result.Outcome)
        {
            case ImportOutcomes.Imported: Imported++; break;
            case ImportOutcomes.AlreadyImported: AlreadyImported++; break;
            default:
                Refused++;
                _refusedByReason[result.Reason!] = _refusedByReason.GetValueOrDefault(result.Reason!) + 1;
                break;
        }
    }

    public override string ToString() =>
        $"{Lines} lines: {Imported} imported, {AlreadyImported} already imported, {Refused} refused"
        + (Refused > 0 ? " (" + string.Join(", ", _refusedByReason.Select(r => $"{r.Key} {r.Value}")) + ")" : "");
}
