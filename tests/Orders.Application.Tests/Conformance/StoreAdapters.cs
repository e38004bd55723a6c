using Orders.Application.Ports.Outbound;
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

    public void Dispose()
    {
        foreach (var store in _stores) store.Dispose();
        _folder.Dispose();
    }
}
