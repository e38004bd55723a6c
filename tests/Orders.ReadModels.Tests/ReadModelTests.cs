using Orders.Application;
using Orders.Application.ReadModels;
using Orders.Domain.ValueObjects;
using Orders.ReadModels.Tests.Support;

namespace Orders.ReadModels.Tests;

/// <summary>
/// The read models' behaviour, run against every store (one derived class per store): orders are made with the domain,
/// saved in an in-memory order store, and projected from its change log by <see cref="OrderProjector"/>.
/// </summary>
public abstract partial class ReadModelTests
{
    protected static readonly DateTimeOffset T0 = Shop.T0;

    private readonly Dictionary<IReadModelStore, string> _consumers = new(ReferenceEqualityComparer.Instance);

    protected Shop Shop { get; } = new();

    /// <summary>A fresh, empty store; both of its faces are the same object.</summary>
    protected abstract IReadModelStore CreateStore(ReadModelOptions? options = null);

    protected static IReadModelQueries Queries(IReadModelStore store) => (IReadModelQueries)store;

    /// <summary>Projects the whole change log into a fresh store.</summary>
    protected async Task<IReadModelQueries> ProjectAsync(int batch = 100)
    {
        var store = CreateStore();
        await ProjectAsync(store, batch);
        return Queries(store);
    }

    /// <summary>
    /// Projects the change log into <paramref name="store"/> in batches of <paramref name="batch"/>, as
    /// <paramref name="consumer"/> or else as the store's own consumer (checkpoints live in the shared log: each store
    /// needs its own, or a second store would start where the first stopped).
    /// </summary>
    protected async Task ProjectAsync(IReadModelStore store, int batch = 100, string? consumer = null)
    {
        if (!_consumers.TryGetValue(store, out var own)) _consumers[store] = own = $"{OrderProjector.DefaultConsumer}-{_consumers.Count + 1}";
        var projector = new OrderProjector(Shop.Log, store, consumer ?? own);
        while (await projector.RunOnceAsync(batch, T0) > 0) { }
    }

    protected static string Json<T>(T value) => ApplicationJson.Serialize(value);

    protected static Money Usd(long minor) => Money.Of(minor, Currency.USD);

    protected static Money Eur(long minor) => Money.Of(minor, Currency.EUR);

    protected static OrderId Id(string value) => OrderId.From(value);

    protected static string[] Ids(IEnumerable<OrderListItem> items) => [.. items.Select(i => i.OrderId.Value)];
}
