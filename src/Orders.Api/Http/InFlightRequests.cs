using System.Collections.Concurrent;
using Orders.Application.Access;

namespace Orders.Api.Http;

/// <summary>
/// Requests being processed, by (caller, Idempotency-Key). A duplicate that arrives while the first is still in
/// flight is refused (409) rather than raced; once the first is done, duplicates get its stored answer. In-process
/// only: across instances the store's idempotency records (written in the command's transaction) still make the
/// outcome exactly-once; this guard only turns a concurrent duplicate into a clear answer.
/// </summary>
public sealed class InFlightRequests
{
    private readonly ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);

    /// <summary>A lease to dispose when the request is done, or null when the same (caller, key) is in flight.</summary>
    public IDisposable? TryEnter(Caller caller, string idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var id = $"{caller.Kind}\n{caller.Id}\n{idempotencyKey}";
        return _inFlight.TryAdd(id, 0) ? new Lease(_inFlight, id) : null;
    }

    public int Count => _inFlight.Count;

    private sealed class Lease(ConcurrentDictionary<string, byte> inFlight, string id) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) inFlight.TryRemove(id, out _);
        }
    }
}
