using System.Text;
using System.Text.Json.Nodes;
using Orders.Contracts.Imports;
using Orders.LegacyFiles;

namespace Orders.Hostile.Tests;

/// <summary>
/// Hostile requests for an operation whose contract answers per line (<c>x-orders-per-line-results</c>, the legacy
/// import; decision 0015). Two kinds of fault, two kinds of expectation:
/// <list type="bullet">
/// <item>the body is not a readable import (not an array, an empty array, no lines, …): refused whole, 4xx problem;</item>
/// <item>the body is readable and some lines are broken: each line gets its own answer — a broken line is refused (with
/// the reason the legacy-file generator knows, where it knows one), the baseline line (imported before the run) is
/// already-imported, a fresh valid line is imported — 200 with the results, or, when every line is refused, the 422
/// problem <c>import.all-lines-refused</c> with the same results. Only the fresh lines may change state.</item>
/// </list>
/// </summary>
public sealed partial class HostileRequestGenerator
{
    /// <summary>The legacy orders' clock: every generated order's life ends before it (and before the host's clock).</summary>
    public static readonly DateTimeOffset LegacyNow = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    public const string LegacySystem = "hostile";

    private static readonly LegacyDefect[] ContextFreeDefects =
    [
        LegacyDefect.ImpossibleTransition, LegacyDefect.ClosedBeforeDelivery, LegacyDefect.TotalsDoNotAddUp, LegacyDefect.RefundExceedsPaid,
        LegacyDefect.PaymentNotTotal, LegacyDefect.StatusClaimWrong, LegacyDefect.TimeGoesBackwards, LegacyDefect.UnknownPayment,
        LegacyDefect.MissingMember, LegacyDefect.InvalidUtf8, LegacyDefect.Truncated,
    ];

    private int _freshLines;

    /// <summary>The baseline line of the import operation: a valid closed legacy order (imported once before the run).</summary>
    public static string BaselineImportLine() =>
        Encoding.UTF8.GetString(LegacyFileGenerator.Serialize(new LegacyFileGenerator(1, LegacyNow, LegacySystem).Order("baseline", "CLOSED", LegacyNow.AddDays(-200))));

    /// <summary>A body that is not a readable import: refused whole (the request, not a line).</summary>
    private static string? MutateImportShape(Draft draft, Random random)
    {
        switch (random.Next(5))
        {
            case 0: draft.Raw = "[]"; return "an empty array";
            case 1: draft.Raw = new[] { "{}", "null", "\"lines\"", "42", "true" }[random.Next(5)]; return $"body is {draft.Raw}";
            case 2: draft.ContentType = "application/x-ndjson"; draft.Raw = new[] { "", "\n", "\r\n\r\n", "\n\n\n" }[random.Next(4)]; return "JSON lines without a line";
            case 3: draft.ContentType = "application/x-ndjson; charset=utf-16"; draft.RawBytes = Encoding.Unicode.GetBytes(baselineText(draft)); return "JSON lines in UTF-16, labelled so";
            default: draft.ContentType = "application/x-ndjson; charset=iso-8859-1"; return "JSON lines labelled Latin-1";
        }

        static string baselineText(Draft draft) => draft.Json![0]!.ToJsonString();
    }

