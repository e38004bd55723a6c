using Orders.Application.ReadModels;
using Orders.Infrastructure.ReadModels;
using Orders.ReadModels.Tests.Support;

namespace Orders.ReadModels.Tests;

public sealed class InMemoryReadModelTests : ReadModelTests
{
    protected override IReadModelStore CreateStore(ReadModelOptions? options = null) => new InMemoryReadModelStore(options);
}

public sealed class SqliteReadModelTests : ReadModelTests, IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly List<SqliteReadModelStore> _stores = [];

    protected override IReadModelStore CreateStore(ReadModelOptions? options = null)
    {
        var store = new SqliteReadModelStore(new SqliteReadModelStoreOptions
        {
            Path = _folder.File($"read-models-{_stores.Count}.db"),
            ReadModels = options ?? new ReadModelOptions(),
        });
        _stores.Add(store);
        return store;
    }

    public void Dispose()
    {
        foreach (var store in _stores) store.Dispose();
        _folder.Dispose();
    }
}
