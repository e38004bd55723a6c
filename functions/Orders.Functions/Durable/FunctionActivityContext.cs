using Microsoft.DurableTask;

namespace Orders.Functions.Durable;

/// <summary>
/// The <see cref="TaskActivityContext"/> an activity class receives when a Functions <c>[ActivityTrigger]</c> wrapper
/// runs it: its name and the orchestration instance id (bound from the trigger's metadata). This is what the Durable
/// source generator would emit (its <c>GeneratedActivityContext</c>); the generator is not served here. None of
/// Orders' activities reads its context today.
/// </summary>
public sealed class FunctionActivityContext(TaskName name, string instanceId) : TaskActivityContext
{
    public override TaskName Name { get; } = name;

    public override string InstanceId { get; } = instanceId ?? string.Empty;
}
