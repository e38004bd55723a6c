using System.Collections.Concurrent;

namespace Orders.Infrastructure.Simulators;

/// <summary>One effect a simulated domain produced (a reservation, an authorisation, a capture, a refund, a parcel).</summary>
public sealed record LedgerEntry(string OrderId, string Kind, string Reference, long Minor, string? Currency = null);

/// <summary>
/// Everything the simulated domains did, once per idempotency key: the evidence that retries and replays never
/// charge, reserve, refund or ship twice.
/// </summary>
/// <remarks>
/// With a <see cref="Retention"/> (the local host sets one) the ledger forgets effects older than that, as a real
/// domain expires its idempotency records: a long-running process then keeps a bounded ledger. Without one (tests)
/// it keeps everything. The retention must outlast any re-send of a request (a saga re-sends only while it waits).
/// </remarks>
public sealed class SimulatorLedger(TimeProvider? clock = null)
{
    private readonly ConcurrentDictionary<string, LedgerEntry> _effects = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Key, LedgerEntry Entry, DateTimeOffset At)> _inOrder = new();
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly Lock _pruning = new();
    private int _requests;

    /// <summary>How long effects are remembered; null: for ever.</summary>
    public TimeSpan? Retention { get; init; }

    /// <summary>Records an effect for a key; false when the key already produced one (a retried or replayed request).</summary>
    public bool TryRecord(string idempotencyKey, LedgerEntry entry)
    {
        var requests = Interlocked.Increment(ref _requests);
        if (!_effects.TryAdd(idempotencyKey, entry)) return false;
        _inOrder.Enqueue((idempotencyKey, entry, _clock.GetUtcNow()));
        if (Retention is { } keep && requests % 256 == 0) Prune(_clock.GetUtcNow() - keep);
        return true;
    }

    private void Prune(DateTimeOffset before)
    {
        lock (_pruning)
        {
            while (_inOrder.TryPeek(out var oldest) && oldest.At < before && _inOrder.TryDequeue(out oldest))
                _effects.TryRemove(oldest.Key, out _);
        }
    }

    public LedgerEntry? Find(string idempotencyKey) => _effects.GetValueOrDefault(idempotencyKey);

    /// <summary>An order's effects in the order they happened.</summary>
    public IReadOnlyList<LedgerEntry> For(string orderId) => _inOrder.Where(e => e.Entry.OrderId == orderId).Select(e => e.Entry).ToArray();

    public int Count(string orderId, string kind) => _effects.Values.Count(e => e.OrderId == orderId && e.Kind == kind);

    /// <summary>How many requests arrived in all, duplicates included.</summary>
    public int Requests => Volatile.Read(ref _requests);
}
