namespace Orders.Application.Ports.Outbound;

/// <summary>Delivers an answering integration event to the saga instance waiting for it.</summary>
public interface ISagaSignals
{
    /// <summary>Raises <paramref name="eventName"/> on the instance; an instance that does not exist (or has ended) ignores it.</summary>
    Task RaiseAsync(string instanceId, string eventName, object payload, CancellationToken cancellationToken = default);
}
