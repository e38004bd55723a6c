using Orders.Infrastructure.Sqlite;
using Microsoft.Data.Sqlite;
using Orders.Application.Jobs;
using Orders.Domain.ValueObjects;

namespace Orders.Infrastructure.Jobs;

/// <summary>
/// The stuck-order read model in an embedded SQLite file (WAL), for the local host. One row per order; a flag is one
/// upsert that writes only when the entry differs (so flagging the same entry again changes nothing). Times are
/// stored as UTC ticks. Its table has its own name, so it can share a file with the order store or the read models.
/// </summary>
public sealed class SqliteStuckOrderLog : IStuckOrderLog, IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS jobs_stuck_orders (
            order_id    TEXT    NOT NULL PRIMARY KEY,
            status      TEXT    NOT NULL,
            since       INTEGER NOT NULL,
            reason      TEXT    NOT NULL,
            detail      TEXT    NOT NULL,
            detected_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_jobs_stuck_orders_detected ON jobs_stuck_orders (detected_at, order_id);
        """;

    private readonly string _connectionString;
    private readonly SqliteConnection _keepAlive;

    public SqliteStuckOrderLog(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
        _keepAlive = new SqliteConnection(_connectionString);
        _keepAlive.Open();
        using var command = _keepAlive.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; " + Schema;
        command.ExecuteNonQuery();
    }

    public Task<StuckOrder?> GetAsync(OrderId orderId, CancellationToken cancellationToken = default) =>
        SqliteFaults.GuardAsync("stuck-order log", () => GetCoreAsync(orderId, cancellationToken));

    private async Task<StuckOrder?> GetCoreAsync(OrderId orderId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orderId);
        var found = await QueryAsync("SELECT order_id, status, since, reason, detail, detected_at FROM jobs_stuck_orders WHERE order_id = $id",
            [("$id", orderId.Value)], cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public Task<bool> FlagAsync(StuckOrder entry, CancellationToken cancellationToken = default) =>
        SqliteFaults.GuardAsync("stuck-order log", () => FlagCoreAsync(entry, cancellationToken));

    private async Task<bool> FlagCoreAsync(StuckOrder entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return await ExecuteAsync("""
            INSERT INTO jobs_stuck_orders (order_id, status, since, reason, detail, detected_at)
            VALUES ($id, $status, $since, $reason, $detail, $detected)
            ON CONFLICT (order_id) DO UPDATE SET status = excluded.status, since = excluded.since, reason = excluded.reason,
                detail = excluded.detail, detected_at = excluded.detected_at
            WHERE (status, since, reason, detail, detected_at)
                IS NOT (excluded.status, excluded.since, excluded.reason, excluded.detail, excluded.detected_at)
            """,
            [("$id", entry.OrderId.Value), ("$status", OrderStatusNames.Of(entry.Status)), ("$since", entry.Since.UtcTicks),
             ("$reason", entry.Reason), ("$detail", entry.Detail), ("$detected", entry.DetectedAt.UtcTicks)],
            cancellationToken).ConfigureAwait(false) > 0;
    }

    public Task<bool> UnflagAsync(OrderId orderId, CancellationToken cancellationToken = default) =>
        SqliteFaults.GuardAsync("stuck-order log", () => UnflagCoreAsync(orderId, cancellationToken));

    private async Task<bool> UnflagCoreAsync(OrderId orderId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orderId);
        return await ExecuteAsync("DELETE FROM jobs_stuck_orders WHERE order_id = $id", [("$id", orderId.Value)], cancellationToken)
            .ConfigureAwait(false) > 0;
    }

    public Task<IReadOnlyList<StuckOrder>> ListAsync(int max, CancellationToken cancellationToken = default) =>
        SqliteFaults.GuardAsync("stuck-order log", () => ListCoreAsync(max, cancellationToken));

    private Task<IReadOnlyList<StuckOrder>> ListCoreAsync(int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        return QueryAsync("""
            SELECT order_id, status, since, reason, detail, detected_at FROM jobs_stuck_orders
            ORDER BY detected_at, order_id LIMIT $max
            """, [("$max", max)], cancellationToken);
    }

    public void Dispose() => _keepAlive.Dispose();

    private async Task<int> ExecuteAsync(string sql, (string Name, object Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<StuckOrder>> QueryAsync(string sql, (string Name, object Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var found = new List<StuckOrder>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            found.Add(new StuckOrder(OrderId.From(reader.GetString(0)), OrderStatusNames.ParseStored(reader.GetString(1)), Ticks(reader.GetInt64(2)),
                reader.GetString(3), reader.GetString(4), Ticks(reader.GetInt64(5))));
        return found;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }

    private static DateTimeOffset Ticks(long utcTicks) => new(utcTicks, TimeSpan.Zero);
}
