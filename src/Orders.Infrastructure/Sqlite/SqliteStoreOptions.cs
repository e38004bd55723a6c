using Orders.Domain.OrderAggregate;

namespace Orders.Infrastructure.Sqlite;

public sealed record SqliteStoreOptions
{
    /// <summary>The database file; created with its folder if missing.</summary>
    public required string Path { get; init; }

    /// <summary>
    /// Test seam: runs inside the write transaction after every row is written and before the commit. A throw here
    /// must leave nothing behind (the crash-safety test uses it).
    /// </summary>
    public Action<Order>? BeforeCommit { get; init; }
}
