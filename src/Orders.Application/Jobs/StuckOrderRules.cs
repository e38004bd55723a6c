using Orders.Domain.ValueObjects;
using Orders.Application.Ports.Outbound;
using Orders.Domain.OrderAggregate;

namespace Orders.Application.Jobs;

/// <summary>
/// Whether an order is stuck, and why: pure, from the order, its sagas' progress and the time. Saga problems come
/// before the service level (they say what to do); a saga that has merely not started yet is given
/// <see cref="JobOptions.SettleTime"/>.
/// </summary>
public static class StuckOrderRules
{
    /// <summary>The entry to flag (with <see cref="StuckOrder.DetectedAt"/> = <paramref name="now"/>), or null when the order is fine.</summary>
    public static StuckOrder? Evaluate(Order order, IReadOnlyList<SagaProgress> sagas, DateTimeOffset now, JobOptions options)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(sagas);
        ArgumentNullException.ThrowIfNull(options);
        if (order.IsTerminal && !order.PendingRefunds.Any()) return null;
        var since = SagaExpectations.EnteredStatusAt(order);
        StuckOrder Stuck(string reason, string detail) => new(order.Id, order.Status, since, reason, detail, now);

        var states = SagaExpectations.For(order).Select(e => (Expected: e, Found: SagaExpectations.StateOf(e, sagas))).ToArray();
        if (states.FirstOrDefault(s => s.Found.State == SagaState.Failed) is { Expected: not null } failed)
            return Stuck(StuckReasons.SagaFailed, $"{failed.Expected.InstanceId} is {failed.Found.Progress!.RuntimeStatus} at step {failed.Found.Progress.Step ?? "unknown"}");
        if (states.FirstOrDefault(s => s.Found.State == SagaState.Missing && s.Expected.ExpectedSince + options.SettleTime <= now) is { Expected: not null } missing)
            return Stuck(StuckReasons.SagaMissing, order.IsTerminal
                // A cancelled order owing a refund: its refund saga may have run, given up and been purged since.
                ? $"{missing.Expected.InstanceId} is not on the engine: never started, or finished and purged after its retention"
                : $"{missing.Expected.InstanceId} was never started");
        if (states.FirstOrDefault(s => s.Found.State == SagaState.Ended) is { Expected: not null } ended)
            return Stuck(StuckReasons.SagaEnded, $"{ended.Expected.InstanceId} completed at step {ended.Found.Progress!.Step ?? "unknown"} but the order is still {OrderStatusNames.Of(order.Status)}");

        if (options.ServiceLevels.For(order) is { } serviceLevel && since + serviceLevel < now)
            return Stuck(StuckReasons.ServiceLevelExceeded, $"{OrderStatusNames.Of(order.Status)} for longer than its service level of {Describe(serviceLevel)}");
        return null;
    }

    // The detail holds nothing that changes while the order stays stuck, so re-flagging it writes nothing new.
    private static string Describe(TimeSpan span) =>
        span.TotalDays >= 1 ? $"{span.TotalDays:0.##}d" : span.TotalHours >= 1 ? $"{span.TotalHours:0.##}h" : $"{span.TotalMinutes:0.##}min";
}
