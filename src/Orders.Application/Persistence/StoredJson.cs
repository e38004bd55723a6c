using System.Text.Json;
using Orders.Domain.Common;
using Orders.Application.Ports.Outbound;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;

namespace Orders.Application.Persistence;

/// <summary>
/// How every store keeps a history entry: one JSON text, the same in SQLite's <c>order_events.entry</c>, the in-memory
/// store and the Cosmos DB event document's <c>entry</c> string:
/// <c>{"chain":"orders.history.v2","previousHash":"…","hash":"…","content":"…"}</c>, where <c>content</c> is the
/// entry's content (<see cref="HistoryEntry.Content"/>) as a JSON string. A JSON string holds any text exactly, so
/// the content comes back byte for byte whatever parser reads it; no store ever re-serialises it.
/// </summary>
public static class StoredJson
{
    public static string WriteEntry(HistoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Content.Length == 0) throw new InvalidOperationException($"Entry {entry.Sequence} was never sealed: it has no content to store.");
        return JsonSerializer.Serialize(new StoredEntry(HistoryEntry.ChainFormat, entry.PreviousHash, entry.Hash, entry.Content), StoredEntryOptions);
    }

    /// <summary>The stored envelope, without decoding the content: what the history endpoint and verifiers read.</summary>
    public static StoredEntry ReadEnvelope(string json)
    {
        var stored = JsonSerializer.Deserialize<StoredEntry>(json, StoredEntryOptions) ?? throw new JsonException("A stored history entry was empty.");
        if (stored.Chain != HistoryEntry.ChainFormat)
            throw new JsonException($"A stored history entry is in chain format '{stored.Chain}'; this code reads '{HistoryEntry.ChainFormat}'.");
        return stored;
    }

    /// <summary>The stored entry at <paramref name="sequence"/> as the history endpoint shows it: hashes and content, or why not.</summary>
    public static StoredHistoryEntry ReadStored(long sequence, string json)
    {
        try
        {
            var stored = ReadEnvelope(json);
            return new StoredHistoryEntry(sequence, stored.PreviousHash, stored.Hash, stored.Content);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException)
        {
            return new StoredHistoryEntry(sequence, "", "", json, "the stored entry is not an orders.history.v2 envelope");
        }
    }

    private static readonly JsonSerializerOptions StoredEntryOptions = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// The order rebuilt from its stored entries (in sequence order). Entries that do not decode, or a history the
    /// domain refuses, become an <see cref="OrderHistoryUnreadableException"/> naming the order and the entry.
    /// </summary>
    public static Order Rebuild(OrderId orderId, IEnumerable<string> storedEntries)
    {
        ArgumentNullException.ThrowIfNull(storedEntries);
        var entries = new List<HistoryEntry>();
        foreach (var stored in storedEntries)
        {
            try
            {
                entries.Add(ReadEntry(stored));
            }
            catch (Exception e) when (IsDataProblem(e))
            {
                throw new OrderHistoryUnreadableException(orderId, entries.Count + 1, e.Message, e);
            }
        }
        try
        {
            return Order.FromHistory(entries);
        }
        catch (Exception e) when (IsDataProblem(e))
        {
            throw new OrderHistoryUnreadableException(orderId, null, e.Message, e);
        }
    }

    // Apply trusts a history to be one the domain wrote; an edited one can trip it anywhere (a delivery without a
    // shipment dereferences nothing), and every such failure is about this order's data.
    private static bool IsDataProblem(Exception e) =>
        e is JsonException or DomainException or ArgumentException or InvalidOperationException or FormatException or NotSupportedException
            or NullReferenceException or IndexOutOfRangeException or ArgumentOutOfRangeException;

    public static HistoryEntry ReadEntry(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        // Decoding (JSON, upcasting, the entry's own checks) was the largest single cost of a checkout in the profile
        // (tests/Orders.Benchmarks/README.md): every command reloads its order and every change-feed consumer reads
        // each new entry. Entries are immutable, so a decoded one is reused, keyed by a digest of its exact stored text
        // (DigestCache): stored bytes that differ in any way (an edit, tampering) miss the cache and are decoded,
        // and checked, afresh.
        return DecodedEntries.GetOrDecode(json, static text =>
        {
            var stored = ReadEnvelope(text);
            return HistoryEntry.Decode(stored.Content, stored.PreviousHash, stored.Hash);
        });
    }

    /// <summary>
    /// Decoded entries kept per generation; at most twice this many are kept (each holds its content, ~1–3 KiB, and
    /// its decoded event): about 5 seconds of a busy host's new entries, the time its orders are in flight.
    /// </summary>
    public const int CachedEntriesPerGeneration = 8_192;

    private static readonly DigestCache<HistoryEntry> DecodedEntries = new(CachedEntriesPerGeneration);
}

/// <summary>A history entry as stored: the chain format, the hashes, and the content the hash covers.</summary>
public sealed record StoredEntry(string Chain, string PreviousHash, string Hash, string Content);
