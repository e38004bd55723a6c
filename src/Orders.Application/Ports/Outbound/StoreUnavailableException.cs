namespace Orders.Application.Ports.Outbound;

/// <summary>
/// A store cannot serve the request right now: its disk is full, it is read-only, locked by another process beyond
/// the busy timeout, or failing I/O. Adapters translate their own errors into this one type, so callers need not
/// know the storage technology. Nothing was written (the adapter's transaction rolled back), so the same request may
/// be retried as is; the HTTP adapter answers 503 with <c>Retry-After</c>.
/// </summary>
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException(StoreFault fault, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Fault = fault;
    }

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

    /// <summary>How long a caller should wait before retrying: longer when a person has to act (a full or read-only disk).</summary>
    public TimeSpan RetryAfter => Fault is StoreFault.Full or StoreFault.ReadOnly ? TimeSpan.FromSeconds(30) : TimeSpan.FromSeconds(1);
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
}
