namespace Orders.Application.Ports.Outbound;

/// <summary>
/// A store cannot serve the request right now: its disk is full, it is read-only, locked by another process beyond
/// the busy timeout, or failing I/O. Adapters translate their own errors into this one type, so callers need not
/// know the storage technology. Nothing was written (the adapter's transaction rolled back), so the same request may
/// be retried as is; the HTTP adapter answers 503 with <c>Retry-After</c>.
/// </summary>
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException(StoreFault fault, string message, Exception? innerException = null, TimeSpan? retryAfter = null)
        : base(message, innerException)
    {
        Fault = fault;
        _retryAfter = retryAfter;
    }

    private readonly TimeSpan? _retryAfter;

    public StoreUnavailableException()
        : this(StoreFault.Unavailable, "The store is unavailable.")
    {
    }

    public StoreUnavailableException(string message)
        : this(StoreFault.Unavailable, message)
    {
    }

    public StoreUnavailableException(string message, Exception innerException)
        : this(StoreFault.Unavailable, message, innerException)
    {
    }

    public StoreFault Fault { get; }

    /// <summary>
    /// How long a caller should wait before retrying: what the store said (Cosmos DB's throttling), else longer when a
    /// person has to act (a full or read-only disk) or the store is slow, a second otherwise.
    /// </summary>
    public TimeSpan RetryAfter => _retryAfter is { } said && said > TimeSpan.Zero ? said : Fault switch
    {
        StoreFault.Full or StoreFault.ReadOnly => TimeSpan.FromSeconds(30),
        StoreFault.Slow => TimeSpan.FromSeconds(5),
        _ => TimeSpan.FromSeconds(1),
    };

    /// <summary>
    /// Why, in words a caller may read (the problem detail, /health): the kind of fault, never the store's own message
    /// (which can carry a host and port, or a driver's text), which stays in <see cref="Exception.Message"/> for logs.
    /// </summary>
    public string PublicReason => Fault switch
    {
        StoreFault.Full => "its disk is full",
        StoreFault.ReadOnly => "it is read-only",
        StoreFault.Busy => "it is locked by another process",
        StoreFault.Slow => "it did not answer in time",
        StoreFault.Throttled => "it is throttling requests (its provisioned throughput is used up)",
        _ => "it cannot be reached or is failing",
    };

    /// <summary>
    /// Whether the store may still apply a write it was asked for (it did not answer in time, or the connection broke
    /// after sending): then "nothing was changed" cannot be promised, only that a repeat is applied at most once.
    /// </summary>
    public bool OutcomeUnknown { get; init; }
}

/// <summary>Why a store is unavailable.</summary>
public enum StoreFault
{
    /// <summary>Any other failure of the storage (I/O errors, cannot open).</summary>
    Unavailable,

    /// <summary>No space left.</summary>
    Full,

    /// <summary>The storage refuses writes.</summary>
    ReadOnly,

    /// <summary>Locked by someone else for longer than the store waits.</summary>
    Busy,

    /// <summary>Did not answer within the bound the service gives it (<see cref="TimeBoundOrderStore"/>).</summary>
    Slow,

    /// <summary>The store asks callers to slow down (Cosmos DB 429: the provisioned throughput is used up).</summary>
    Throttled,
}
