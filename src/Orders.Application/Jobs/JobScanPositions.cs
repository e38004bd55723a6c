using System.Collections.Concurrent;

namespace Orders.Application.Jobs;

/// <summary>
/// Where each job's bounded scans resume, so that consecutive runs walk on through the orders instead of re-reading
/// the oldest batch. Register one per host (a singleton) and the jobs may be built per invocation (scoped, as the
/// function app builds those that use the invocation's Durable client); a job given none keeps its own, which is
/// enough when the job itself lives as long as the host. Lost on restart, which only means starting over.
/// </summary>
public sealed class JobScanPositions
{
    private readonly ConcurrentDictionary<string, OrderScan> _scans = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, KeysetWalk<StuckOrder>> _flagged = new(StringComparer.Ordinal);

    internal OrderScan Orders(string job) => _scans.GetOrAdd(job, _ => new OrderScan(OrderScan.NonTerminal));

    private readonly ConcurrentDictionary<string, OrderRotation> _rotations = new(StringComparer.Ordinal);

    internal OrderRotation Rotation(string job) => _rotations.GetOrAdd(job, _ => new OrderRotation());

    /// <summary>The walk through the flagged orders (<see cref="IStuckOrderLog.ListAsync"/>: longest flagged first, then by order id).</summary>
    internal KeysetWalk<StuckOrder> Flagged(string job) => _flagged.GetOrAdd(job, _ => new KeysetWalk<StuckOrder>(FlaggedOrder));

    private static readonly IComparer<StuckOrder> FlaggedOrder = Comparer<StuckOrder>.Create((a, b) =>
    {
        var byTime = a.DetectedAt.UtcTicks.CompareTo(b.DetectedAt.UtcTicks);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.OrderId.Value, b.OrderId.Value);
    });
}
