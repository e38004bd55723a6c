namespace Orders.Application.Ports.Outbound;

/// <summary>
/// The saga engine (Durable Task: the Functions host's Durable extension, or the local host's in-process engine) did
/// not answer a start, a restart or a query. A fault of what we depend on, not a bug: HTTP answers 503 with
/// <see cref="RetryAfter"/> (<c>server.saga-engine-unavailable</c>), a job or a lane fails its run and retries.
/// The adapter's message and inner exception are for logs; answers to callers say only what they can do.
/// </summary>
public sealed class SagaEngineUnavailableException : Exception
{
    public SagaEngineUnavailableException()
        : this("The saga engine did not answer.")
    {
    }

    public SagaEngineUnavailableException(string message)
        : base(message)
    {
    }

    public SagaEngineUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>How long a caller should wait before retrying.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether the request's change to the order was recorded before the engine failed (an operator resolution whose
    /// saga could not be restarted): the caller must not be told "nothing was changed", but how to finish it (the same
    /// request with the same Idempotency-Key records nothing twice and starts the saga).
    /// </summary>
    public bool ChangeRecorded { get; init; }

    /// <summary>This fault, as it ends a request whose change was recorded first.</summary>
    public SagaEngineUnavailableException AfterChangeRecorded() =>
        new(Message, this) { RetryAfter = RetryAfter, ChangeRecorded = true };
}
