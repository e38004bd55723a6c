using Orders.Infrastructure.Sqlite;

namespace Orders.Application.Tests.Conformance;

/// <summary>
/// The one thread that makes a SQLite store's writes: in arrival order, one at a time, each caller told of its own
/// write's result or fault, a write whose caller gave up while queued not made, and the writes already queued finished
/// before the store closes.
/// </summary>
public sealed class SqliteWriterThreadTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Writes_RunOneAtATime_InArrivalOrder_OffTheCallersThread()
    {
        using var writes = new SqliteWriterThread("test-writer");
        var order = new List<int>();
        var running = 0;
        var overlapped = false;
        var caller = Environment.CurrentManagedThreadId;
        var threads = new HashSet<int>();
        var all = Enumerable.Range(0, 200).Select(i => writes.RunAsync(() =>
        {
            if (Interlocked.Increment(ref running) != 1) overlapped = true;
            order.Add(i);
            threads.Add(Environment.CurrentManagedThreadId);
            Interlocked.Decrement(ref running);
            return i * 2;
        })).ToArray();

        var results = await Task.WhenAll(all).WaitAsync(Bound);

        Assert.Equal(Enumerable.Range(0, 200).Select(i => i * 2), results);
        Assert.Equal(Enumerable.Range(0, 200), order);
        Assert.False(overlapped);
        Assert.DoesNotContain(caller, threads);
        Assert.Single(threads);
    }

    [Fact]
    public async Task AFailingWrite_FailsItsCallerOnly()
    {
        using var writes = new SqliteWriterThread("test-writer");

        var failing = writes.RunAsync<int>(() => throw new InvalidOperationException("disk on fire"));
        var next = writes.RunAsync(() => 7);

        var fault = await Assert.ThrowsAsync<InvalidOperationException>(() => failing.WaitAsync(Bound));
        Assert.Equal("disk on fire", fault.Message);
        Assert.Equal(7, await next.WaitAsync(Bound));
    }

    [Fact]
    public async Task AWriteCancelledWhileQueued_IsNotMade()
    {
        using var writes = new SqliteWriterThread("test-writer");
        using var release = new ManualResetEventSlim();
        using var cancel = new CancellationTokenSource();
        var blocker = writes.RunAsync(() => release.Wait(Bound));
        var made = false;

        var queued = writes.RunAsync(() => made = true, cancel.Token);
        await cancel.CancelAsync();

        // The caller is told at once, while the write before it still runs...
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued.WaitAsync(Bound));
        Assert.False(blocker.IsCompleted);
        release.Set();
        // ...and its write is not made when its turn comes.
        Assert.True(await blocker.WaitAsync(Bound));
        Assert.True(await writes.RunAsync(() => true).WaitAsync(Bound));
        Assert.False(made);
    }

    [Fact]
    public async Task AWriteAlreadyRunning_IsNotCancelled_ItsCallerLearnsTheRealOutcome()
    {
        using var writes = new SqliteWriterThread("test-writer");
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        using var cancel = new CancellationTokenSource();

        var running = writes.RunAsync(() => { started.Set(); release.Wait(Bound); return "committed"; }, cancel.Token);
        Assert.True(started.Wait(Bound));
        await cancel.CancelAsync();
        release.Set();

        Assert.Equal("committed", await running.WaitAsync(Bound));
    }

    [Fact]
    public async Task AnAlreadyCancelledCaller_GetsACancelledTask()
    {
        using var writes = new SqliteWriterThread("test-writer");
        var made = false;

        var write = writes.RunAsync(() => made = true, new CancellationToken(canceled: true));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write);
        Assert.False(made);
    }

    [Fact]
    public async Task Dispose_WaitsForTheQueuedWrites_ThenRefusesNewOnes_EveryConcurrentCallerWaiting()
    {
        var writes = new SqliteWriterThread("test-writer");
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var blocker = writes.RunAsync(() => { started.Set(); return release.Wait(Bound); });
        var queuedRan = false;
        var queued = writes.RunAsync(() => queuedRan = true);
        Assert.True(started.Wait(Bound));

        // Two disposals at once (the store's owner and a host shutting down, say): neither returns before the writes end.
        var first = Task.Run(writes.Dispose);
        var second = Task.Run(writes.Dispose);
        Assert.False(first.IsCompleted || second.IsCompleted); // the blocker is still running: Join cannot have returned
        var seenAfterEach = new List<bool>();
        release.Set();
        foreach (var disposing in new[] { first, second })
        {
            await disposing.WaitAsync(Bound);
            seenAfterEach.Add(queuedRan && queued.IsCompleted);
        }

        Assert.Equal([true, true], seenAfterEach);
        Assert.True(await blocker.WaitAsync(Bound));
        Assert.True(await queued.WaitAsync(Bound));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => writes.RunAsync(() => 1).WaitAsync(Bound));
        writes.Dispose();
    }

    [Fact]
    public async Task Dispose_FromInsideAWrite_StopsTheThreadAfterTheQueuedWrites_WithoutWaitingForItself()
    {
        var writes = new SqliteWriterThread("test-writer");
        using var release = new ManualResetEventSlim();
        var disposing = writes.RunAsync(() => { release.Wait(Bound); writes.Dispose(); return "disposed"; });
        var queued = writes.RunAsync(() => "still made");
        release.Set();

        Assert.Equal("disposed", await disposing.WaitAsync(Bound));
        Assert.Equal("still made", await queued.WaitAsync(Bound));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => writes.RunAsync(() => 1).WaitAsync(Bound));
        writes.Dispose(); // from outside now: waits for the (stopped) thread and returns
    }
}
