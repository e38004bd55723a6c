using Microsoft.Data.Sqlite;
using Orders.Application;
using Orders.Application.Idempotency;
using Orders.Application.Ports.Outbound;
using Orders.Application.ReadModels;
using Orders.Domain.ValueObjects;
using Orders.Infrastructure.ReadModels;
using Orders.Infrastructure.Sqlite;
using Orders.ReadModels.Tests.Support;

namespace Orders.ReadModels.Tests;

/// <summary>
/// Files written before the tables with kilobyte rows became rowid tables (orders.db schema 3, read-models.db schema
/// 1) are migrated at start-up with every row intact. The old files are built here by the shipped migrations up to
/// that version, filled with rows copied from files the current stores wrote, then opened by the current stores.
/// </summary>
public sealed class SqliteRowidMigrationTests : IDisposable
{
    private static readonly DateTimeOffset T0 = Shop.T0;
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task AnOrdersFileAtSchema3_IsMigratedToTheCurrentSchema_WithItsOrdersIdempotencyRecordsAndParkedAnswers()
    {
        var currentPath = _folder.File("current.db");
        OrderId id;
        using (var current = new SqliteOrderStore(new SqliteStoreOptions { Path = currentPath }))
        {
            id = (await new Shop(current, current).PaidAsync("o1", T0)).Id;
            var saved = await current.LoadAsync(id);
            await current.SaveAsync(saved!, new IdempotencyRecord(id, "create:key-1", "hash-1", "{\"response\":1}", T0, T0.AddDays(1)));
            await current.ParkAsync(new ParkedAnswer("evt-1", id.Value, "payments.captured.v1", T0, "{\"amount\":2995}", T0, "order not yet confirmed"));
        }

        var legacyPath = _folder.File("legacy.db");
        BuildSchema3File(legacyPath, copyRowsFrom: currentPath);

        using var migrated = new SqliteOrderStore(new SqliteStoreOptions { Path = legacyPath });
        using var reference = new SqliteOrderStore(new SqliteStoreOptions { Path = currentPath });

        Assert.Equal(SqliteSchema.Migrations.Max(m => m.Version), migrated.SchemaVersion);
        Assert.Equal(Json((await reference.ReadStateAsync(id))!.View), Json((await migrated.ReadStateAsync(id))!.View));
        Assert.Equal((await reference.LoadAsync(id))!.Version, (await migrated.LoadAsync(id))!.Version);
        var record = (await migrated.FindIdempotencyRecordAsync(id, "create:key-1"))!;
        Assert.Equal(("hash-1", false), (record.RequestHash, record.Unchanged)); // schema 5's column: a record from before changed the order
        Assert.Equal("{\"amount\":2995}", Assert.Single(await migrated.ParkedForAsync(id.Value)).DataJson);
        Assert.Equal([id], (await migrated.FindByStatusAsync([OrderStatus.Paid], 10)).Select(s => s.OrderId));
        Assert.Empty(WithoutRowidTables(legacyPath, "orders", "idempotency", "parked_answers"));
        Assert.Contains("ix_orders_status", Indexes(legacyPath));
        Assert.Contains("ix_idempotency_expires", Indexes(legacyPath));
    }

