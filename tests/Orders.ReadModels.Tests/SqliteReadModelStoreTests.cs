using Microsoft.Data.Sqlite;
using Orders.Application;
using Orders.Application.ReadModels;
using Orders.Application.Views;
using Orders.Domain.ValueObjects;
using Orders.Infrastructure.ReadModels;
using Orders.Infrastructure.Sqlite;
using Orders.ReadModels.Tests.Support;

namespace Orders.ReadModels.Tests;

/// <summary>What only the SQLite store has: a file, a schema, WAL, and a life longer than the process.</summary>
public sealed class SqliteReadModelStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = Shop.T0;
    private readonly TempFolder _folder = new();

    [Fact]
    public void ANewFile_IsMigratedToTheLatestSchema_InWalMode()
    {
        var path = _folder.File("rm.db");
        using (var store = new SqliteReadModelStore(new SqliteReadModelStoreOptions { Path = path }))
            Assert.Equal(2, store.SchemaVersion);

        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
        command.CommandText = "SELECT COUNT(*) FROM read_model_migrations";
        Assert.Equal(2L, command.ExecuteScalar());
    }

    [Fact]
    public async Task TheViews_OutliveTheProcess_AndReopeningDoesNotMigrateAgain()
    {
        var shop = new Shop();
        await shop.PaidAsync("o1", T0);
        var path = _folder.File("rm.db");
        using (var first = new SqliteReadModelStore(new SqliteReadModelStoreOptions { Path = path }))
            await new OrderProjector(shop.Log, first).RunOnceAsync(100, T0);

        using var reopened = new SqliteReadModelStore(new SqliteReadModelStoreOptions { Path = path });

        Assert.Equal(2, reopened.SchemaVersion);
        Assert.Equal(Json(OrderView.From(await shop.LoadAsync("o1"))), Json(await reopened.GetOrderDetailAsync(OrderId.From("o1"))));
        Assert.Single((await reopened.ListBuyerOrdersAsync(Shop.Buyer, null, 10, null)).Items);
    }

    [Fact]
    public async Task ItProjectsTheSqliteOrderStoresChangeLog_AndCanShareItsFile()
    {
        var path = _folder.File("orders.db");
        using var orders = new SqliteOrderStore(new SqliteStoreOptions { Path = path });
        using var readModels = new SqliteReadModelStore(new SqliteReadModelStoreOptions { Path = path });
        var shop = new Shop(orders, orders);
        var order = await shop.PaidAsync("o1", T0);

        var projector = new OrderProjector(orders, readModels);
        Assert.Equal(3, await projector.RunOnceAsync(100, T0));
        Assert.Equal(0, await projector.RunOnceAsync(100, T0));

        // Each keeps its own migrations: neither mistakes the other's for its own.
        using var ordersAlone = new SqliteOrderStore(new SqliteStoreOptions { Path = _folder.File("orders-alone.db") });
        Assert.Equal(ordersAlone.SchemaVersion, orders.SchemaVersion);
        Assert.Equal(2, readModels.SchemaVersion);
        Assert.Equal(Json(OrderView.From((await orders.LoadAsync(order.Id))!)), Json(await readModels.GetOrderDetailAsync(order.Id)));
    }

    public void Dispose() => _folder.Dispose();

    private static string Json<T>(T value) => ApplicationJson.Serialize(value);
}
