using System.Collections.Concurrent;

namespace Orders.Infrastructure.Simulators;

/// <summary>One effect a simulated domain produced (a reservation, an authorisation, a capture, a refund, a parcel).</summary>
public sealed record LedgerEntry(string OrderId, string Kind, string Reference, long Minor, string? Currency = null);

/// <summary>
/// Everything the simulated domains did, once per idempotency key: the evidence that retries and replays never
/// charge, reserve, refund or ship twice.
/// </summary>
public sealed class SimulatorLedger
{
    private readonly ConcurrentDictionary<string, LedgerEntry> _effects = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentQueue<LedgerEntry> _inOrder = new();

    /// <summary>Records an effect for a key; false when the key already produced one (a retried or replayed request).</summary>
    public bool TryRecord(string idempotencyKey, LedgerEntry entry)
    {
        _requests.Enqueue(idempotencyKey);
        if (!_effects.TryAdd(idempotencyKey, entry)) return false;
        _inOrder.Enqueue(entry);
        return true;
    }

    public LedgerEntry? Find(string idempotencyKey) => _effects.GetValueOrDefault(idempotencyKey);

    /// <summary>An order's effects in the order they happened.</summary>
    public IReadOnlyList<LedgerEntry> For(string orderId) => _inOrder.Where(e => e.OrderId == orderId).ToArray();

    public int Count(string orderId, string kind) => _effects.Values.Count(e => e.OrderId == orderId && e.Kind == kind);

    /// <summary>How many requests arrived in all, duplicates included.</summary>
    public int Requests => _requests.Count;
}
