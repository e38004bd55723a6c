using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orders.Domain.Common;
using Orders.Domain.Events;
using Orders.Domain.ValueObjects;

namespace Orders.Domain.OrderAggregate;

/// <summary>
/// One fact in an order's history: the event, the status before and after, when, why, who, and what caused it.
/// <para>
/// <see cref="Content"/> is the entry as it is stored, byte for byte: written once, when the entry is sealed, and
/// never re-serialised. The chain covers exactly those bytes (format <c>orders.history.v2</c>, documented in
/// docs/decisions/0010-history-chain-over-stored-bytes.md): <c>Hash = hex(SHA-256(UTF-8("orders.history.v2\n" +
/// PreviousHash + "\n" + Content)))</c>. The typed members are what the content says, decoded (and upcast) with an
/// <see cref="EventCatalog"/>; <see cref="OrderHistory.Verify"/> checks both the hash of the bytes and that the
/// members are what the bytes say.
/// </para>
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

    /// <summary>The name of the chain format, the first line of every hashed text.</summary>
    public const string ChainFormat = "orders.history.v2";

    /// <summary>The entry's stored content (compact JSON, UTF-8): what the hash covers.</summary>
    public string Content { get; init; } = "";

    public static HistoryEntry Seal(long sequence, OrderStatus? from, OrderStatus to, CommandContext context, string reason,
        OrderEvent @event, string previousHash)
    {
        ArgumentNullException.ThrowIfNull(context);
        var entry = new HistoryEntry(sequence, from, to, context.At, reason, context.Actor, context.CausationId, @event, previousHash, "");
        var content = Encode(entry);
        return entry with { Content = content, Hash = HashOf(previousHash, content) };
    }

    /// <summary>The hash of stored content after <paramref name="previousHash"/>: the whole chain rule.</summary>
    public static string HashOf(string previousHash, string content)
    {
        ArgumentNullException.ThrowIfNull(previousHash);
        ArgumentNullException.ThrowIfNull(content);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ChainFormat + "\n" + previousHash + "\n" + content)));
    }

    /// <summary>The hash of this entry's stored content; equal to <see cref="Hash"/> unless the content was edited.</summary>
    public string ComputeHash() => HashOf(PreviousHash, Content);

    /// <summary>
    /// The content an entry is stored as, written once when it is sealed: compact JSON with the members in this
    /// order — sequence, from, to, at, reason, actor, causationId, event — and the event's own members after its
    /// <c>type</c> and <c>schemaVersion</c>.
    /// </summary>
    public static string Encode(HistoryEntry entry, EventCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var registration = (catalog ?? EventCatalog.Current).For(entry.Event);
        var @event = new JsonObject { ["type"] = registration.TypeName, ["schemaVersion"] = registration.Version };
        foreach (var (name, value) in JsonSerializer.SerializeToNode(entry.Event, registration.ClrType, DomainJson.Options)!.AsObject())
            @event[name] = value?.DeepClone();
        var content = new JsonObject
        {
            ["sequence"] = entry.Sequence,
            ["from"] = JsonSerializer.SerializeToNode(entry.From, DomainJson.Options),
            ["to"] = JsonSerializer.SerializeToNode(entry.To, DomainJson.Options),
            ["at"] = JsonSerializer.SerializeToNode(entry.At, DomainJson.Options),
            ["reason"] = entry.Reason,
            ["actor"] = JsonSerializer.SerializeToNode(entry.Actor, DomainJson.Options),
            ["causationId"] = entry.CausationId,
            ["event"] = @event,
        };
        return content.ToJsonString(DomainJson.Options);
    }

    private static readonly string[] Members = ["sequence", "from", "to", "at", "reason", "actor", "causationId", "event"];

    /// <summary>
    /// The entry a stored content says, with its stored hashes. The event is upcast from its stored schema version to
    /// today's (<paramref name="catalog"/>). Content that is not an entry throws (<see cref="JsonException"/> or
    /// <see cref="DomainException"/>).
    /// </summary>
    public static HistoryEntry Decode(string content, string previousHash, string hash, EventCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        var node = JsonNode.Parse(content)?.AsObject() ?? throw new JsonException("A history entry's content is empty.");
        if (node.Select(p => p.Key).FirstOrDefault(k => !Members.Contains(k)) is { } unknown)
            throw new JsonException($"A history entry's content has an unknown member '{unknown}'.");
        var eventNode = Required(node, "event").AsObject();
        var typeName = Required(eventNode, "type").GetValue<string>();
        var version = Required(eventNode, "schemaVersion").GetValue<int>();
        var members = new JsonObject();
        foreach (var (name, value) in eventNode)
            if (name is not ("type" or "schemaVersion")) members[name] = value?.DeepClone();
        var registration = (catalog ?? EventCatalog.Current).For(typeName);
        var @event = (OrderEvent)(registration.Upcast(members, version).Deserialize(registration.ClrType, DomainJson.Options)
            ?? throw new JsonException($"Event '{typeName}' is empty."));
        var decoded = new HistoryEntry(
            Required(node, "sequence").GetValue<long>(),
            node["from"]?.Deserialize<OrderStatus>(DomainJson.Options),
            Required(node, "to").Deserialize<OrderStatus>(DomainJson.Options),
            Required(node, "at").Deserialize<DateTimeOffset>(DomainJson.Options),
            Required(node, "reason").GetValue<string>(),
            Required(node, "actor").Deserialize<Actor>(DomainJson.Options) ?? throw new JsonException("actor is null."),
            Required(node, "causationId").GetValue<string>(),
            @event, previousHash, hash) { Content = content };
        if (catalog is null) DecodedFromContent.AddOrUpdate(decoded, new DecodeMark());
        return decoded;
    }

    // The instances Decode built from their content with the current catalog: such an instance is what its content
    // says by construction (a record cannot be edited in place; `with` makes a new instance, which is not in here and
    // is checked in full). Verifying a stored history (every GET of an order) then costs a lookup per entry instead
    // of a second decode. Keyed by reference and weak: an entry no one holds is forgotten with it.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<HistoryEntry, DecodeMark> DecodedFromContent = [];

    private const int MaxDecodedByText = 20_000;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Content, string PreviousHash, string Hash), HistoryEntry> DecodedByText = new();

    private sealed class DecodeMark
    {
        // Set once the stored hash was found to cover the stored content: both are fixed for this instance.
        public volatile bool HashChecked;
    }

    /// <summary>
    /// Whether <see cref="Hash"/> is the hash of <see cref="PreviousHash"/> and <see cref="Content"/>. Computed once per
    /// decoded instance (its three strings cannot change); every other instance computes it each time.
    /// </summary>
    public bool HashMatchesContent()
    {
        var mark = DecodedFromContent.TryGetValue(this, out var m) ? m : null;
        if (mark is { HashChecked: true }) return true;
        var matches = string.Equals(ComputeHash(), Hash, StringComparison.Ordinal);
        if (matches && mark is not null) mark.HashChecked = true;
        return matches;
    }

    /// <summary>Whether the typed members are exactly what <see cref="Content"/> says (an entry edited in memory is not).</summary>
    public bool SaysWhatItsContentSays(EventCatalog? catalog = null)
    {
        if (catalog is null && DecodedFromContent.TryGetValue(this, out _)) return true;
        try
        {
            if (catalog is not null) return Decode(Content, PreviousHash, Hash, catalog) == this;
            // Compared with a faithful decode of the same three strings, kept: a read model hands back equal entries
            // as new instances on every read, and decoding each of them again made every projection O(history).
            var key = (Content, PreviousHash, Hash);
            if (!DecodedByText.TryGetValue(key, out var decoded))
            {
                decoded = Decode(Content, PreviousHash, Hash);
                if (DecodedByText.Count >= MaxDecodedByText) DecodedByText.Clear(); // bounded: start over rather than grow
                DecodedByText.TryAdd(key, decoded);
            }
            return decoded == this;
        }
        catch (Exception e) when (e is JsonException or DomainException or InvalidOperationException or FormatException or ArgumentException)
        {
            return false;
        }
    }

    private static JsonNode Required(JsonObject node, string name) =>
        node[name] ?? throw new JsonException($"A history entry's content lacks '{name}'.");
}
