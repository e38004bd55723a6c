using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Orders.Application.Telemetry;

/// <summary>
/// The traces and metrics Orders emits, with nothing but the runtime's <see cref="ActivitySource"/> and
/// <see cref="Meter"/>: the hosts decide where they go (OpenTelemetry with Azure Monitor in the function app, OTLP
/// optionally locally, the in-memory exporter in tests). Subscribe to <see cref="Name"/> for both.
/// </summary>
public static class OrdersTelemetry
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "Orders";

    public static ActivitySource Source { get; } = new(Name, "1.0");

    public static Meter Meter { get; } = new(Name, "1.0");

    /// <summary>Commands applied to orders, by command and outcome (<c>ok</c>, <c>replayed</c>, <c>unchanged</c> or the rejection code).</summary>
    public static Counter<long> Commands { get; } = Meter.CreateCounter<long>("orders.commands", "{command}", "Commands by command and outcome");

    /// <summary>Status transitions recorded, by from and to status (creation: from <c>none</c>).</summary>
    public static Counter<long> Transitions { get; } = Meter.CreateCounter<long>("orders.transitions", "{transition}", "Order status transitions by status");

    /// <summary>How long a saga waited for another domain's answer to one step, by saga, step and outcome (answered, timed-out).</summary>
    public static Histogram<double> SagaStepDuration { get; } =
        Meter.CreateHistogram<double>("orders.saga.step.duration", "s", "Saga step durations from request to answer, by saga, step and outcome");

    /// <summary>Integration events handled, by type and outcome (handled, duplicate, parked, poison).</summary>
    public static Counter<long> InboundEvents { get; } = Meter.CreateCounter<long>("orders.inbound.events", "{event}", "Inbound integration events by type and outcome");

    /// <summary>How long an event waited between its commit and its publication.</summary>
    public static Histogram<double> RelayLag { get; } = Meter.CreateHistogram<double>("orders.relay.lag", "s", "Outbox relay lag: commit to publication");

    /// <summary>How long an event waited between its commit and its projection into the read models.</summary>
    public static Histogram<double> ReadModelLag { get; } = Meter.CreateHistogram<double>("orders.readmodel.lag", "s", "Read-model lag: commit to projection");

    /// <summary>Orders flagged stuck at the last detect-stuck run (newly flagged plus still stuck).</summary>
    public static Gauge<int> StuckOrders { get; } = Meter.CreateGauge<int>("orders.stuck", "{order}", "Orders flagged stuck at the last detect-stuck run");

    public static void RecordLag(Histogram<double> histogram, DateTimeOffset committedAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        var lag = (now - committedAt).TotalSeconds;
        histogram.Record(lag < 0 ? 0 : lag);
    }
}
