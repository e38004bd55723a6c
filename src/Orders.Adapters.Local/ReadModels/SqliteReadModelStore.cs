using Orders.Infrastructure.Sqlite;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Orders.Application;
using Orders.Application.ReadModels;
using Orders.Application.Views;
using Orders.Domain.Common;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;

namespace Orders.Infrastructure.ReadModels;

/// <summary>
/// The read models in an embedded SQLite file (WAL), beside the order store and independent of it. As there, all
/// writes go through one connection on one thread (<see cref="SqliteWriterThread"/>) and reads use pooled
/// connections that never block writes. Every put is one conditional upsert (<c>WHERE excluded.version &gt;
/// version</c>), so a view never moves backwards.
/// </summary>
public sealed class SqliteReadModelStore : IReadModelStore, IReadModelQueries, IDisposable
{
    private readonly ReadModelOptions _options;
    private readonly string _connectionString;
    private readonly SqliteConnection _writer;
    private readonly SqliteWriterThread _writes;
    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);

    // The details this process wrote last: the projector reads each one back for the next facts of its order, and a
    // row still at the sequence written here is not deserialised again (a detail carries the order's whole history).
    private readonly LastSaved<OrderDetailRecord> _written = new(d => d.OrderId.Value, d => d.Sequence);

    public SqliteReadModelStore(SqliteReadModelStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.ReadModels;
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(options.Path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = options.Path, Pooling = true, DefaultTimeout = 30 }.ToString();
        _writer = new SqliteConnection(_connectionString);
        _writer.Open();
        Execute(_writer, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;");
        Migrate();
        // Last: a store that fails to open leaves no thread behind.
        _writes = new SqliteWriterThread("orders-read-model-writer");
    }

    /// <summary>The read-model schema version the file is at after start-up.</summary>
    public int SchemaVersion { get; private set; }

    public Task<OrderDetailRecord?> GetDetailAsync(OrderId orderId, CancellationToken cancellationToken = default) =>
        SqliteFaults.GuardAsync("read-model store", () => GetDetailCoreAsync(orderId, cancellationToken));

    private async Task<OrderDetailRecord?> GetDetailCoreAsync(OrderId orderId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orderId);
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, DetailQuery, ("$id", orderId.Value));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Detail(orderId, reader) : null;
    }

    private const string DetailQuery = "SELECT sequence, view, entries FROM rm_order_details WHERE order_id = $id";

    /// <summary>A detail from a row of <see cref="DetailQuery"/>: the one written here when the row is still at its sequence.</summary>
    private OrderDetailRecord Detail(OrderId orderId, SqliteDataReader row) =>
        _written.At(orderId.Value, row.GetInt64(0))
        ?? new(ApplicationJson.Deserialize<OrderView>(row.GetString(1)),
            JsonSerializer.Deserialize<HistoryEntry[]>(row.GetString(2), DomainJson.Options) ?? []);

    public Task<bool> PutDetailAsync(OrderDetailRecord detail, CancellationToken cancellationToken = default) =>
        SqliteFaults.GuardAsync("read-model store", () => PutDetailCoreAsync(detail, cancellationToken));

    private async Task<bool> PutDetailCoreAsync(OrderDetailRecord detail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(detail);
        var written = await WriteAsync(DetailUpsert(detail), cancellationToken).ConfigureAwait(false);
        if (written) _written.Saved(Snapshot(detail));
        return written;
    }

    /// <summary>A detail that shares no list with its maker's (it is handed to every later reader).</summary>
    private static OrderDetailRecord Snapshot(OrderDetailRecord detail) => detail with { Entries = [.. detail.Entries] };

    private static Upsert DetailUpsert(OrderDetailRecord detail) => new("""
        INSERT INTO rm_order_details (order_id, sequence, view, entries) VALUES ($id, $seq, $view, $entries)
        ON CONFLICT (order_id) DO UPDATE SET sequence = excluded.sequence, view = excluded.view, entries = excluded.entries
        WHERE excluded.sequence > rm_order_details.sequence
        """,
        [("$id", detail.OrderId.Value), ("$seq", detail.Sequence), ("$view", ApplicationJson.Serialize(detail.View)),
         ("$entries", JsonSerializer.Serialize(detail.Entries, DomainJson.Options))]);

    public Task<OrderListItem?> GetBuyerItemAsync(BuyerId buyerId, OrderId orderId, CancellationToken cancellationToken = default) =>
        SqliteFaults.GuardAsync("read-model store", () => GetBuyerItemCoreAsync(buyerId, orderId, cancellationToken));

    private async Task<OrderListItem?> GetBuyerItemCoreAsync(BuyerId buyerId, OrderId orderId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(buyerId);
        ArgumentNullException.ThrowIfNull(orderId);
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, "SELECT item FROM rm_buyer_orders WHERE buyer_id = $buyer AND order_id = $id",
            ("$buyer", buyerId.Value), ("$id", orderId.Value));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json
            ? ApplicationJson.Deserialize<OrderListItem>(json)
            : null;
    }

    public Task<bool> PutBuyerItemAsync(OrderListItem item, CancellationToken cancellationToken = default) =>
        SqliteFaults.GuardAsync("read-model store", () => PutBuyerItemCoreAsync(item, cancellationToken));

    private Task<bool> PutBuyerItemCoreAsync(OrderListItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        return WriteAsync(BuyerUpsert(item), cancellationToken);
    }

    private static Upsert BuyerUpsert(OrderListItem item) => new("""
        INSERT INTO rm_buyer_orders (buyer_id, order_id, version, status, created_at, item)
        VALUES ($buyer, $id, $version, $status, $created, $item)
        ON CONFLICT (buyer_id, order_id) DO UPDATE SET version = excluded.version, status = excluded.status, item = excluded.item
        WHERE excluded.version > rm_buyer_orders.version
        """,
        [("$buyer", item.BuyerId.Value), ("$id", item.OrderId.Value), ("$version", item.Version), ("$status", OrderStatusNames.Of(item.Status)),
         ("$created", item.CreatedAt.UtcTicks), ("$item", ApplicationJson.Serialize(item))]);

    public Task<SellerOrderRecord?> GetSellerItemAsync(SellerId sellerId, OrderId orderId, CancellationToken cancellationToken = default) =>
        SqliteFaults.GuardAsync("read-model store", () => GetSellerItemCoreAsync(sellerId, orderId, cancellationToken));

    private async Task<SellerOrderRecord?> GetSellerItemCoreAsync(SellerId sellerId, OrderId orderId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sellerId);
        ArgumentNullException.ThrowIfNull(orderId);
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection,
            "SELECT item, currency, value_minor, ready_since FROM rm_seller_orders WHERE seller_id = $seller AND order_id = $id",
            ("$seller", sellerId.Value), ("$id", orderId.Value));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
        return new SellerOrderRecord(sellerId, ApplicationJson.Deserialize<OrderListItem>(reader.GetString(0)),
            Money.Of(reader.GetInt64(2), Currency.Of(reader.GetString(1))), reader.IsDBNull(3) ? null : Ticks(reader.GetInt64(3)));
    }

    public Task<bool> PutSellerItemAsync(SellerOrderRecord record, CancellationToken cancellationToken = default) =>
        SqliteFaults.GuardAsync("read-model store", () => PutSellerItemCoreAsync(record, cancellationToken));

    private Task<bool> PutSellerItemCoreAsync(SellerOrderRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return WriteAsync(SellerUpsert(record), cancellationToken);
    }

    private static Upsert SellerUpsert(SellerOrderRecord record)
    {
        var item = record.Item;
        return new("""
            INSERT INTO rm_seller_orders (seller_id, order_id, version, status, created_at, currency, value_minor, ready_since, item)
            VALUES ($seller, $id, $version, $status, $created, $currency, $value, $ready, $item)
            ON CONFLICT (seller_id, order_id) DO UPDATE SET version = excluded.version, status = excluded.status,
                currency = excluded.currency, value_minor = excluded.value_minor, ready_since = excluded.ready_since, item = excluded.item
            WHERE excluded.version > rm_seller_orders.version
            """,
            [("$seller", record.SellerId.Value), ("$id", item.OrderId.Value), ("$version", item.Version), ("$status", OrderStatusNames.Of(item.Status)),
             ("$created", item.CreatedAt.UtcTicks), ("$currency", record.SellerValue.Currency.Code), ("$value", record.SellerValue.Minor),
             ("$ready", record.ReadySince is { } ready ? ready.UtcTicks : DBNull.Value), ("$item", ApplicationJson.Serialize(item))]);
    }

    public Task<IReadOnlyDictionary<OrderId, OrderDetailRecord>> GetDetailsAsync(IReadOnlyCollection<OrderId> orderIds, CancellationToken cancellationToken = default) =>
        SqliteFaults.GuardAsync("read-model store", () => GetDetailsCoreAsync(orderIds, cancellationToken));

    private async Task<IReadOnlyDictionary<OrderId, OrderDetailRecord>> GetDetailsCoreAsync(IReadOnlyCollection<OrderId> orderIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orderIds);
        var details = new Dictionary<OrderId, OrderDetailRecord>(orderIds.Count);
        if (orderIds.Count == 0) return details;
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        // One read transaction for the batch: one snapshot, and the connection's page cache is filled once, not once
        // per order (every read transaction after another connection's commit starts with an empty cache).
        await using var transaction = connection.BeginTransaction(deferred: true);
        await using var command = Command(connection, DetailQuery, ("$id", ""));
        foreach (var orderId in orderIds)
        {
            command.Parameters["$id"].Value = orderId.Value;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) details[orderId] = Detail(orderId, reader);
        }
        return details;
    }

    /// <summary>The whole batch in one write transaction: every put stays conditional, and the batch is atomic.</summary>
    public Task PutViewsAsync(IReadOnlyList<OrderViews> views, CancellationToken cancellationToken = default) =>
        SqliteFaults.GuardAsync("read-model store", async () =>
        {
            ArgumentNullException.ThrowIfNull(views);
            var upserts = new List<Upsert>(views.Count * 3);
            foreach (var view in views)
            {
                if (view.Detail is { } detail) upserts.Add(DetailUpsert(detail));
                upserts.Add(BuyerUpsert(view.BuyerItem));
                upserts.AddRange(view.SellerRecords.Select(SellerUpsert));
            }
            await WriteAsync(upserts, cancellationToken).ConfigureAwait(false);
            // Committed. A put the row's newer sequence made a no-op is kept too: a read uses it only at that sequence.
            foreach (var view in views)
                if (view.Detail is { } detail) _written.Saved(Snapshot(detail));
        });

    public Task<OrderView?> GetOrderDetailAsync(OrderId orderId, CancellationToken cancellationToken = default) =>
        SqliteFaults.GuardAsync("read-model store", () => GetOrderDetailCoreAsync(orderId, cancellationToken));

    private async Task<OrderView?> GetOrderDetailCoreAsync(OrderId orderId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orderId);
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, "SELECT sequence, view FROM rm_order_details WHERE order_id = $id", ("$id", orderId.Value));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
        return _written.At(orderId.Value, reader.GetInt64(0))?.View ?? ApplicationJson.Deserialize<OrderView>(reader.GetString(1));
    }

    public Task<Page<OrderListItem>> ListBuyerOrdersAsync(BuyerId buyerId, OrderStatus? status, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default) =>
        SqliteFaults.GuardAsync("read-model store", () => ListBuyerOrdersCoreAsync(buyerId, status, pageSize, continuationToken, cancellationToken));

    private Task<Page<OrderListItem>> ListBuyerOrdersCoreAsync(BuyerId buyerId, OrderStatus? status, int pageSize, string? continuationToken,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(buyerId);
        return ListAsync("rm_buyer_orders", "buyer_id", buyerId.Value, status, pageSize, continuationToken, cancellationToken);
    }

    public Task<Page<OrderListItem>> ListSellerOrdersAsync(SellerId sellerId, OrderStatus? status, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default) =>
        SqliteFaults.GuardAsync("read-model store", () => ListSellerOrdersCoreAsync(sellerId, status, pageSize, continuationToken, cancellationToken));

    private Task<Page<OrderListItem>> ListSellerOrdersCoreAsync(SellerId sellerId, OrderStatus? status, int pageSize, string? continuationToken,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sellerId);
        return ListAsync("rm_seller_orders", "seller_id", sellerId.Value, status, pageSize, continuationToken, cancellationToken);
    }

    public Task<SellerDashboard> GetSellerDashboardAsync(SellerId sellerId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        SqliteFaults.GuardAsync("read-model store", () => GetSellerDashboardCoreAsync(sellerId, now, cancellationToken));

    private async Task<SellerDashboard> GetSellerDashboardCoreAsync(SellerId sellerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sellerId);
        var serviceLevel = _options.ShippingServiceLevel;
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        // One deferred (read-only, never blocking the writer) transaction: the totals, the waiting list and the late
        // count come from the same snapshot.
        await using var transaction = connection.BeginTransaction(deferred: true);

        var totals = new List<(OrderStatus, Money, int)>();
        await using (var command = Command(connection, """
            SELECT status, currency, COUNT(*), SUM(value_minor) FROM rm_seller_orders WHERE seller_id = $seller GROUP BY status, currency
            """, ("$seller", sellerId.Value)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                totals.Add((OrderStatusNames.ParseStored(reader.GetString(0)), Money.Of(reader.GetInt64(3), Currency.Of(reader.GetString(1))), reader.GetInt32(2)));

        var waiting = new List<(OrderId, long, DateTimeOffset)>();
        await using (var command = Command(connection, """
            SELECT order_id, version, ready_since FROM rm_seller_orders WHERE seller_id = $seller AND ready_since IS NOT NULL
            ORDER BY ready_since, order_id LIMIT $max
            """, ("$seller", sellerId.Value), ("$max", _options.MaxAwaitingShipments)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                waiting.Add((OrderId.From(reader.GetString(0)), reader.GetInt64(1), Ticks(reader.GetInt64(2))));

        await using var late = Command(connection, """
            SELECT COUNT(*) FROM rm_seller_orders WHERE seller_id = $seller AND ready_since IS NOT NULL AND ready_since < $before
            """, ("$seller", sellerId.Value), ("$before", SellerDashboards.LateBefore(now, serviceLevel).UtcTicks));
        var lateCount = Convert.ToInt32(await late.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);

        return SellerDashboards.Build(sellerId, totals, waiting, lateCount, now, serviceLevel);
    }

    public void Dispose()
    {
        // The writes already queued finish first: the connection is not disposed under a running write.
        _writes.Dispose();
        foreach (var command in _prepared.Values) command.Dispose();
        _writer.Dispose();
    }

    private async Task<Page<OrderListItem>> ListAsync(string table, string ownerColumn, string owner, OrderStatus? status, int pageSize,
        string? continuationToken, CancellationToken cancellationToken)
    {
        ReadModelPaging.ValidatePageSize(pageSize);
        var after = ReadModelPaging.Decode(continuationToken);
        var conditions = new List<string> { $"{ownerColumn} = $owner" };
        var parameters = new List<(string, object)> { ("$owner", owner), ("$take", pageSize + 1) };
        if (status is { } s)
        {
            conditions.Add("status IN ($status, $statusLegacy)"); // rows written before the one spelling say "Created"
            parameters.Add(("$status", OrderStatusNames.Of(s)));
            parameters.Add(("$statusLegacy", s.ToString()));
        }
        if (after is { } key)
        {
            // Newest first, then order id: "after" is older, or as old with a greater id.
            conditions.Add("(created_at < $afterCreated OR (created_at = $afterCreated AND order_id > $afterId))");
            parameters.Add(("$afterCreated", key.CreatedAtUtcTicks));
            parameters.Add(("$afterId", key.OrderId));
        }

        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        // The table and column names come from this class, never from input; values are parameters.
#pragma warning disable CA2100
        await using var command = Command(connection,
            $"SELECT item FROM {table} WHERE {string.Join(" AND ", conditions)} ORDER BY created_at DESC, order_id LIMIT $take",
            [.. parameters]);
#pragma warning restore CA2100
        var items = new List<OrderListItem>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            items.Add(ApplicationJson.Deserialize<OrderListItem>(reader.GetString(0)));
        return ReadModelPaging.PageOf(items, pageSize);
    }

    /// <summary>One conditional upsert: its statement and its parameters.</summary>
    private sealed record Upsert(string Sql, (string Name, object Value)[] Parameters);

    private Task<bool> WriteAsync(Upsert upsert, CancellationToken cancellationToken) =>
        // Autocommit: one statement is its own transaction. 0 rows means the stored record was as new or newer.
        _writes.RunAsync(() => Prepared(upsert, transaction: null).ExecuteNonQuery() > 0, cancellationToken);

    private async Task WriteAsync(IReadOnlyList<Upsert> upserts, CancellationToken cancellationToken)
    {
        if (upserts.Count == 0) return;
        await _writes.RunAsync(() =>
        {
            using var transaction = _writer.BeginTransaction(deferred: false);
            foreach (var upsert in upserts) Prepared(upsert, transaction).ExecuteNonQuery();
            transaction.Commit();
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A cached command on the writer connection, its parameters set; only the writer thread calls it.</summary>
    private SqliteCommand Prepared(Upsert upsert, SqliteTransaction? transaction)
    {
        if (!_prepared.TryGetValue(upsert.Sql, out var command))
        {
            command = _writer.CreateCommand();
            command.CommandText = upsert.Sql;
            foreach (var (name, _) in upsert.Parameters) command.Parameters.Add(new SqliteParameter { ParameterName = name });
            _prepared[upsert.Sql] = command;
        }
        command.Transaction = transaction;
        foreach (var (name, value) in upsert.Parameters) command.Parameters[name].Value = value;
        return command;
    }

    private void Migrate()
    {
        Execute(_writer, "CREATE TABLE IF NOT EXISTS read_model_migrations (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL)");
        using (var transaction = _writer.BeginTransaction(deferred: false))
        {
            using var current = Command(_writer, "SELECT COALESCE(MAX(version), 0) FROM read_model_migrations");
            current.Transaction = transaction;
            var applied = current.ExecuteScalar() is long v ? v : 0;
            foreach (var (version, sql) in SqliteReadModelSchema.Migrations.Where(m => m.Version > applied))
            {
                using var migrate = Command(_writer, sql);
                migrate.Transaction = transaction;
                migrate.ExecuteNonQuery();
                using var record = Command(_writer, "INSERT INTO read_model_migrations (version, applied_at) VALUES ($v, $at)",
                    ("$v", version), ("$at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)));
                record.Transaction = transaction;
                record.ExecuteNonQuery();
            }
            transaction.Commit();
        }
        using var check = Command(_writer, "SELECT MAX(version) FROM read_model_migrations");
        SchemaVersion = Convert.ToInt32(check.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }

    private static DateTimeOffset Ticks(long ticks) => new(ticks, TimeSpan.Zero);

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
