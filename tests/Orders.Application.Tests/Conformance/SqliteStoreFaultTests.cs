using Microsoft.Data.Sqlite;
using Orders.Application.Ports.Outbound;
using Orders.Domain.ValueObjects;
using Orders.Infrastructure.Sqlite;
using static Orders.Application.Tests.TestData;

namespace Orders.Application.Tests.Conformance;

/// <summary>
/// A real SQLite file that is full or locked: the store says so with the port's typed
/// <see cref="StoreUnavailableException"/> (the API's 503), writes nothing, and works again once the fault is gone.
/// </summary>
public sealed class SqliteStoreFaultTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task AFullDatabase_IsReportedAsFull_AndKeepsEveryOrderSavedBefore()
    {
        using var store = new SqliteOrderStore(new SqliteStoreOptions { Path = _folder.File("full.db"), MaxSizeBytes = 160 * 1024 });
        var saved = new List<OrderId>();
        StoreUnavailableException? full = null;
        for (var i = 0; i < 1000 && full is null; i++)
        {
            var order = NewOrder($"ord-{i}");
            try
            {
                Assert.Equal(SaveOutcome.Saved, await store.SaveAsync(order));
                saved.Add(order.Id);
            }
            catch (StoreUnavailableException e)
            {
                full = e;
                Assert.Null(await store.LoadAsync(order.Id)); // nothing of the refused save is visible
            }
        }

        Assert.NotNull(full);
        Assert.Equal(StoreFault.Full, full.Fault);
        Assert.IsType<SqliteException>(full.InnerException);
        Assert.NotEmpty(saved);
        foreach (var id in saved) Assert.NotNull(await store.LoadAsync(id));
        Assert.Equal(saved.Count, (await store.FindByStatusAsync([OrderStatus.Created], 10_000)).Count);
    }

    [Fact]
    public async Task ADatabaseLockedByAnotherProcess_IsReportedAsBusy_ThenWorksWhenReleased()
    {
        var path = _folder.File("locked.db");
        using var store = new SqliteOrderStore(new SqliteStoreOptions { Path = path, BusyTimeout = TimeSpan.FromMilliseconds(50) });
        await using (var other = new SqliteConnection($"Data Source={path}"))
        {
            await other.OpenAsync();
            await using var hold = other.CreateCommand();
            hold.CommandText = "BEGIN EXCLUSIVE";
            await hold.ExecuteNonQueryAsync();

            var busy = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.SaveAsync(NewOrder("ord-locked")));
            Assert.Equal(StoreFault.Busy, busy.Fault);
            Assert.Equal(TimeSpan.FromSeconds(1), busy.RetryAfter);
        }
        SqliteConnection.ClearAllPools();

        Assert.Equal(SaveOutcome.Saved, await store.SaveAsync(NewOrder("ord-locked")));
        Assert.NotNull(await store.LoadAsync(OrderId.From("ord-locked")));
    }

    [Theory]
    [InlineData(13, StoreFault.Full)]
    [InlineData(8, StoreFault.ReadOnly)]
    [InlineData(5, StoreFault.Busy)]
    [InlineData(6, StoreFault.Busy)]
    [InlineData(10, StoreFault.Unavailable)]
    [InlineData(14, StoreFault.Unavailable)]
    public void StorageErrors_AreClassified(int code, StoreFault fault)
    {
        var translated = SqliteFaults.Translate(new SqliteException("SQLite Error", code), "order store");
        Assert.NotNull(translated);
        Assert.Equal(fault, translated.Fault);
    }

    [Theory]
    [InlineData(1)]  // SQLITE_ERROR: a bug (bad SQL), not a fault of the storage
    [InlineData(19)] // SQLITE_CONSTRAINT
    public void OtherErrors_StayWhatTheyAre(int code) =>
        Assert.Null(SqliteFaults.Translate(new SqliteException("SQLite Error", code), "order store"));
}
