using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using P = Microsoft.DurableTask.Protobuf;

namespace Orders.Orchestrations.Tests.Replay;

/// <summary>
/// One orchestration's history as the engine kept it, in the Durable gRPC protocol's own form (the
/// <c>HistoryEvent</c> messages a Functions host sends its isolated worker), saved as protobuf JSON under
/// <c>Histories/</c>. Recorded from a real run on the in-process engine (<see cref="HistoryRecordingTests"/>).
/// </summary>
public sealed record RecordedHistory(string Scenario, string Orchestrator, string InstanceId, string Recorded, IReadOnlyList<P.HistoryEvent> Events)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The folder of the committed histories, in the test's output (copied there by the project file).</summary>
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Histories");

    public static RecordedHistory From(string scenario, string instanceId, string recorded, IEnumerable<DurableTask.Core.History.HistoryEvent> events)
    {
        var proto = events.Select(ProtobufUtils.ToHistoryEventProto).ToList();
        var started = proto.FirstOrDefault(e => e.EventTypeCase == P.HistoryEvent.EventTypeOneofCase.ExecutionStarted)
            ?? throw new InvalidOperationException($"{instanceId}: the history has no ExecutionStarted event.");
        return new RecordedHistory(scenario, started.ExecutionStarted.Name, instanceId, recorded, proto);
    }

    public static RecordedHistory Load(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var events = root["events"]!.AsArray().Select(e => JsonParser.Default.Parse<P.HistoryEvent>(e!.ToJsonString())).ToList();
        return new RecordedHistory((string)root["scenario"]!, (string)root["orchestrator"]!, (string)root["instanceId"]!, (string)root["recorded"]!, events);
    }

    public void Save(string folder)
    {
        var root = new JsonObject
        {
            ["scenario"] = Scenario,
            ["orchestrator"] = Orchestrator,
            ["instanceId"] = InstanceId,
            ["recorded"] = Recorded,
            ["events"] = new JsonArray([.. Events.Select(e => JsonNode.Parse(JsonFormatter.Default.Format(e)))]),
        };
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, Scenario + ".json"), root.ToJsonString(Indented) + "\n");
    }

    /// <summary>The orchestration's output as recorded (null when it had not completed).</summary>
    public string? Output => Events.LastOrDefault(e => e.EventTypeCase == P.HistoryEvent.EventTypeOneofCase.ExecutionCompleted)?.ExecutionCompleted.Result;

    public override string ToString() => Scenario;
}
