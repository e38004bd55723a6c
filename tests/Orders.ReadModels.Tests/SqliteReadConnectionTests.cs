using Microsoft.Data.Sqlite;
using Orders.Domain.ValueObjects;
using Orders.Infrastructure.Sqlite;
using Orders.ReadModels.Tests.Support;

namespace Orders.ReadModels.Tests;

/// <summary>
/// The order store's reads run on connections it keeps open with their statements prepared (SqliteReaders): a kept
/// statement sees every later commit, an idle connection holds no read transaction (a checkpoint can empty the WAL),
/// and a read that fails leaves nothing behind for the next one.
/// </summary>
public sealed class SqliteReadConnectionTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task KeptConnections_SeeLaterCommits_HoldNoSnapshot_AndSurviveAFailedRead()
    {
        var path = _folder.File("orders.db");
        using var orders = new SqliteOrderStore(new SqliteStoreOptions { Path = path });
        var shop = new Shop(orders, orders);
        await shop.CreateAsync("o1", Shop.T0);

        Assert.Single((await orders.ReadAsync("c", 100)).Events);
        Assert.Equal(1, (await orders.ReadStateAsync(OrderId.From("o1")))!.View.Version);

        await shop.ConfirmAsync("o1", Shop.T0.AddMinutes(1)); // read again on the same kept statements: the new commit shows
        Assert.Equal(2, (await orders.ReadAsync("c", 100)).Events.Count);
        Assert.Equal(2, (await orders.ReadStateAsync(OrderId.From("o1")))!.View.Version);
        Assert.Equal(2, (await orders.LoadAsync(OrderId.From("o1")))!.History.Count);

        // A read that fails part-way (an entry that is not JSON, written behind the store's back): it throws, and the
        // connection it ran on is dropped, not handed to the next read.
        using (var tamper = Open(path))
            Exec(tamper, "DROP TRIGGER order_events_append_only_update; CREATE TABLE kept AS SELECT entry FROM order_events WHERE sequence = 2;"
                + " UPDATE order_events SET entry = '{' WHERE sequence = 2");
        await Assert.ThrowsAnyAsync<Exception>(() => orders.ReadAsync("c", 100));
        using (var repair = Open(path))
            Exec(repair, "UPDATE order_events SET entry = (SELECT entry FROM kept) WHERE sequence = 2");
        Assert.Equal(2, (await orders.ReadAsync("c", 100)).Events.Count);

        // No kept connection is inside a read transaction: a truncating checkpoint is not blocked by any of them.
        using var checkpoint = Open(path);
        using var command = new SqliteCommand("PRAGMA wal_checkpoint(TRUNCATE)", checkpoint);
        using var result = command.ExecuteReader();
        Assert.True(result.Read());
        Assert.Equal(0L, result.GetInt64(0)); // busy
        Assert.Equal(0L, result.GetInt64(1)); // frames left in the WAL
    }

    [Fact]
    public async Task ReadsThatRunAtOnce_OpenWhatTheyNeed_AndOnlyTheBoundIsKeptAfterwards()
    {
        var path = _folder.File("readers.db");
        using (var create = Open(path)) Exec(create, "PRAGMA journal_mode = WAL; CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (7)");
        using var readers = new SqliteReaders($"Data Source={path}", maxIdle: 4);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = 0;

        // Ten reads hold their connections at once (each waits until all ten have read): ten connections are open.
        var reads = Enumerable.Range(0, 10).Select(_ => readers.ReadAsync(async read =>
        {
            var value = (long)(await read.Command("SELECT x FROM t").ExecuteScalarAsync())!;
            if (Interlocked.Increment(ref running) == 10) release.SetResult();
            await release.Task;
            return value;
        }, CancellationToken.None)).ToList();
        var values = await Task.WhenAll(reads);

        Assert.All(values, value => Assert.Equal(7L, value));
        Assert.Equal(4, readers.Idle); // six were closed as their reads ended
        Assert.Equal(7L, await readers.ReadAsync(async read => (long)(await read.Command("SELECT x FROM t").ExecuteScalarAsync())!, CancellationToken.None));
        Assert.Equal(4, readers.Idle);
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        return connection;
    }

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var command = new SqliteCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
