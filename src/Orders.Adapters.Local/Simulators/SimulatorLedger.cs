using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Orders.Infrastructure.Simulators;

/// <summary>One effect a simulated domain produced (a reservation, an authorisation, a capture, a refund, a parcel).</summary>
public sealed record LedgerEntry(string OrderId, string Kind, string Reference, long Minor, string? Currency = null);

/// <summary>
/// Everything the simulated domains did, once per idempotency key: the evidence that retries and replays never
/// charge, reserve, refund or ship twice.
/// <para>
/// In memory by default (the local host, the saga harnesses). Given a file (<see cref="SimulatorLedger(string)"/>)
/// it is a SQLite database in WAL mode, as the real payments, inventory and shipping domains outlive the orders
/// service: a crash and restart of the function app, or a second app instance on the same data folder, sees the
/// same effects, so a request re-sent after the crash (or by the other instance) is recognised by its key and never
/// acts twice. SQLite in WAL mode serves several processes on one machine (file locks and a shared-memory index;
/// not over a network file system).
/// </para>
/// </summary>
public sealed class SimulatorLedger : IDisposable
{
    private readonly ConcurrentDictionary<string, LedgerEntry> _effects = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Key, LedgerEntry Entry, DateTimeOffset At)> _inOrder = new();
    private readonly TimeProvider _clock;
    private readonly Lock _pruning = new();
    private int _requests;
    private readonly SqliteConnection? _file;
    private readonly Lock _fileLock = new();

    public SimulatorLedger(TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>
    /// How long an in-memory ledger remembers effects; null: for ever. With one (the local host sets it) the ledger
    /// forgets effects older than that, as a real domain expires its idempotency records, so a long-running process
    /// keeps a bounded ledger. It must outlast any re-send of a request (a saga re-sends only while it waits).
    /// The file-backed ledger keeps everything (the function app's local runs are short).
    /// </summary>
    public TimeSpan? Retention { get; init; }

    /// <summary>A ledger kept in the SQLite file at <paramref name="path"/> (created if missing), shared by every process that opens it.</summary>
    public SimulatorLedger(string path)
        : this((TimeProvider?)null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        _file = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 30 }.ToString());
        _file.Open();
        Execute("PRAGMA busy_timeout = 30000");
        Execute("PRAGMA journal_mode = WAL");
        Execute("""
            CREATE TABLE IF NOT EXISTS effects (
                position INTEGER PRIMARY KEY AUTOINCREMENT,
                idempotency_key TEXT NOT NULL UNIQUE,
                order_id TEXT NOT NULL, kind TEXT NOT NULL, reference TEXT NOT NULL, minor INTEGER NOT NULL, currency TEXT NULL);
            CREATE INDEX IF NOT EXISTS effects_by_order ON effects (order_id, position);
            CREATE TABLE IF NOT EXISTS requests (position INTEGER PRIMARY KEY AUTOINCREMENT, idempotency_key TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS answers (
                event_id TEXT PRIMARY KEY, type TEXT NOT NULL, time TEXT NOT NULL, data TEXT NOT NULL,
                locked_until INTEGER NOT NULL, deliveries INTEGER NOT NULL DEFAULT 0, delivered INTEGER NOT NULL DEFAULT 0);
            CREATE INDEX IF NOT EXISTS answers_undelivered ON answers (delivered, locked_until);
            """);
    }

    /// <summary>Where the ledger is kept: null in memory.</summary>
    public bool IsPersistent => _file is not null;

    /// <summary>Records an effect for a key; false when the key already produced one (a retried or replayed request).</summary>
    public bool TryRecord(string idempotencyKey, LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        ArgumentNullException.ThrowIfNull(entry);
        if (_file is null)
        {
            var requests = Interlocked.Increment(ref _requests);
            if (!_effects.TryAdd(idempotencyKey, entry)) return false;
            _inOrder.Enqueue((idempotencyKey, entry, _clock.GetUtcNow()));
            if (Retention is { } keep && requests % 256 == 0) Prune(_clock.GetUtcNow() - keep);
            return true;
        }
        lock (_fileLock)
        {
            using var transaction = _file.BeginTransaction(deferred: false);
            using var request = Command("INSERT INTO requests (idempotency_key) VALUES ($key)", transaction, ("$key", idempotencyKey));
            request.ExecuteNonQuery();
            using var insert = Command("""
                INSERT INTO effects (idempotency_key, order_id, kind, reference, minor, currency)
                VALUES ($key, $order, $kind, $reference, $minor, $currency) ON CONFLICT (idempotency_key) DO NOTHING
                """, transaction, ("$key", idempotencyKey), ("$order", entry.OrderId), ("$kind", entry.Kind), ("$reference", entry.Reference),
                ("$minor", entry.Minor), ("$currency", entry.Currency));
            var recorded = insert.ExecuteNonQuery() == 1;
            transaction.Commit();
            return recorded;
        }
    }

    public LedgerEntry? Find(string idempotencyKey) =>
        _file is null ? _effects.GetValueOrDefault(idempotencyKey) : Read(SelectEffects + " WHERE idempotency_key = $p ORDER BY position", idempotencyKey).FirstOrDefault();

    /// <summary>An order's effects in the order they happened.</summary>
    public IReadOnlyList<LedgerEntry> For(string orderId) =>
        _file is null ? _inOrder.Where(e => e.Entry.OrderId == orderId).Select(e => e.Entry).ToArray() : Read(SelectEffects + " WHERE order_id = $p ORDER BY position", orderId);

    public int Count(string orderId, string kind) =>
        _file is null ? _effects.Values.Count(e => e.OrderId == orderId && e.Kind == kind) : For(orderId).Count(e => e.Kind == kind);

    /// <summary>How many requests arrived in all, duplicates included.</summary>
    public int Requests
    {
        get
        {
            if (_file is null) return Volatile.Read(ref _requests);
            lock (_fileLock)
            {
                using var count = Command("SELECT count(*) FROM requests", null);
                return Convert.ToInt32(count.ExecuteScalar(), CultureInfo.InvariantCulture);
            }
        }
    }

    /// <summary>
    /// Keeps an answer about to be sent (file ledger only), locked for its sender until <paramref name="lockedUntil"/>:
    /// like a message on a broker, it is delivered again by whoever finds it unsettled after the lock
    /// (<see cref="ClaimLostAnswers"/>) — the sender may die with it. The same event id is kept once.
    /// </summary>
    public void KeepAnswer(string eventId, string type, DateTimeOffset time, string dataJson, DateTimeOffset lockedUntil)
    {
        if (_file is null) return;
        lock (_fileLock)
        {
            using var insert = Command("""
                INSERT INTO answers (event_id, type, time, data, locked_until) VALUES ($id, $type, $time, $data, $lock)
                ON CONFLICT (event_id) DO NOTHING
                """, null, ("$id", eventId), ("$type", type), ("$time", time.ToString("O", CultureInfo.InvariantCulture)), ("$data", dataJson),
                ("$lock", lockedUntil.UtcTicks));
            insert.ExecuteNonQuery();
        }
    }

    /// <summary>Settles a kept answer: it was delivered (or given up), nobody sends it again.</summary>
    public void SettleAnswer(string eventId)
    {
        if (_file is null) return;
        lock (_fileLock)
        {
            using var update = Command("UPDATE answers SET delivered = 1 WHERE event_id = $id", null, ("$id", eventId));
            update.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// Takes the kept answers whose sender's lock ran out unsettled (it died, or every delivery failed), locking each
    /// for this caller until <paramref name="lockUntil"/>; one caller wins each. At most <paramref name="maxDeliveries"/>
    /// claims per answer (then it is left, as a broker dead-letters a message).
    /// </summary>
    public IReadOnlyList<(string EventId, string Type, DateTimeOffset Time, string DataJson)> ClaimLostAnswers(DateTimeOffset now, DateTimeOffset lockUntil, int maxDeliveries)
    {
        if (_file is null) return [];
        lock (_fileLock)
        {
            using var transaction = _file.BeginTransaction(deferred: false);
            var claimed = new List<(string, string, DateTimeOffset, string)>();
            using (var query = Command("SELECT event_id, type, time, data FROM answers WHERE delivered = 0 AND locked_until < $now AND deliveries < $max LIMIT 50",
                       transaction, ("$now", now.UtcTicks), ("$max", maxDeliveries)))
            using (var reader = query.ExecuteReader())
                while (reader.Read())
                    claimed.Add((reader.GetString(0), reader.GetString(1), DateTimeOffset.Parse(reader.GetString(2), CultureInfo.InvariantCulture), reader.GetString(3)));
            foreach (var (id, _, _, _) in claimed)
            {
                using var claim = Command("UPDATE answers SET locked_until = $lock, deliveries = deliveries + 1 WHERE event_id = $id", transaction,
                    ("$lock", lockUntil.UtcTicks), ("$id", id));
                claim.ExecuteNonQuery();
            }
            transaction.Commit();
            return claimed;
        }
    }

    private void Prune(DateTimeOffset before)
    {
        lock (_pruning)
        {
            while (_inOrder.TryPeek(out var oldest) && oldest.At < before && _inOrder.TryDequeue(out oldest))
                _effects.TryRemove(oldest.Key, out _);
        }
    }

    public void Dispose() => _file?.Dispose();

    private const string SelectEffects = "SELECT order_id, kind, reference, minor, currency FROM effects";

    private List<LedgerEntry> Read(string sql, string value)
    {
        lock (_fileLock)
        {
            using var query = Command(sql, null, ("$p", value));
            using var reader = query.ExecuteReader();
            var entries = new List<LedgerEntry>();
            while (reader.Read())
                entries.Add(new LedgerEntry(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
            return entries;
        }
    }

    private void Execute(string sql)
    {
        using var command = Command(sql, null);
        command.ExecuteNonQuery();
    }

    private SqliteCommand Command(string sql, SqliteTransaction? transaction, params (string Name, object? Value)[] parameters)
    {
        var command = _file!.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }
}
