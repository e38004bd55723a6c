using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker.Grpc;
using P = Microsoft.DurableTask.Protobuf;
using Kind = Microsoft.DurableTask.Protobuf.HistoryEvent.EventTypeOneofCase;

namespace Orders.Orchestrations.Tests.Replay;

/// <summary>
/// Replays a recorded history against an orchestrator, one episode at a time, exactly as an engine would have run it:
/// for each episode (from an <c>OrchestratorStarted</c> to the next) the orchestrator gets everything before it as past
/// events and what woke it (activity results, answers, timers) as new events, through
/// <see cref="GrpcOrchestrationRunner"/> (what the Functions isolated worker runs for every orchestration turn). What
/// it decides to do must be what the recorded code did at that point: the same activities, timers and events, by
/// name, at the same sequence numbers, and the same completion (status and the output's result). Any other decision is what
/// Durable calls a non-determinism: an instance in flight would fail or go wrong when its history meets the new code.
/// </summary>
public static class SagaReplayer
{
    /// <summary>Where the replay decided differently from the recording; empty when it replays as it ran.</summary>
    public static IReadOnlyList<string> Divergences(RecordedHistory history, ITaskOrchestrator orchestrator)
    {
        ArgumentNullException.ThrowIfNull(history);
        var divergences = new List<string>();
        var past = new List<P.HistoryEvent>();
        var episodes = Episodes(history.Events);
        for (var n = 0; n < episodes.Count; n++)
        {
            var episode = episodes[n];
            var request = new P.OrchestratorRequest { InstanceId = history.InstanceId };
            request.PastEvents.AddRange(past);
            request.NewEvents.AddRange(episode.Where(e => !IsDecision(e) && e.EventTypeCase != Kind.OrchestratorCompleted));
            var encoded = GrpcOrchestrationRunner.LoadAndRun(Convert.ToBase64String(request.ToByteArray()), orchestrator);
            var response = P.OrchestratorResponse.Parser.ParseFrom(Convert.FromBase64String(encoded));

            var recorded = episode.Where(IsDecision).Select(Describe).ToList();
            var replayed = response.Actions.Select(Describe).ToList();
            if (!recorded.SequenceEqual(replayed, StringComparer.Ordinal))
                divergences.Add($"{history.Scenario}, episode {n + 1} of {episodes.Count}: recorded [{string.Join("; ", recorded)}], " +
                                $"replayed [{string.Join("; ", replayed)}]");
            past.AddRange(episode);
        }
        return divergences;
    }

    /// <summary>The history cut at each <c>OrchestratorStarted</c> (anything before the first belongs to the first).</summary>
    private static List<List<P.HistoryEvent>> Episodes(IReadOnlyList<P.HistoryEvent> events)
    {
        var episodes = new List<List<P.HistoryEvent>>();
        foreach (var e in events)
        {
            if (episodes.Count == 0 || (e.EventTypeCase == Kind.OrchestratorStarted && episodes[^1].Any(x => x.EventTypeCase == Kind.OrchestratorStarted)))
                episodes.Add([]);
            episodes[^1].Add(e);
        }
        return episodes;
    }

    /// <summary>Events that record what the orchestrator decided (as opposed to what happened to it).</summary>
    private static bool IsDecision(P.HistoryEvent e) => e.EventTypeCase is Kind.TaskScheduled or Kind.TimerCreated or Kind.EventSent
        or Kind.SubOrchestrationInstanceCreated or Kind.ExecutionCompleted or Kind.ContinueAsNew;

    private static string Describe(P.HistoryEvent e) => e.EventTypeCase switch
    {
        Kind.TaskScheduled => $"#{e.EventId} activity {e.TaskScheduled.Name}",
        Kind.TimerCreated => $"#{e.EventId} timer",
        Kind.EventSent => $"#{e.EventId} send {e.EventSent.Name}",
        Kind.SubOrchestrationInstanceCreated => $"#{e.EventId} sub-orchestration {e.SubOrchestrationInstanceCreated.Name}",
        Kind.ExecutionCompleted => Completion(e.ExecutionCompleted.OrchestrationStatus, e.ExecutionCompleted.Result, e.ExecutionCompleted.FailureDetails),
        _ => $"#{e.EventId} {e.EventTypeCase}",
    };

    private static string Describe(P.OrchestratorAction a) => a.OrchestratorActionTypeCase switch
    {
        P.OrchestratorAction.OrchestratorActionTypeOneofCase.ScheduleTask => $"#{a.Id} activity {a.ScheduleTask.Name}",
        P.OrchestratorAction.OrchestratorActionTypeOneofCase.CreateTimer => $"#{a.Id} timer",
        P.OrchestratorAction.OrchestratorActionTypeOneofCase.SendEvent => $"#{a.Id} send {a.SendEvent.Name}",
        P.OrchestratorAction.OrchestratorActionTypeOneofCase.CreateSubOrchestration => $"#{a.Id} sub-orchestration {a.CreateSubOrchestration.Name}",
        P.OrchestratorAction.OrchestratorActionTypeOneofCase.CompleteOrchestration =>
            Completion(a.CompleteOrchestration.OrchestrationStatus, a.CompleteOrchestration.Result, a.CompleteOrchestration.FailureDetails),
        _ => $"#{a.Id} {a.OrchestratorActionTypeCase}",
    };

    /// <summary>
    /// How the orchestration ended: its status and the <c>Result</c> of its output (how the saga ended, typed: what
    /// readers rely on). The output's <c>Reason</c> is free text and may be reworded without breaking anything.
    /// </summary>
    private static string Completion(P.OrchestrationStatus status, string? output, P.TaskFailureDetails? failure)
    {
        var result = output;
        try
        {
            if (output is not null && JsonNode.Parse(output) is JsonObject outcome)
                result = outcome.FirstOrDefault(p => string.Equals(p.Key, "Result", StringComparison.OrdinalIgnoreCase)).Value?.ToJsonString() ?? output;
        }
        catch (JsonException)
        {
            // Not an object: compared whole.
        }
        return failure is null ? $"{status} {result}" : $"{status} {result} ({failure.ErrorType}: {failure.ErrorMessage})";
    }
}
