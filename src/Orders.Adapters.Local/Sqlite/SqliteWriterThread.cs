using System.Collections.Concurrent;

namespace Orders.Infrastructure.Sqlite;

/// <summary>
/// One thread that owns a store's writer connection and runs its writes one after another, in arrival order.
/// </summary>
/// <remarks>
/// It replaces an async lock (<see cref="SemaphoreSlim"/>) around the writer connection. Such a lock hands itself to
/// the next waiter, whose continuation then queues on the thread pool behind whatever else is queued there (the
/// sagas' work, under load), so the lock was in effect held for a thread-pool queue trip per write: at 64 connections
/// a create waited p50 6–13 ms for a lock held 0.2 ms (issue 14 item 4, decision 0037). Here nothing waits to
/// *start* a write except earlier writes; a caller waits for its own result only, and the writes never stand idle
/// while a continuation is queued. SQLite has one writer per file anyway, so the thread costs no parallelism.
/// The owner disposes it (the stores do, before closing the connection); until then the thread waits for writes.
/// </remarks>
public sealed class SqliteWriterThread : IDisposable
{
    private readonly BlockingCollection<IWrite> _writes = new(new ConcurrentQueue<IWrite>());
    private readonly Thread _thread;
    private int _closing;

    public SqliteWriterThread(string name)
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="write"/> on the writer thread once every earlier write has finished.</summary>
    /// <remarks>The task fails with <see cref="ObjectDisposedException"/> once the store is shutting down.</remarks>
    public Task<T> RunAsync<T>(Func<T> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<T>(cancellationToken);
        var item = new Write<T>(write, cancellationToken);
        // Registered before it is queued, so the writer thread sees the registration; a refused write releases it.
        item.CancelWhileQueued();
        try
        {
            _writes.Add(item, CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            item.Refused();
            return Task.FromException<T>(
                new ObjectDisposedException(nameof(SqliteWriterThread), "The store is shutting down; the write was not made."));
        }
        return item.Task;
    }

    public Task RunAsync(Action write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        return RunAsync(() => { write(); return true; }, cancellationToken);
    }

    private void Loop()
    {
        foreach (var write in _writes.GetConsumingEnumerable()) write.Run();
    }

    /// <summary>
    /// Refuses new writes, lets the ones already queued finish, and returns once the thread has stopped, so the owner
    /// may close the connection. Every caller waits, concurrent ones too. Called from a write itself (on the thread),
    /// it cannot wait for itself: the thread stops after the queued writes. The queue is not disposed (it holds no
    /// more than a wait handle the collector reclaims), so nothing can touch a disposed queue.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closing, 1) == 0) _writes.CompleteAdding();
        if (Thread.CurrentThread != _thread) _thread.Join();
    }

    private interface IWrite
    {
        void Run();
    }

    private sealed class Write<T>(Func<T> write, CancellationToken cancellationToken)
        : TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously), IWrite
    {
        private const int Queued = 0, Running = 1, Cancelled = 2;
        private int _state;
        private CancellationTokenRegistration _registration;

        /// <summary>
        /// A caller that gives up while its write is queued is told at once, and the write is not made (as a lock
        /// wait cancelled was). Once the write has started it is not cancelled: the caller learns its real outcome.
        /// </summary>
        public void CancelWhileQueued()
        {
            if (!cancellationToken.CanBeCanceled) return;
            _registration = cancellationToken.UnsafeRegister(static state =>
            {
                var self = (Write<T>)state!;
                if (Interlocked.CompareExchange(ref self._state, Cancelled, Queued) == Queued) self.TrySetCanceled(self.Token);
            }, this);
        }

        private CancellationToken Token => cancellationToken;

        /// <summary>The queue refused the write (the store is closing): nothing stays registered for it.</summary>
        public void Refused() => _registration.Dispose();

        public void Run()
        {
            if (Interlocked.CompareExchange(ref _state, Running, Queued) != Queued) return;
            _registration.Dispose();
            try
            {
                TrySetResult(write());
            }
            catch (Exception e)
            {
                TrySetException(e);
            }
        }
    }
}
