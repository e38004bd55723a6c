using Microsoft.DurableTask.Testing.Sidecar;

namespace Orders.Infrastructure.Durable;

/// <summary>
/// Thin decorator over the InProcessTestHost's <see cref="InMemoryOrchestrationService"/> that only changes the
/// concurrency caps the sidecar dispatchers read (<c>MaxConcurrentTaskOrchestrationWorkItems</c> /
/// <c>MaxConcurrentTaskActivityWorkItems</c>; the stock service returns <c>Environment.ProcessorCount</c> and the
/// dispatcher sleeps 500 ms every time the cap is reached).
/// </summary>
internal sealed class RaisedCapOrchestrationService(InMemoryOrchestrationService inner, int maxConcurrentOrchestrations, int maxConcurrentActivities)
    : DelegatingOrchestrationService(inner)
{
    public InMemoryOrchestrationService Inner { get; } = inner;

    // ---- the only behavioural change ----
    public override int MaxConcurrentTaskOrchestrationWorkItems { get; } = maxConcurrentOrchestrations;

    public override int MaxConcurrentTaskActivityWorkItems { get; } = maxConcurrentActivities;
}
