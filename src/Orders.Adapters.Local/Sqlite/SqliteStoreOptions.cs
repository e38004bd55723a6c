using Orders.Domain.OrderAggregate;

namespace Orders.Infrastructure.Sqlite;

public sealed record SqliteStoreOptions
{
    /// <summary>The database file; created with its folder if missing.</summary>
    public required string Path { get; init; }

    /// <summary>How long a write waits for another process's lock before the store reports itself busy (503).</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The most the database file may grow to (SQLite's <c>max_page_count</c>), or null for no cap. A write that would
    /// pass it fails as if the disk were full (SQLITE_FULL): the store reports itself unavailable, writes nothing.
    /// </summary>
    public long? MaxSizeBytes { get; init; }

    /// <summary>
    /// Test seam: runs inside the write transaction after every row is written and before the commit. A throw here
    /// must leave nothing behind (the crash-safety test uses it).
    /// </summary>
    public Action<Order>? BeforeCommit { get; init; }
}
