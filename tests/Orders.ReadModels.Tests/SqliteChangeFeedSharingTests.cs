using Orders.Application;
using Orders.Infrastructure.Sqlite;
using Orders.ReadModels.Tests.Support;

namespace Orders.ReadModels.Tests;

/// <summary>
/// Change-feed consumers of one SQLite store share the entries the first of them decoded (DecodedChanges): the same
/// instances, with the content a read of the file gives; a consumer further behind than the ring reads the file.
/// </summary>
public sealed class SqliteChangeFeedSharingTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task ASecondConsumer_GetsTheEntriesTheFirstDecoded_AsAFreshStoreReadsThem()
    {
        var path = _folder.File("orders.db");
        using var orders = new SqliteOrderStore(new SqliteStoreOptions { Path = path });
        var shop = new Shop(orders, orders);
        await shop.PaidAsync("o1", Shop.T0);
        await shop.PaidAsync("o2", Shop.T0);

        var first = await orders.ReadAsync("first", 100);
        var second = await orders.ReadAsync("second", 100);
        using var fresh = new SqliteOrderStore(new SqliteStoreOptions { Path = path });
        var fromFile = await fresh.ReadAsync("third", 100);

        Assert.Equal(6, first.Events.Count);
        Assert.Equal(first.Checkpoint, second.Checkpoint);
        for (var i = 0; i < first.Events.Count; i++)
        {
            Assert.Same(first.Events[i], second.Events[i]);
            Assert.NotSame(first.Events[i], fromFile.Events[i]);
            Assert.Equal(Json(fromFile.Events[i]), Json(second.Events[i]));
        }
    }

    [Fact]
    public async Task AConsumerFurtherBehindThanTheRing_ReadsTheFile_AndGetsTheSameContent()
    {
        var path = _folder.File("orders.db");
        using var orders = new SqliteOrderStore(new SqliteStoreOptions { Path = path, DecodedChangesKept = 2 });
        var shop = new Shop(orders, orders);
        await shop.PaidAsync("o1", Shop.T0); // positions 1–3: 3 lands in 1's slot

        var first = await orders.ReadAsync("first", 100);
        var second = await orders.ReadAsync("second", 100);

        Assert.Equal(3, first.Events.Count);
        Assert.NotSame(first.Events[0], second.Events[0]); // position 1 was no longer kept: read from the file
        Assert.Same(first.Events[1], second.Events[1]);    // position 2 was
        for (var i = 0; i < 3; i++) Assert.Equal(Json(first.Events[i]), Json(second.Events[i]));
    }

    private static string Json<T>(T value) => ApplicationJson.Serialize(value);
}
