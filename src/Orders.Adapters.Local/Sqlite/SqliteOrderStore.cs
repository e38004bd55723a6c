using System.Globalization;
using Microsoft.Data.Sqlite;
using Orders.Application;
using Orders.Application.Idempotency;
using Orders.Application.Ports.Outbound;
using Orders.Application.Views;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;
using Orders.Application.Persistence;

namespace Orders.Infrastructure.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode. All writes go through one connection, one transaction at a time
/// (SQLite has one writer anyway; serialising in process avoids busy-waiting), reads use pooled connections and
/// never block writes. Same guarantees as every <see cref="IOrderStore"/>: atomic save with version check, ordered
/// append-only history, idempotency records in the same transaction.
/// </summary>
public sealed class SqliteOrderStore : IOrderStore, IOrderChangeLog, IInbox, IDisposable
{
    private readonly SqliteStoreOptions _options;
    private readonly SqliteConnection _writer;
    // Every write runs on this thread, on _writer, in arrival order (why not an async lock: SqliteWriterThread).
    private readonly SqliteWriterThread _writes;

    // The state views saved last: a read of a row still at the version saved here skips deserialising it.
    private readonly LastSaved<OrderView> _saved = new(v => v.OrderId.Value, v => v.Version);

    // Read connections kept open with their statements prepared (SqliteReaders).
    private readonly SqliteReaders _readers;