    [Fact]
    public async Task AReadModelFileAtSchema1_IsMigratedTo2_WithItsDetailsAndLists()
    {
        var shop = new Shop();
        var order = await shop.PaidAsync("o1", T0);
        var currentPath = _folder.File("rm-current.db");
        using (var current = new SqliteReadModelStore(new SqliteReadModelStoreOptions { Path = currentPath }))
            await new OrderProjector(shop.Log, current).RunOnceAsync(100, T0);

        var legacyPath = _folder.File("rm-legacy.db");
        BuildReadModelSchema1File(legacyPath, copyRowsFrom: currentPath);

        using var migrated = new SqliteReadModelStore(new SqliteReadModelStoreOptions { Path = legacyPath });
        using var reference = new SqliteReadModelStore(new SqliteReadModelStoreOptions { Path = currentPath });

        Assert.Equal(2, migrated.SchemaVersion);
        Assert.Equal(Json(await reference.GetOrderDetailAsync(order.Id)), Json(await migrated.GetOrderDetailAsync(order.Id)));
        Assert.Equal(Json(await reference.ListBuyerOrdersAsync(Shop.Buyer, null, 10, null)), Json(await migrated.ListBuyerOrdersAsync(Shop.Buyer, null, 10, null)));
        Assert.Single((await migrated.ListBuyerOrdersAsync(Shop.Buyer, null, 10, null)).Items);
        Assert.Empty(WithoutRowidTables(legacyPath, "rm_order_details", "rm_buyer_orders", "rm_seller_orders"));
        Assert.Contains("ix_rm_seller_orders_waiting", Indexes(legacyPath));

        // The projection goes on folding onto the migrated rows.
        await shop.ShipAsync("o1", T0.AddHours(1));
        await new OrderProjector(shop.Log, migrated).RunOnceAsync(100, T0.AddHours(1));
        Assert.Equal(Json(OrderViewOf(await shop.LoadAsync("o1"))), Json(await migrated.GetOrderDetailAsync(order.Id)));
    }

    /// <summary>orders.db at schema 3: the shipped migrations 1–3, recorded as the store records them, rows copied from a current file.</summary>
    private static void BuildSchema3File(string path, string copyRowsFrom)
    {
        using var connection = Open(path);
        Execute(connection, "PRAGMA journal_mode = WAL; CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL)");
        Apply(connection, "schema_migrations", SqliteSchema.Migrations.Where(m => m.Version <= 3));
        CopyRows(connection, copyRowsFrom, "orders", "order_events", "idempotency", "parked_answers");
    }

    /// <summary>read-models.db at schema 1: the shipped migration 1, rows copied from a current file.</summary>
    private static void BuildReadModelSchema1File(string path, string copyRowsFrom)
    {
        using var connection = Open(path);
        Execute(connection, "PRAGMA journal_mode = WAL; CREATE TABLE read_model_migrations (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL)");
        Apply(connection, "read_model_migrations", SqliteReadModelSchema.Migrations.Where(m => m.Version <= 1));
        CopyRows(connection, copyRowsFrom, "rm_order_details", "rm_buyer_orders", "rm_seller_orders");
    }

    private static void Apply(SqliteConnection connection, string table, IEnumerable<(int Version, string Sql)> migrations)
    {
        foreach (var (version, sql) in migrations)
        {
            Execute(connection, sql);
            Execute(connection, $"INSERT INTO {table} (version, applied_at) VALUES ({version}, '2026-01-01')");
        }
    }

    private static void CopyRows(SqliteConnection connection, string from, params string[] tables)
    {
        Execute(connection, $"ATTACH DATABASE '{from}' AS source");
        foreach (var table in tables)
        {
            // The columns the older table has (a current file may have more: later migrations add them).
            var columns = string.Join(", ", Columns(connection, table));
            Execute(connection, $"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM source.{table}");
            using var count = connection.CreateCommand();
            count.CommandText = $"SELECT COUNT(*) FROM main.{table}";
            Assert.True((long)count.ExecuteScalar()! > 0, $"the fixture has rows in {table}");
        }
        Execute(connection, "DETACH DATABASE source");
    }

    private static List<string> Columns(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name FROM pragma_table_info('{table}', 'main')";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read()) names.Add(reader.GetString(0));
        return names;
    }

    private static List<string> WithoutRowidTables(string path, params string[] tables)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'table'";
        var found = new List<string>();
        var names = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
            if (tables.Contains(reader.GetString(0)) && reader.GetString(1).Contains("WITHOUT ROWID", StringComparison.OrdinalIgnoreCase))
                found.Add(reader.GetString(0));
        }
        Assert.All(tables, t => Assert.Contains(t, names));
        return found;
    }

    private static List<string> Indexes(string path)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'index'";
        var names = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read()) names.Add(reader.GetString(0));
        return names;
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static Orders.Application.Views.OrderView OrderViewOf(Orders.Domain.OrderAggregate.Order order) =>
        Orders.Application.Views.OrderView.From(order);

    private static string Json<T>(T value) => ApplicationJson.Serialize(value);

    public void Dispose() => _folder.Dispose();
}
