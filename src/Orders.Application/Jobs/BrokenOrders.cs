using Orders.Application.Ports.Outbound;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;

namespace Orders.Application.Jobs;

/// <summary>
/// What every job does with an order whose stored history is broken (it does not verify, or cannot be read at all):
/// report it in the run's report, flag it in the stuck-order log (<see cref="StuckReasons.HistoryBroken"/>), skip it,
/// and go on with the other orders. One bad order never stops a job.
/// </summary>
internal static class BrokenOrders
{
    /// <summary>The order loaded, or why it could not be: the same wording from every job, so flags do not churn.</summary>
    public static async Task<(Order? Order, string? Broken)> LoadAsync(IOrderStore store, OrderId orderId, CancellationToken cancellationToken)
    {
        try
        {
            var order = await store.LoadAsync(orderId, cancellationToken).ConfigureAwait(false);
            return order?.VerifyHistory() is { IsIntact: false } broken ? (order, Describe(broken)) : (order, null);
        }
        catch (OrderHistoryUnreadableException unreadable)
        {
            return (null, "unreadable" + (unreadable.Sequence is { } s ? $" at sequence {s}" : "") + $": {unreadable.Problem}");
        }
    }

    public static string Describe(HistoryVerification broken) => $"at sequence {broken.BrokenAtSequence}: {broken.Problem}";

    /// <summary>The finding kind for a broken order: unreadable when it could not even be rebuilt.</summary>
    public static string Kind(Order? order) => order is null ? FindingKinds.OrderUnreadable : FindingKinds.HistoryBroken;

    /// <summary>Flags the order (keeping when it was first flagged for this reason); returns the report's finding.</summary>
    public static async Task<JobFinding> FlagAsync(IStuckOrderLog log, OrderId orderId, OrderStatus status, DateTimeOffset since,
        string kind, string detail, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var existing = await log.GetAsync(orderId, cancellationToken).ConfigureAwait(false);
        var entry = new StuckOrder(orderId, status, since, StuckReasons.HistoryBroken, detail,
            existing is { Reason: StuckReasons.HistoryBroken } ? existing.DetectedAt : now);
        if (existing != entry) await log.FlagAsync(entry, cancellationToken).ConfigureAwait(false);
        return new JobFinding(orderId, kind, detail);
    }
}
