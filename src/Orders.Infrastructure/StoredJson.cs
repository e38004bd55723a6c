using System.Text.Json;
using Orders.Domain.Common;
using Orders.Domain.OrderAggregate;

namespace Orders.Infrastructure;

/// <summary>How every store writes a history entry: the domain's JSON, so the stored form is what the hash chain covers.</summary>
public static class StoredJson
{
    public static string WriteEntry(HistoryEntry entry) => JsonSerializer.Serialize(entry, DomainJson.Options);

    public static HistoryEntry ReadEntry(string json) =>
        JsonSerializer.Deserialize<HistoryEntry>(json, DomainJson.Options) ?? throw new JsonException("A stored history entry was empty.");
}
