using Orders.Domain.ValueObjects;

namespace Orders.Application.Ports.Outbound;

/// <summary>
/// Whether the saga engine can take another checkout now. A create is refused (503 with <c>Retry-After</c>, nothing
/// written) while the sagas in flight exceed what the engine can carry, rather than accepted and starved: a starved
/// saga's waits would measure the engine's queue instead of the other domain's silence, and its deadlines would
/// expire on orders whose answers were already there.
/// </summary>
public interface ISagaAdmission
{
    /// <summary>Returns when there is room; throws <see cref="SagasSaturatedException"/> (with how long to wait) otherwise.</summary>
    void EnsureRoom();

    /// <summary>
    /// A create was accepted and its checkout saga is still to be started (by the change log's saga-starts lane): it
    /// counts against the room until the saga starts. Without this, creates that outrun the lane are admitted against
    /// an engine that has not seen them yet.
    /// </summary>
    void Accepted(OrderId orderId) { }
}

/// <summary>No limit: for hosts whose engine does not report its load (the function app; see its README).</summary>
public sealed class UnlimitedSagaAdmission : ISagaAdmission
{
    public void EnsureRoom() { }
}

/// <summary>The saga engine is full; nothing was written. The HTTP adapter answers 503 with <c>Retry-After</c>.</summary>
public sealed class SagasSaturatedException : Exception
{
    public SagasSaturatedException(int inFlight, int limit, TimeSpan retryAfter)
        : base($"{inFlight} sagas are in flight or waiting to start, the most this service carries is {limit}.")
    {
        InFlight = inFlight;
        Limit = limit;
        RetryAfter = retryAfter;
    }

    public SagasSaturatedException() : this(0, 0, TimeSpan.FromSeconds(1)) { }

    public SagasSaturatedException(string message) : base(message) => RetryAfter = TimeSpan.FromSeconds(1);

    public SagasSaturatedException(string message, Exception innerException) : base(message, innerException) => RetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>Refused for a reason other than a count (the engine's queues are behind: <see cref="Admission.EngineBacklogAdmission"/>).</summary>
    public SagasSaturatedException(string message, TimeSpan retryAfter) : base(message) => RetryAfter = retryAfter;

    public int InFlight { get; }

    public int Limit { get; }

    public TimeSpan RetryAfter { get; }
}
