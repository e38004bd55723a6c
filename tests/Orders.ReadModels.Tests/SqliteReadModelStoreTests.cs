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

    /// <summary>
    /// The projecting store answers reads of a detail it wrote from what it wrote (no deserialisation) while the row
    /// still has that sequence: what it answers must be what a store that only reads the file answers, step by step.
    /// </summary>
    [Fact]
    public async Task TheProjectorsDetailReads_AreWhatAReaderOfTheFileGets_AtEveryStep()
    {
        var shop = new Shop();
        var path = _folder.File("rm.db");
        using var writer = new SqliteReadModelStore(new SqliteReadModelStoreOptions { Path = path });
        using var reader = new SqliteReadModelStore(new SqliteReadModelStoreOptions { Path = path });
        var projector = new OrderProjector(shop.Log, writer);
        var id = OrderId.From("o1");
        Func<DateTimeOffset, Task<Orders.Domain.OrderAggregate.Order>>[] steps =
        [
            at => shop.CreateAsync("o1", at), at => shop.ConfirmAsync("o1", at), at => shop.PayAsync("o1", at),
            at => shop.RequestRefundAsync("o1", 100, at), at => shop.CompleteRefundAsync("o1", at),
            at => shop.ShipAsync("o1", at), at => shop.DeliverAsync("o1", at),
        ];
        var time = T0;
        foreach (var step in steps)
        {
            await step(time = time.AddMinutes(1));
            await projector.RunOnceAsync(100, time);
            var written = await writer.GetDetailAsync(id);
            var read = await reader.GetDetailAsync(id);
            Assert.NotNull(written);
            Assert.NotNull(read);
            Assert.Equal(read.Sequence, written.Sequence);
            Assert.Equal(Json(read.View), Json(written.View));
            Assert.Equal(Json(read.Entries), Json(written.Entries));
            Assert.Equal(Json(await reader.GetOrderDetailAsync(id)), Json(await writer.GetOrderDetailAsync(id)));
            Assert.Equal(Json(read.View), Json((await writer.GetDetailsAsync([id]))[id].View));
        }
        Assert.Equal(Json(OrderView.From(await shop.LoadAsync("o1"))), Json(await writer.GetOrderDetailAsync(id)));

        // A detail put by someone else at a newer sequence (another process) is read from the file, not the one kept here.
        var newer = (await reader.GetDetailAsync(id))!;
        var other = newer with { Entries = [.. newer.Entries, .. (await shop.ActAsync("o1", time.AddDays(90), (o, c) => o.Close(c))).History.Skip(newer.Entries.Count)] };
        Assert.True(await reader.PutDetailAsync(other));
        Assert.Equal(other.Sequence, (await writer.GetDetailAsync(id))!.Sequence);
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
