using System.Diagnostics;
using Orders.Application.UseCases;
using Orders.Domain.Common;
using Orders.Domain.OrderAggregate;

namespace Orders.Application.Telemetry;

/// <summary>What a command did, on its span and in the command and transition counters.</summary>
internal static class CommandTelemetry
{
    public static void Record(Activity? activity, string command, Result<CommandReply> result)
    {
        var outcome = result.IsSuccess
            ? result.Value!.Replayed ? "replayed" : result.Value.Unchanged ? "unchanged" : "ok"
            : result.Rejection!.Code;
        OrdersTelemetry.Commands.Add(1, new("command", command), new("outcome", outcome));
        if (activity is null) return;
        activity.SetTag("orders.command", command);
        activity.SetTag("orders.outcome", outcome);
        if (result.IsSuccess) activity.SetTag("orders.status", Orders.Domain.ValueObjects.OrderStatusNames.Of(result.Value!.Receipt.Status));
        else activity.SetStatus(ActivityStatusCode.Error, result.Rejection!.Code);
    }

    public static void RecordTransitions(IReadOnlyList<HistoryEntry> entries)
    {
        foreach (var entry in entries)
        {
            if (entry.From == entry.To) continue; // a fact without a status change (refund requested, cash, address)
            var from = entry.From is { } was ? Orders.Domain.ValueObjects.OrderStatusNames.Of(was) : "none";
            var to = Orders.Domain.ValueObjects.OrderStatusNames.Of(entry.To);
            OrdersTelemetry.Transitions.Add(1, new("from", from), new("to", to));
            Activity.Current?.AddEvent(new ActivityEvent($"transition {from} -> {to}"));
        }
    }
}
