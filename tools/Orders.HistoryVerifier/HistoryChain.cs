using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Orders.HistoryVerifier;

/// <summary>A digest a buyer or auditor keeps: a sequence and the chain's hash there.</summary>
public sealed record Digest(long Sequence, string Hash)
{
    public override string ToString() => $"{Sequence}:{Hash}";

    /// <summary>Reads <c>SEQUENCE:HASH</c>.</summary>
    public static Digest Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 1 || !long.TryParse(text.AsSpan(0, colon), System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out var sequence) || sequence < 1)
            throw new FormatException($"A digest is SEQUENCE:HASH (e.g. 4:9f86…); '{text}' is not.");
        return new Digest(sequence, text[(colon + 1)..]);
    }
}

/// <summary>What the verifier found: intact up to <see cref="Head"/>, or the first place the chain fails.</summary>
public sealed record Verdict(bool Intact, int EntriesChecked, Digest? Head, long? BrokenAt, string? Problem)
{
    public override string ToString() => Intact
        ? $"intact: {EntriesChecked} entries recomputed, head {Head}"
        : $"BROKEN at sequence {BrokenAt}: {Problem}";
}

/// <summary>
/// Recomputes an order's history chain (format <c>orders.history.v2</c>) from the answer of
/// <c>GET /api/orders/{id}/history</c> alone. The whole rule (docs/decisions/0010-history-chain-over-stored-bytes.md):
/// <c>previousHash(1) = "genesis"</c>, <c>previousHash(n) = hash(n-1)</c>,
/// <c>hash(n) = lowercase hex(SHA-256(UTF-8("orders.history.v2" + "\n" + previousHash(n) + "\n" + content(n))))</c>.
/// Written from that text, not from the service's code.
/// </summary>
public static class HistoryChain
{
    public const string Format = "orders.history.v2";
    public const string Genesis = "genesis";

    public static string HashOf(string previousHash, string content) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Format + "\n" + previousHash + "\n" + content)));

    /// <summary>
    /// Verifies a whole history (<paramref name="kept"/> null: the entries must start at sequence 1 from genesis), or
    /// a consistency proof from a kept digest (the entries must start right after it, chaining from its hash). Either
    /// way each stored hash must be the recomputed one, each entry's content must be JSON whose <c>sequence</c> is the
    /// entry's, sequences must run without gaps, and the answer's <c>digest</c> must be the recomputed head.
    /// </summary>
    public static Verdict Verify(string historyJson, Digest? kept = null)
    {
        ArgumentNullException.ThrowIfNull(historyJson);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(historyJson);
        }
        catch (JsonException e)
        {
            return new Verdict(false, 0, null, null, $"the answer is not JSON: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return Fail(0, null, "the answer is not a JSON object");
            if (Text(root, "chain") != Format) return Fail(0, null, $"the chain format is '{Text(root, "chain")}', not '{Format}'");
            if (!root.TryGetProperty("entries", out var entries) || entries.ValueKind != JsonValueKind.Array)
                return Fail(0, null, "the answer has no entries array");

            var expectedSequence = (kept?.Sequence ?? 0) + 1;
            var previousHash = kept?.Hash ?? Genesis;
            var count = 0;
            foreach (var entry in entries.EnumerateArray())
            {
                var sequence = entry.TryGetProperty("sequence", out var s) && s.TryGetInt64(out var n) ? n : -1;
                if (sequence != expectedSequence) return Fail(count, expectedSequence, $"expected entry {expectedSequence}, found {sequence}");
                var content = Text(entry, "content");
                var storedPrevious = Text(entry, "previousHash");
                var storedHash = Text(entry, "hash");
                if (content is null || storedPrevious is null || storedHash is null)
                    return Fail(count, sequence, "the entry lacks content, previousHash or hash");
                if (storedPrevious != previousHash)
                    return Fail(count, sequence, kept is not null && count == 0
                        ? $"the proof does not start from the kept hash {kept.Hash}"
                        : "previousHash is not the hash of the entry before");
                var recomputed = HashOf(previousHash, content);
                if (recomputed != storedHash) return Fail(count, sequence, $"the content hashes to {recomputed}, not the stored {storedHash} (edited)");
                if (ContentSequence(content) != sequence) return Fail(count, sequence, "the content does not say this entry's sequence");
                previousHash = recomputed;
                expectedSequence++;
                count++;
            }

            var head = expectedSequence - 1;
            if (head < 1) return Fail(0, null, "the history has no entries");
            if (!root.TryGetProperty("digest", out var digest) || Text(digest, "hash") != previousHash
                || !digest.TryGetProperty("sequence", out var ds) || !ds.TryGetInt64(out var digestSequence) || digestSequence != head)
                return Fail(count, head, $"the answer's digest is not the recomputed head {head}:{previousHash}");
            return new Verdict(true, count, new Digest(head, previousHash), null, null);
        }
    }

    private static long? ContentSequence(string content)
    {
        try
        {
            using var parsed = JsonDocument.Parse(content);
            return parsed.RootElement.ValueKind == JsonValueKind.Object && parsed.RootElement.TryGetProperty("sequence", out var s)
                && s.TryGetInt64(out var n) ? n : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static Verdict Fail(int checkedCount, long? at, string problem) => new(false, checkedCount, null, at, problem);
}
