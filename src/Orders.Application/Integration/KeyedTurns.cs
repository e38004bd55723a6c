using System.Collections.Concurrent;

namespace Orders.Application.Integration;

/// <summary>
/// One holder at a time per key, within this process: callers with the same key take turns, callers with different
/// keys never wait for each other. A key's gate is forgotten when nobody holds or waits for it, so memory stays
/// bounded by the keys in use at once.
/// </summary>
internal sealed class KeyedTurns
{
    private readonly ConcurrentDictionary<string, Gate> _gates = new(StringComparer.Ordinal);

    public async Task<IDisposable> TakeAsync(string key, CancellationToken cancellationToken = default)
    {
        Gate gate;
        while (true)
        {
            gate = _gates.GetOrAdd(key, static _ => new Gate());
            lock (gate)
            {
                // A gate already forgotten (its count fell to 0 and it was removed) must not be joined: take a fresh one.
                if (gate.Users >= 0)
                {
                    gate.Users++;
                    break;
                }
            }
        }
        try
        {
            await gate.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Leave(key, gate);
            throw;
        }
        return new Turn(this, key, gate);
    }

    private void Leave(string key, Gate gate)
    {
        lock (gate)
        {
            if (--gate.Users > 0) return;
            gate.Users = -1; // forgotten: late joiners take a fresh gate
            _gates.TryRemove(new KeyValuePair<string, Gate>(key, gate));
        }
    }

    private sealed class Gate
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Turn(KeyedTurns owner, string key, Gate gate) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            gate.Semaphore.Release();
            owner.Leave(key, gate);
        }
    }
}
