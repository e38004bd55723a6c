using System.Text.Json;
using Orders.Domain.Common;
using Orders.Application.Ports.Outbound;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;

namespace Orders.Infrastructure;

/// <summary>How every store writes a history entry: the domain's JSON, so the stored form is what the hash chain covers.</summary>
public static class StoredJson
{
    public static string WriteEntry(HistoryEntry entry) => JsonSerializer.Serialize(entry, DomainJson.Options);

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

    public static HistoryEntry ReadEntry(string json) =>
        JsonSerializer.Deserialize<HistoryEntry>(json, DomainJson.Options) ?? throw new JsonException("A stored history entry was empty.");
}
