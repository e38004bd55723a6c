using Microsoft.Extensions.DependencyInjection;
using Orders.Application.Jobs;
using Orders.Application.Ports.Outbound;
using Orders.Application.ReadModels;
using Orders.Infrastructure.Jobs;
using Orders.Infrastructure.ReadModels;

namespace Orders.Infrastructure.Sqlite;

/// <summary>
/// The embedded SQLite store, registered the same way by both hosts (decision 0024): orders, their events, the outbox
/// and the inbox in <c>orders.db</c>, the read models in <c>read-models.db</c>, the stuck-order log in
/// <c>stuck-orders.db</c>, all in the data directory. Local only: the function app refuses it on App Service.
/// Several hosts on one machine may share the files (SQLite locks them), as instances share one Cosmos DB account.
/// </summary>
public static class SqliteRegistration
{
    /// <summary>
    /// Registers <see cref="SqliteOrderStore"/> as <see cref="IOrderChangeLog"/> and <see cref="IInbox"/>, and, behind a
    /// <see cref="TimeBoundOrderStore"/> of <paramref name="storeTimeout"/> (real waiting: the wall clock, whatever
    /// clock the container holds), as <see cref="IOrderStore"/>; <see cref="SqliteReadModelStore"/> as
    /// <see cref="IReadModelStore"/> and <see cref="IReadModelQueries"/>; <see cref="SqliteStuckOrderLog"/> as
    /// <see cref="IStuckOrderLog"/>. Nothing is opened until first resolved; the container disposes what it opened.
    /// </summary>
    public static IServiceCollection AddOrdersSqliteStore(this IServiceCollection services, string dataDirectory, TimeSpan storeTimeout,
        long? maxSizeBytes = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        services.AddSingleton(_ =>
        {
            Directory.CreateDirectory(dataDirectory);
            return new SqliteOrderStore(new SqliteStoreOptions { Path = Path.Combine(dataDirectory, "orders.db"), MaxSizeBytes = maxSizeBytes });
        });
        services.AddSingleton<IOrderStore>(sp => new TimeBoundOrderStore(sp.GetRequiredService<SqliteOrderStore>(), storeTimeout, TimeProvider.System));
        services.AddSingleton<IOrderChangeLog>(sp => sp.GetRequiredService<SqliteOrderStore>());
        services.AddSingleton<IInbox>(sp => sp.GetRequiredService<SqliteOrderStore>());
        services.AddSingleton(_ => new SqliteReadModelStore(new SqliteReadModelStoreOptions { Path = Path.Combine(dataDirectory, "read-models.db") }));
        services.AddSingleton<IReadModelStore>(sp => sp.GetRequiredService<SqliteReadModelStore>());
        services.AddSingleton<IReadModelQueries>(sp => sp.GetRequiredService<SqliteReadModelStore>());
        services.AddSingleton<IStuckOrderLog>(_ => new SqliteStuckOrderLog(Path.Combine(dataDirectory, "stuck-orders.db")));
        return services;
    }
}
