using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orders.Application.Jobs;
using Orders.Application.Ports.Outbound;
using Orders.Application.ReadModels;
using Orders.Infrastructure.Cosmos.Inbox;
using Orders.Infrastructure.Cosmos.ReadModels;

namespace Orders.Infrastructure.Cosmos;

/// <summary>
/// The Cosmos DB store, registered the same way by the function app (production) and the local host
/// (<c>Orders:Store=Cosmos</c>), decision 0024. Orders and their events in <c>orders</c>; read models and the
/// stuck-order log (partition stuck-orders, so a flag is announced once whichever instance runs the job) in the
/// read-models container; the inbox in <c>leases</c>, across instances and restarts. Registering connects to nothing:
/// the client opens its connections on first use.
/// </summary>
public static class CosmosRegistration
{
    /// <summary>
    /// Registers one <see cref="CosmosClient"/> (signed in with the managed identity, or a key for the emulator:
    /// <see cref="CosmosClientFactory"/>), <see cref="CosmosOrderStore"/> as <see cref="IOrderChangeLog"/> and, behind
    /// a <see cref="TimeBoundOrderStore"/> of <paramref name="storeTimeout"/> (real waiting: the wall clock), as
    /// <see cref="IOrderStore"/>; <see cref="CosmosReadModelStore"/> as <see cref="IReadModelStore"/> and
    /// <see cref="IReadModelQueries"/>; <see cref="CosmosInbox"/>; <see cref="CosmosStuckOrderLog"/>.
    /// </summary>
    public static IServiceCollection AddOrdersCosmos(this IServiceCollection services, CosmosStoreOptions options, string readModelsContainer,
        TimeSpan storeTimeout)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(readModelsContainer);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => CosmosClientFactory.Create(options));
        services.AddSingleton(sp => new CosmosOrderStore(sp.GetRequiredService<CosmosClient>(), options, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IOrderStore>(sp => new TimeBoundOrderStore(sp.GetRequiredService<CosmosOrderStore>(), storeTimeout, TimeProvider.System));
        services.AddSingleton<IOrderChangeLog>(sp => sp.GetRequiredService<CosmosOrderStore>());
        services.TryAddSingleton(new ReadModelOptions());
        services.AddSingleton(sp => new CosmosReadModelStore(sp.GetRequiredService<CosmosClient>(), options.Database, readModelsContainer,
            sp.GetRequiredService<ReadModelOptions>()));
        services.AddSingleton<IReadModelStore>(sp => sp.GetRequiredService<CosmosReadModelStore>());
        services.AddSingleton<IReadModelQueries>(sp => sp.GetRequiredService<CosmosReadModelStore>());
        services.AddSingleton<IInbox>(sp => new CosmosInbox(sp.GetRequiredService<CosmosClient>(), options));
        services.AddSingleton<IStuckOrderLog>(sp => new CosmosStuckOrderLog(sp.GetRequiredService<CosmosClient>(), options.Database, readModelsContainer));
        return services;
    }
}