    /// <summary>A readable import with one to three broken lines, maybe the baseline line, maybe a fresh valid line.</summary>
    private string? MutateLines(Draft draft, Random random)
    {
        var ndjson = random.Next(2) == 0;
        var legacy = new LegacyFileGenerator(random.Next(), LegacyNow, LegacySystem);
        var lines = new List<(byte[] Bytes, ExpectedLine Expected)>();
        var what = new List<string>();
        var baselineLine = draft.Json![0]!.ToJsonString();

        if (random.Next(2) == 0) lines.Add((Encoding.UTF8.GetBytes(baselineLine), new ExpectedLine("already-imported", null, "the baseline line again")));
        string? fresh = null;
        if (random.Next(3) == 0)
        {
            var id = $"fresh-{Interlocked.Increment(ref _freshLines)}";
            var shape = new[] { "CLOSED", "CANCELLED-NEW", "COD-CLOSED", "REFUNDED-DELIVERED-CLOSED" }[random.Next(4)];
            fresh = Encoding.UTF8.GetString(LegacyFileGenerator.Serialize(legacy.Order(id, shape, LegacyNow.AddDays(-random.Next(30, 900)))));
            lines.Add((Encoding.UTF8.GetBytes(fresh), new ExpectedLine("imported", null, $"a fresh valid {shape} order")));
            what.Add("fresh " + shape);
        }

        var broken = 1 + random.Next(3);
        for (var i = 0; i < broken; i++)
        {
            switch (random.Next(fresh is null ? 4 : 5))
            {
                case 0 or 1:
                {
                    var defect = ContextFreeDefects[random.Next(ContextFreeDefects.Length)];
                    if (!ndjson && defect is LegacyDefect.InvalidUtf8 or LegacyDefect.Truncated) defect = LegacyDefect.TotalsDoNotAddUp; // not an array element
                    var line = legacy.Line(i, defect);
                    lines.Add((line.Bytes, new ExpectedLine("refused", line.ExpectedReason, "generated defect " + defect)));
                    what.Add(defect.ToString());
                    break;
                }
                case 2:
                {
                    var (mutated, how) = MutateLegacyLine(baselineLine, random);
                    // Its source id was imported before with other content, or it is not a valid record: refused either way.
                    lines.Add((Encoding.UTF8.GetBytes(mutated), new ExpectedLine("refused", null, "the baseline line changed: " + how)));
                    what.Add("baseline changed: " + how);
                    break;
                }
                case 3:
                {
                    var value = new[] { "null", "1", "\"text\"", "[]", "true", "{}", "[{}]", "{\"format\":\"orders.legacy-order.v1\"}" }[random.Next(8)];
                    lines.Add((Encoding.UTF8.GetBytes(value), new ExpectedLine("refused", null, "not a legacy order: " + value)));
                    what.Add("line " + value);
                    break;
                }
                default:
                {
                    // The fresh line's source id with other content, after the fresh line: the first one wins.
                    var (mutated, how) = MutateLegacyLine(fresh!, random);
                    lines.Add((Encoding.UTF8.GetBytes(mutated), new ExpectedLine("refused", null, "the fresh line changed: " + how)));
                    what.Add("fresh changed: " + how);
                    break;
                }
            }
        }

        // Shuffle, keeping any changed copy of the fresh line after the fresh line itself.
        var order = lines.Select((l, i) => (Line: l, Key: random.Next())).ToList();
        order.Sort((a, b) => a.Key.CompareTo(b.Key));
        var shuffled = order.Select(o => o.Line).ToList();
        if (fresh is not null)
        {
            var freshIndex = shuffled.FindIndex(l => l.Expected.Outcome == "imported");
            shuffled.RemoveAt(freshIndex);
            shuffled.Insert(0, lines.Single(l => l.Expected.Outcome == "imported"));
        }

        var expected = new List<ExpectedLine>();
        if (ndjson)
        {
            var separator = random.Next(3) == 0 ? "\r\n"u8.ToArray() : "\n"u8.ToArray();
            var body = new List<byte>();
            var number = 0L;
            foreach (var (bytes, line) in shuffled)
            {
                body.AddRange(bytes);
                body.AddRange(separator);
                expected.Add(line with { Number = ++number });
                if (random.Next(6) == 0) { body.AddRange(separator); number++; } // a blank line is skipped, but counted as a line of the file
            }
            draft.RawBytes = [.. body];
            draft.ContentType = random.Next(2) == 0 ? "application/x-ndjson" : "application/x-ndjson; charset=utf-8";
        }
        else
        {
            draft.Json = new JsonArray([.. shuffled.Select(l => JsonNode.Parse(l.Bytes))]);
            draft.ContentType = "application/json";
            expected.AddRange(shuffled.Select((l, i) => l.Expected with { Number = i + 1 }));
        }
        draft.ExpectedLines = expected;
        draft.MayBeAccepted = fresh is not null;
        return $"{(ndjson ? "JSON lines" : "JSON array")} of {shuffled.Count}: {string.Join(", ", what)}";
    }

    /// <summary>
    /// A legacy line with one value changed (never its source identity): a member removed, added, or given another
    /// value or type. The content differs, so the line cannot be the one imported under that source id.
    /// </summary>
    private static (string Line, string How) MutateLegacyLine(string line, Random random)
    {
        // A change the format does not see (an optional member removed that read as absent anyway) is no change:
        // such a draw is made again, so the line's content always differs from the original's.
        var original = LegacyOrderReader.Read(Encoding.UTF8.GetBytes(line)).ContentHash;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var (mutated, how) = MutateOnce(line, random);
            var reading = LegacyOrderReader.Read(Encoding.UTF8.GetBytes(mutated));
            if (!reading.IsValid || reading.ContentHash != original) return (mutated, how);
        }
        var root = JsonNode.Parse(line)!.AsObject();
        root["format"] = "orders.legacy-order.v0";
        return (root.ToJsonString(), "$.format = orders.legacy-order.v0");
    }

    private static (string Line, string How) MutateOnce(string line, Random random)
    {
        var root = JsonNode.Parse(line)!.AsObject();
        var slots = new List<(JsonNode Parent, object Key, string Path)>();
        void Walk(JsonNode node, string path)
        {
            if (node is JsonObject obj)
            {
                foreach (var (name, child) in obj.ToArray())
                {
                    if (path == "$" && name == "source") continue; // the identity: changing it makes another order
                    slots.Add((obj, name, $"{path}.{name}"));
                    if (child is not null) Walk(child, $"{path}.{name}");
                }
            }
            else if (node is JsonArray array)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    slots.Add((array, i, $"{path}[{i}]"));
                    if (array[i] is { } child) Walk(child, $"{path}[{i}]");
                }
            }
        }
        Walk(root, "$");
        var (parent, key, where) = slots[random.Next(slots.Count)];
        var current = key is string n ? parent[n] : parent[(int)key];
        JsonNode? replacement = random.Next(6) switch
        {
            0 => null,
            1 => current is JsonValue v && v.TryGetValue<string>(out var s) ? s + "x" : "x",
            2 => current is JsonValue w && w.TryGetValue<long>(out var l) ? l + 1 : 7,
            3 => new JsonObject { ["unexpected"] = 1 },
            4 => new JsonArray(),
            _ => true,
        };
        if (JsonNode.DeepEquals(replacement, current)) replacement = new JsonArray(1);
        if (key is string name)
        {
            if (random.Next(5) == 0)
            {
                parent.AsObject().Remove(name);
                return (root.ToJsonString(), $"{where} removed");
            }
            parent[name] = replacement;
        }
        else
        {
            parent[(int)key] = replacement;
        }
        return (root.ToJsonString(), $"{where} = {replacement?.ToJsonString() ?? "null"}");
    }
}
