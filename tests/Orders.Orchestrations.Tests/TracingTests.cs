using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Orders.Application.Integration;
using Orders.Application.Telemetry;
using Orders.Domain.ValueObjects;

namespace Orders.Orchestrations.Tests;

/// <summary>
/// One order, one trace: from the create command through the checkout and fulfillment sagas' commands, the simulated
/// domains' answers and their handling, to DELIVERED — all spans in the order's trace and connected, exported by the
/// OpenTelemetry SDK's in-memory exporter (in process, on the in-memory Durable engine).
/// </summary>
public sealed class TracingTests : IAsyncLifetime
{
    private readonly List<Activity> _spans = [];
    private readonly List<Metric> _metrics = [];
    private TracerProvider _tracing = null!;
    private MeterProvider _meters = null!;
    private SagaHarness _h = null!;

    public async Task InitializeAsync()
    {
        _tracing = Sdk.CreateTracerProviderBuilder().AddSource(OrdersTelemetry.Name).AddInMemoryExporter(_spans).Build()!;
        _meters = Sdk.CreateMeterProviderBuilder().AddMeter(OrdersTelemetry.Name).AddInMemoryExporter(_metrics).Build()!;
        _h = await SagaHarness.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _h.DisposeAsync();
        _tracing.Dispose();
        _meters.Dispose();
    }

    [Fact]
    public async Task AnOrder_FromCreateToDelivered_IsOneConnectedTrace()
    {
        var id = await _h.CreateOrderAsync("traced-1");
        await _h.Sagas.StartCheckoutAsync(id);
        Assert.Equal(SagaResult.Confirmed, SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.CheckoutId(id))).Result);
        Assert.Equal(SagaResult.Delivered, SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.FulfillmentId(id))).Result);
        _tracing.ForceFlush();

        var root = OrderTrace.RootOf(id);
        Activity[] spans;
        lock (_spans) spans = [.. _spans.Where(s => s.TraceId == root.TraceId)];
        var names = spans.Select(s => s.DisplayName).ToHashSet(StringComparer.Ordinal);

        // The commands that moved it, the answers that caused them, and the simulated domains' work in between.
        Assert.Superset(new HashSet<string>(StringComparer.Ordinal)
        {
            "orders.command Create", "orders.command Confirm", "orders.command MarkPaid", "orders.command Ship", "orders.command Deliver",
            "orders.inbound inventory.stock-reserved.v1", "orders.inbound payments.payment-authorized.v1",
            "orders.inbound payments.payment-captured.v1", "orders.inbound shipping.shipment-delivered.v1",
            "simulated inventory.stock-reserved.v1", "simulated shipping.shipment-delivered.v1",
        }, names);

        // Connected: every span hangs off the order's root or off another span of the same trace.
        var ids = spans.Select(s => s.SpanId).Append(root.SpanId).ToHashSet();
        Assert.All(spans, s => Assert.True(ids.Contains(s.ParentSpanId), $"{s.DisplayName} has parent {s.ParentSpanId}, outside the order's trace"));
        Assert.All(spans, s => Assert.Equal(id.Value, s.GetTagItem(OrderTrace.OrderIdTag)));

        // An answer continues the span of the simulated domain that sent it (its CloudEvents traceparent).
        var answer = spans.Single(s => s.DisplayName == "orders.inbound shipping.shipment-delivered.v1");
        Assert.Equal("simulated shipping.shipment-delivered.v1", spans.Single(s => s.SpanId == answer.ParentSpanId).DisplayName);

        // The last command recorded DELIVERED.
        var delivered = spans.Single(s => s.DisplayName == "orders.command Deliver");
        Assert.Equal(("ok", "DELIVERED"), ((string?)delivered.GetTagItem("orders.outcome"), (string?)delivered.GetTagItem("orders.status")));
    }

    [Fact]
    public async Task Transitions_Commands_AndSagaSteps_AreCounted()
    {
        var id = await _h.CreateOrderAsync("metered-1");
        await _h.Sagas.StartCheckoutAsync(id);
        await _h.CompletionAsync(SagaNames.CheckoutId(id));
        await _h.CompletionAsync(SagaNames.FulfillmentId(id));
        _meters.ForceFlush();

        Assert.True(Sum("orders.transitions", ("from", "SHIPPED"), ("to", "DELIVERED")) >= 1);
        Assert.True(Sum("orders.commands", ("command", "Create"), ("outcome", "ok")) >= 1);
        Assert.True(Count("orders.saga.step.duration", ("saga", "CheckoutSaga"), ("step", "RequestStock"), ("outcome", "answered")) >= 1);
    }

    private long Sum(string metric, params (string Key, string Value)[] tags) =>
        Points(metric, tags).Sum(p => p.GetSumLong());

    private long Count(string metric, params (string Key, string Value)[] tags) =>
        Points(metric, tags).Sum(p => p.GetHistogramCount());

    private List<MetricPoint> Points(string metric, (string Key, string Value)[] tags)
    {
        var found = new List<MetricPoint>();
        Metric[] metrics;
        lock (_metrics) metrics = [.. _metrics.Where(m => m.Name == metric)];
        foreach (var m in metrics)
            foreach (ref readonly var point in m.GetMetricPoints())
            {
                var pointTags = new Dictionary<string, object?>();
                foreach (var tag in point.Tags) pointTags[tag.Key] = tag.Value;
                if (tags.All(t => Equals(pointTags.GetValueOrDefault(t.Key), t.Value))) found.Add(point);
            }
        return found;
    }
}
