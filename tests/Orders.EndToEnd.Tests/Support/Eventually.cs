using System.Diagnostics;

namespace Orders.EndToEnd.Tests.Support;

/// <summary>What a bounded poll ended with: whether the condition held, and the last value seen either way.</summary>
public sealed record Polled<T>(bool Reached, T Last, TimeSpan Elapsed);

/// <summary>Polling with a short interval and an overall deadline: the only way these tests wait for anything.</summary>
public static class Eventually
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>Probes until <paramref name="done"/> holds or <paramref name="within"/> has passed; never throws on a timeout.</summary>
    public static async Task<Polled<T>> PollAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan within, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(done);
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (done(value)) return new Polled<T>(true, value, stopwatch.Elapsed);
            if (stopwatch.Elapsed >= within) return new Polled<T>(false, value, stopwatch.Elapsed);
            await Task.Delay(interval ?? Interval);
        }
    }
}
