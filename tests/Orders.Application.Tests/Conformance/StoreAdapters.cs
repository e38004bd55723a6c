using Orders.Application.Ports.Outbound;
using Orders.Domain.Common;
using Orders.Domain.ValueObjects;
using Orders.Domain.OrderAggregate;
using Orders.Infrastructure.InMemory;
using Orders.Infrastructure.Sqlite;

namespace Orders.Application.Tests.Conformance;

public sealed class InMemoryStoreConformance : OrderStoreConformance
{
    protected override (IOrderStore Store, IOrderChangeLog Log) CreateStore(Action<Order>? beforeCommit = null)
    {
        var store = new InMemoryOrderStore { BeforeCommit = beforeCommit };
        return (store, store);
    }
}

public sealed class SqliteStoreConformance : OrderStoreConformance, IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly List<SqliteOrderStore> _stores = [];

    protected override (IOrderStore Store, IOrderChangeLog Log) CreateStore(Action<Order>? beforeCommit = null)
    {
        var store = new SqliteOrderStore(new SqliteStoreOptions { Path = _folder.File($"orders-{_stores.Count}.db"), BeforeCommit = beforeCommit });
        _stores.Add(store);
        return (store, store);
    }

    /// <summary>
    /// The writing store answers a state read from the view it saved (no deserialisation) while the row still has that
    /// version: what it answers must be what a store that only reads the file (another process) answers, at every step
    /// of a life with refunds, and not change when the order it came from goes on changing in memory.
    /// </summary>
    [Fact]
    public async Task TheWritersStateReads_AreWhatAReaderOfTheFileGets_AtEveryStep()
    {
        var path = _folder.File("shared.db");
        using var writer = new SqliteOrderStore(new SqliteStoreOptions { Path = path });
        using var reader = new SqliteOrderStore(new SqliteStoreOptions { Path = path });
        var order = TestData.NewOrder();
        var at = TestData.T0;
        Func<Order, Rejection?>[] steps =
        [
            o => null,
            o => o.Confirm("res-1", "auth-1", TestData.Context(at = at.AddMinutes(1))),
            o => o.MarkPaid("pay-1", o.Total, TestData.Context(at = at.AddMinutes(1))),
            o => o.RequestRefund("rf-1", Money.Of(100, o.Total.Currency), "scratched", TestData.Context(at = at.AddMinutes(1))),
            o => o.RecordRefund("rf-1", TestData.Context(at = at.AddMinutes(1))),
            o => o.Ship("sh-1", "dhl", "trk-1", TestData.Context(at = at.AddMinutes(1))),
            o => o.Deliver("sh-1", TestData.Context(at = at.AddMinutes(1))),
        ];
        foreach (var step in steps)
        {
            Assert.Null(step(order));
            Assert.Equal(SaveOutcome.Saved, await writer.SaveAsync(order));
            var written = await writer.ReadStateAsync(order.Id);
            var read = await reader.ReadStateAsync(order.Id);
            Assert.NotNull(written);
            Assert.NotNull(read);
            Assert.Equal(order.Version, written.Version);
            Assert.Equal(ApplicationJson.Serialize(read.View), ApplicationJson.Serialize(written.View));
            Assert.Equal(read.UpdatedAt, written.UpdatedAt);
        }

        // Changed in memory but not saved: the state read is still the one saved.
        var saved = ApplicationJson.Serialize((await writer.ReadStateAsync(order.Id))!.View);
        Assert.Null(order.RequestRefund("rf-2", Money.Of(200, order.Total.Currency), "second thoughts", TestData.Context(at.AddMinutes(1))));
        Assert.Equal(saved, ApplicationJson.Serialize((await writer.ReadStateAsync(order.Id))!.View));
        Assert.Single((await writer.ReadStateAsync(order.Id))!.View.Refunds);
    }

    /// <summary>
    /// What decision 0032 accepts, shown: the writer answers from the view it saved while the row keeps that version, so
    /// an edit made to the stored document behind its back at the same version is seen by other readers, not by it.
    /// (Histories are not served this way: loads read and verify the stored chain every time.)
    /// </summary>
    [Fact]
    public async Task TheWriter_AnswersFromTheViewItSaved_WhileTheRowKeepsItsVersion()
    {
        var path = _folder.File("edited.db");
        using var writer = new SqliteOrderStore(new SqliteStoreOptions { Path = path });
        var order = TestData.NewOrder();
        Assert.Equal(SaveOutcome.Saved, await writer.SaveAsync(order));
        var city = order.ShippingAddress.City;

        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            using var edit = connection.CreateCommand();
            edit.CommandText = "UPDATE orders SET document = replace(document, $from, 'Elsewhere') WHERE order_id = $id";
            edit.Parameters.AddWithValue("$from", city);
            edit.Parameters.AddWithValue("$id", order.Id.Value);
            Assert.Equal(1, edit.ExecuteNonQuery());
        }

        using var reader = new SqliteOrderStore(new SqliteStoreOptions { Path = path });
        Assert.Equal("Elsewhere", (await reader.ReadStateAsync(order.Id))!.View.ShippingAddress.City);
        Assert.Equal(city, (await writer.ReadStateAsync(order.Id))!.View.ShippingAddress.City);

        // The next save moves the version: every reader has the writer's state again.
        Assert.Null(order.Confirm("res-1", "auth-1", TestData.Context(TestData.T0.AddMinutes(1))));
        Assert.Equal(SaveOutcome.Saved, await writer.SaveAsync(order));
        Assert.Equal(city, (await reader.ReadStateAsync(order.Id))!.View.ShippingAddress.City);
    }

    public void Dispose()
    {
        foreach (var store in _stores) store.Dispose();
        _folder.Dispose();
    }
}
