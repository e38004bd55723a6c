using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Orders.Domain.ValueObjects;

namespace Orders.Application.Telemetry;

/// <summary>
/// Every order has one trace: its W3C trace id (and a root span id) are derived from the order id, so every operation
/// about the order — the create call, each command, each saga activity's request, each answer from another domain,
/// each published event — joins the same trace without storing any context, across processes, restarts and the
/// Durable engine (which does not carry ambient context into activities). A span started by a caller in another trace
/// (the HTTP request, a Durable work item, a message from another domain) is linked to the order's span both ways.
/// <para>
/// The root span itself (<see cref="RootOf"/>) is virtual: no process records it, so trace viewers show the order's
/// spans under one missing root. Find an order's trace by <see cref="TraceIdOf"/> (or the <c>order.id</c> tag).
/// </para>
/// </summary>
public static class OrderTrace
{
    public const string OrderIdTag = "order.id";

    public static ActivityTraceId TraceIdOf(OrderId orderId) => RootOf(orderId).TraceId;

    /// <summary>The order's virtual root span: trace id and span id from SHA-256 of the order id.</summary>
    public static ActivityContext RootOf(OrderId orderId)
    {
        ArgumentNullException.ThrowIfNull(orderId);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("orders.trace.v1\n" + orderId.Value));
        return new ActivityContext(ActivityTraceId.CreateFromBytes(hash.AsSpan(0, 16)), ActivitySpanId.CreateFromBytes(hash.AsSpan(16, 8)),
            ActivityTraceFlags.Recorded, isRemote: true);
    }

    /// <summary>
    /// Starts a span in the order's trace: under <paramref name="linkTo"/> (an inbound message's context) or
    /// <see cref="Activity.Current"/> when it is already in that trace, else under the order's root, linked to the
    /// message's or the current span. Null when nobody listens.
    /// </summary>
    public static Activity? Start(string name, OrderId orderId, ActivityKind kind = ActivityKind.Internal, ActivityContext? linkTo = null)
    {
        var root = RootOf(orderId);
        var current = Activity.Current;
        var parent = linkTo is { } remote && remote.TraceId == root.TraceId ? remote
            : current is not null && current.TraceId == root.TraceId ? current.Context : root;
        var other = linkTo ?? (current is not null && current.TraceId != root.TraceId ? current.Context : (ActivityContext?)null);
        ActivityLink[]? links = other is { } link && link.TraceId != root.TraceId ? [new ActivityLink(link)] : null;
        var activity = OrdersTelemetry.Source.StartActivity(name, kind, parent, links: links);
        activity?.SetTag(OrderIdTag, orderId.Value);
        // The caller's span points back at the order's trace too, so either side leads to the other.
        if (activity is not null && current is not null && current.TraceId != root.TraceId) current.AddLink(new ActivityLink(activity.Context));
        return activity;
    }

    /// <summary>
    /// The W3C <c>traceparent</c> to send with a message about the order: the current span when it is in the order's
    /// trace, else the order's root. Deterministic when nothing is traced.
    /// </summary>
    public static string TraceParentFor(OrderId orderId)
    {
        var root = RootOf(orderId);
        var current = Activity.Current;
        var context = current is not null && current.TraceId == root.TraceId ? current.Context : root;
        return Format(context);
    }

    public static string Format(ActivityContext context) =>
        $"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-{((context.TraceFlags & ActivityTraceFlags.Recorded) != 0 ? "01" : "00")}";

    /// <summary>Reads a W3C <c>traceparent</c> (and optional <c>tracestate</c>); null when absent or malformed.</summary>
    public static ActivityContext? Parse(string? traceParent, string? traceState = null) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var context) ? context : null;
}