    // Prepared once, reused by the writer thread: statement preparation is a large part of a small write's cost.
    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);

    public SqliteOrderStore(SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(options.Path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = options.Path, Pooling = true, DefaultTimeout = 30 }.ToString();
        _writer = new SqliteConnection(connectionString);
        _writer.Open();
        _readers = new SqliteReaders(connectionString);
        Execute(_writer, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
        Execute(_writer, string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds}"));
        Migrate();
        if (options.MaxSizeBytes is { } cap)
        {
            using var pageSize = _writer.CreateCommand();
            pageSize.CommandText = "PRAGMA page_size";
            var pages = Math.Max(1, cap / Convert.ToInt64(pageSize.ExecuteScalar(), CultureInfo.InvariantCulture));
            Execute(_writer, string.Create(CultureInfo.InvariantCulture, $"PRAGMA max_page_count = {pages}"));
        }
        // Last: a store that fails to open leaves no thread behind.
        _writes = new SqliteWriterThread("orders-store-writer");
    }

    /// <summary>The schema version the file is at after start-up.</summary>
    public int SchemaVersion { get; private set; }

    public Task<Order?> LoadAsync(OrderId orderId, CancellationToken cancellationToken = default) =>
        SqliteFaults.GuardAsync("order store", () => LoadCoreAsync(orderId, cancellationToken));

    private async Task<Order?> LoadCoreAsync(OrderId orderId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orderId);
        var entries = await _readers.ReadAsync(async read =>
        {
            var command = read.Command("SELECT entry FROM order_events WHERE order_id = $id ORDER BY sequence", ("$id", orderId.Value));
            var texts = new List<string>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) texts.Add(reader.GetString(0));
            return texts;
        }, cancellationToken).ConfigureAwait(false);
        return entries.Count == 0 ? null : StoredJson.Rebuild(orderId, entries);
    }

    public Task<IReadOnlyList<StoredHistoryEntry>> ReadStoredHistoryAsync(OrderId orderId, CancellationToken cancellationToken = default) =>
        SqliteFaults.GuardAsync("order store", async () =>
        {
            ArgumentNullException.ThrowIfNull(orderId);
            return await _readers.ReadAsync(async read =>
            {
                var command = read.Command("SELECT sequence, entry FROM order_events WHERE order_id = $id ORDER BY sequence", ("$id", orderId.Value));
                var entries = new List<StoredHistoryEntry>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    entries.Add(StoredJson.ReadStored(reader.GetInt64(0), reader.GetString(1)));
                return (IReadOnlyList<StoredHistoryEntry>)entries;
            }, cancellationToken).ConfigureAwait(false);
        });

    public Task<IReadOnlyList<OrderId>> ListOrderIdsAsync(OrderId? after, int max, CancellationToken cancellationToken = default) =>
        SqliteFaults.GuardAsync("order store", async () =>
        {
            return await _readers.ReadAsync(async read =>
            {
                var command = read.Command("SELECT order_id FROM orders WHERE order_id > $after ORDER BY order_id LIMIT $max",
                    ("$after", after?.Value ?? ""), ("$max", Math.Max(0, max)));
                var ids = new List<OrderId>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) ids.Add(OrderId.From(reader.GetString(0)));
                return (IReadOnlyList<OrderId>)ids;
            }, cancellationToken).ConfigureAwait(false);
        });

    public async Task<StoredOrderState?> ReadStateAsync(OrderId orderId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(orderId);
        return await _readers.ReadAsync(async read =>
        {
            var command = read.Command("SELECT version, updated_at, document FROM orders WHERE order_id = $id", ("$id", orderId.Value));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
            var updatedAt = Ticks(reader.GetInt64(1));
            // The row still at the version this process saved: the view that was serialised into it.
            if (_saved.At(orderId.Value, reader.GetInt64(0)) is { } saved) return new StoredOrderState(saved, updatedAt);
            // The document as SQLite keeps it (UTF-8), deserialised without a UTF-16 copy: every GET of an order reads it.
            return new StoredOrderState(ApplicationJson.Deserialize<OrderView>(reader.GetFieldValue<byte[]>(2)), updatedAt);
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<SaveOutcome> SaveAsync(Order order, IdempotencyRecord? idempotency = null, CancellationToken cancellationToken = default) =>
        SqliteFaults.GuardAsync("order store", () => SaveCoreAsync(order, idempotency, cancellationToken));

    private async Task<SaveOutcome> SaveCoreAsync(Order order, IdempotencyRecord? idempotency, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var entries = order.UncommittedEntries;
        var view = entries.Count > 0 ? OrderView.From(order, withHistory: false) : null;
        // Serialised here, not on the writer thread: every writer of this file (creates, saga steps, checkpoints) waits
        // behind the writes queued before it, so the thread does SQLite's work alone.
        var document = view is null ? null : ApplicationJson.Serialize(view);
        var stored = new string[entries.Count];
        for (var i = 0; i < entries.Count; i++) stored[i] = StoredJson.WriteEntry(entries[i]);
        var outcome = await _writes.RunAsync(() =>
        {
            using var transaction = _writer.BeginTransaction(deferred: false);
            var current = Scalar(transaction, "SELECT version FROM orders WHERE order_id = $id", ("$id", order.Id.Value));
            if ((current is long version ? version : 0L) != order.PersistedVersion)
            {
                transaction.Rollback();
                return SaveOutcome.Conflict;
            }

            if (entries.Count > 0)
            {
                Run(transaction, """
                    INSERT INTO orders (order_id, version, status, buyer_id, created_at, updated_at, payment_due_by, document)
                    VALUES ($id, $version, $status, $buyer, $created, $updated, $due, $document)
                    ON CONFLICT (order_id) DO UPDATE SET version = excluded.version, status = excluded.status,
                        updated_at = excluded.updated_at, document = excluded.document
                    """,
                    ("$id", order.Id.Value), ("$version", order.Version), ("$status", OrderStatusNames.Of(order.Status)),
                    ("$buyer", order.BuyerId.Value), ("$created", order.CreatedAt.UtcTicks), ("$updated", entries[^1].At.UtcTicks),
                    ("$due", order.PaymentDueBy.UtcTicks), ("$document", document!));
                for (var i = 0; i < entries.Count; i++)
                    Run(transaction, "INSERT INTO order_events (order_id, sequence, type, at, entry) VALUES ($id, $seq, $type, $at, $entry)",
                        ("$id", order.Id.Value), ("$seq", entries[i].Sequence), ("$type", entries[i].Event.Type), ("$at", entries[i].At.UtcTicks),
                        ("$entry", stored[i]));
            }

            if (idempotency is not null)
                Run(transaction, """
                    INSERT INTO idempotency (order_id, record_id, request_hash, response, created_at, expires_at, unchanged)
                    VALUES ($id, $record, $hash, $response, $created, $expires, $unchanged)
                    ON CONFLICT (order_id, record_id) DO UPDATE SET request_hash = excluded.request_hash,
                        response = excluded.response, created_at = excluded.created_at, expires_at = excluded.expires_at,
                        unchanged = excluded.unchanged
                    """,
                    ("$id", idempotency.OrderId.Value), ("$record", idempotency.RecordId), ("$hash", idempotency.RequestHash),
                    ("$response", idempotency.Response), ("$created", idempotency.CreatedAt.UtcTicks), ("$expires", idempotency.ExpiresAt.UtcTicks),
                    ("$unchanged", idempotency.Unchanged ? 1 : 0));

            _options.BeforeCommit?.Invoke(order);
            transaction.Commit();
            if (view is not null) _saved.Saved(view);
            return SaveOutcome.Saved;
        }, cancellationToken).ConfigureAwait(false);
        if (outcome == SaveOutcome.Saved) order.MarkPersisted();
        return outcome;
    }

    public Task<IdempotencyRecord?> FindIdempotencyRecordAsync(OrderId orderId, string recordId, CancellationToken cancellationToken = default) =>
        SqliteFaults.GuardAsync("order store", () => FindIdempotencyRecordCoreAsync(orderId, recordId, cancellationToken));

    private async Task<IdempotencyRecord?> FindIdempotencyRecordCoreAsync(OrderId orderId, string recordId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orderId);
        return await _readers.ReadAsync(async read =>
        {
            var command = read.Command("SELECT request_hash, response, created_at, expires_at, unchanged FROM idempotency WHERE order_id = $id AND record_id = $record",
                ("$id", orderId.Value), ("$record", recordId));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
            return new IdempotencyRecord(orderId, recordId, reader.GetString(0), reader.GetString(1), Ticks(reader.GetInt64(2)), Ticks(reader.GetInt64(3)),
                reader.GetInt64(4) != 0);
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<int> PurgeExpiredIdempotencyRecordsAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default) =>
        SqliteFaults.GuardAsync("order store", () => PurgeExpiredIdempotencyRecordsCoreAsync(now, max, cancellationToken));

    private async Task<int> PurgeExpiredIdempotencyRecordsCoreAsync(DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        return await _writes.RunAsync(() =>
        {
            using var transaction = _writer.BeginTransaction(deferred: false);
            var deleted = Run(transaction, """
                DELETE FROM idempotency WHERE (order_id, record_id) IN
                    (SELECT order_id, record_id FROM idempotency WHERE expires_at <= $now ORDER BY expires_at LIMIT $max)
                """, ("$now", now.UtcTicks), ("$max", max));
            transaction.Commit();
            return deleted;
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<OrderSummary>> FindByStatusAsync(IReadOnlyCollection<OrderStatus> statuses, int max, CancellationToken cancellationToken = default) =>
        SqliteFaults.GuardAsync("order store", () => FindByStatusCoreAsync(statuses, max, cancellationToken));

    private async Task<IReadOnlyList<OrderSummary>> FindByStatusCoreAsync(IReadOnlyCollection<OrderStatus> statuses, int max, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        if (statuses.Count == 0) return [];
        // Rows written before the one spelling say "Created": both spellings match. One statement per number of
        // spellings asked for (a handful: the jobs' status sets), kept like every other read's.
        var names = statuses.SelectMany(OrderStatusNames.StoredSpellings).Select((s, i) => (Name: $"$s{i}", Value: (object)s)).ToArray();
        var sql = $"""
            SELECT order_id, status, version, created_at, updated_at, payment_due_by FROM orders
            WHERE status IN ({string.Join(", ", names.Select(n => n.Name))}) ORDER BY created_at, order_id LIMIT $max
            """;
        (string Name, object Value)[] parameters = [.. names, ("$max", max)];
        return await _readers.ReadAsync(async read =>
        {
            var result = new List<OrderSummary>();
            await using var reader = await read.Command(sql, parameters).ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                result.Add(new OrderSummary(OrderId.From(reader.GetString(0)), OrderStatusNames.ParseStored(reader.GetString(1)), reader.GetInt64(2),
                    Ticks(reader.GetInt64(3)), Ticks(reader.GetInt64(4)), Ticks(reader.GetInt64(5))));
            return (IReadOnlyList<OrderSummary>)result;
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<ChangeBatch> ReadAsync(string consumer, int maxEvents, CancellationToken cancellationToken = default) =>
        SqliteFaults.GuardAsync("order store", () => ReadCoreAsync(consumer, maxEvents, cancellationToken));

    private Task<ChangeBatch> ReadCoreAsync(string consumer, int maxEvents, CancellationToken cancellationToken) =>
        _readers.ReadAsync(async read =>
        {
            var command = read.Command("""
                SELECT position, order_id, entry FROM order_events
                WHERE position > COALESCE((SELECT position FROM checkpoints WHERE consumer = $consumer), 0)
                ORDER BY position LIMIT $max
                """, ("$consumer", consumer), ("$max", maxEvents));
            var events = new List<StoredEvent>();
            long last = -1;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    last = reader.GetInt64(0);
                    events.Add(new StoredEvent(OrderId.From(reader.GetString(1)), StoredJson.ReadEntry(reader.GetString(2))));
                }
            if (last < 0)
            {
                var current = read.Command("SELECT COALESCE((SELECT position FROM checkpoints WHERE consumer = $consumer), 0)", ("$consumer", consumer));
                last = (long)(await current.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }
            return new ChangeBatch(events, last.ToString(CultureInfo.InvariantCulture));
        }, cancellationToken);

    public Task CommitAsync(string consumer, string checkpoint, CancellationToken cancellationToken = default) =>
        SqliteFaults.GuardAsync("order store", () => CommitCoreAsync(consumer, checkpoint, cancellationToken));

    private async Task CommitCoreAsync(string consumer, string checkpoint, CancellationToken cancellationToken)
    {
        var position = long.Parse(checkpoint, CultureInfo.InvariantCulture);
        await _writes.RunAsync(() =>
        {
            using var transaction = _writer.BeginTransaction(deferred: false);
            // A checkpoint only moves forward: a slow consumer instance cannot rewind a faster one.
            Run(transaction, """
                INSERT INTO checkpoints (consumer, position) VALUES ($consumer, $position)
                ON CONFLICT (consumer) DO UPDATE SET position = MAX(position, excluded.position)
                """, ("$consumer", consumer), ("$position", position));
            transaction.Commit();
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<bool> WasHandledAsync(string eventId, CancellationToken cancellationToken = default) =>
        SqliteFaults.GuardAsync("order store", () => WasHandledCoreAsync(eventId, cancellationToken));

    private Task<bool> WasHandledCoreAsync(string eventId, CancellationToken cancellationToken) =>
        _readers.ReadAsync(async read =>
            await read.Command("SELECT 1 FROM inbox WHERE event_id = $id", ("$id", eventId)).ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null,
            cancellationToken);

    public Task MarkHandledAsync(string eventId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        WriteAsync(transaction => Run(transaction, "INSERT INTO inbox (event_id, handled_at) VALUES ($id, $at) ON CONFLICT (event_id) DO NOTHING",
            ("$id", eventId), ("$at", at.UtcTicks)), cancellationToken);

    public async Task ParkAsync(ParkedAnswer answer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(answer);
        await WriteAsync(transaction => Run(transaction, """
            INSERT INTO parked_answers (order_id, event_id, type, time, data, parked_at, reason)
            VALUES ($order, $id, $type, $time, $data, $parkedAt, $reason) ON CONFLICT (order_id, event_id) DO NOTHING
            """, ("$order", answer.OrderId), ("$id", answer.EventId), ("$type", answer.Type), ("$time", answer.Time.UtcTicks),
            ("$data", answer.DataJson), ("$parkedAt", answer.ParkedAt.UtcTicks), ("$reason", answer.Reason)), cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<ParkedAnswer>> ParkedForAsync(string orderId, CancellationToken cancellationToken = default) =>
        _readers.ReadAsync(async read =>
        {
            var command = read.Command("SELECT event_id, type, time, data, parked_at, reason FROM parked_answers WHERE order_id = $order ORDER BY parked_at, event_id",
                ("$order", orderId));
            var parked = new List<ParkedAnswer>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                parked.Add(new ParkedAnswer(reader.GetString(0), orderId, reader.GetString(1), Ticks(reader.GetInt64(2)),
                    reader.GetString(3), Ticks(reader.GetInt64(4)), reader.GetString(5)));
            return (IReadOnlyList<ParkedAnswer>)parked;
        }, cancellationToken);

    public Task UnparkAsync(string orderId, string eventId, CancellationToken cancellationToken = default) =>
        WriteAsync(transaction => Run(transaction, "DELETE FROM parked_answers WHERE order_id = $order AND event_id = $id",
            ("$order", orderId), ("$id", eventId)), cancellationToken);

    private Task WriteAsync(Action<SqliteTransaction> write, CancellationToken cancellationToken) =>
        SqliteFaults.GuardAsync("order store", () => WriteCoreAsync(write, cancellationToken));

    private async Task WriteCoreAsync(Action<SqliteTransaction> write, CancellationToken cancellationToken)
    {
        await _writes.RunAsync(() =>
        {
            using var transaction = _writer.BeginTransaction(deferred: false);
            write(transaction);
            transaction.Commit();
        }, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        // The writes already queued finish first: the connection is not disposed under a running write.
        _writes.Dispose();
        foreach (var command in _prepared.Values) command.Dispose();
        _writer.Dispose();
        _readers.Dispose();
    }

    private void Migrate()
    {
        Execute(_writer, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL)");
        using (var transaction = _writer.BeginTransaction(deferred: false))
        {
            var applied = Scalar(transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations") is long v ? v : 0;
            foreach (var (version, sql) in SqliteSchema.Migrations.Where(m => m.Version > applied))
            {
                Run(transaction, sql);
                Run(transaction, "INSERT INTO schema_migrations (version, applied_at) VALUES ($v, $at)",
                    ("$v", version), ("$at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)));
            }
            transaction.Commit();
        }
        using var check = _writer.CreateCommand();
        check.CommandText = "SELECT MAX(version) FROM schema_migrations";
        SchemaVersion = Convert.ToInt32(check.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static DateTimeOffset Ticks(long ticks) => new(ticks, TimeSpan.Zero);

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private int Run(SqliteTransaction transaction, string sql, params (string Name, object Value)[] parameters) =>
        Prepare(transaction, sql, parameters).ExecuteNonQuery();

    private object? Scalar(SqliteTransaction transaction, string sql, params (string Name, object Value)[] parameters) =>
        Prepare(transaction, sql, parameters).ExecuteScalar();

    /// <summary>A cached command on the writer connection; only the writer thread calls it.</summary>
    private SqliteCommand Prepare(SqliteTransaction transaction, string sql, (string Name, object Value)[] parameters)
    {
        if (!_prepared.TryGetValue(sql, out var command))
        {
            command = _writer.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, _) in parameters) command.Parameters.Add(new SqliteParameter { ParameterName = name });
            _prepared[sql] = command;
        }
        command.Transaction = transaction;
        foreach (var (name, value) in parameters) command.Parameters[name].Value = value;
        return command;
    }
}
