using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Orders.Api;
using Orders.Api.Health;
using Orders.Application.Integration;
using Orders.Application.Jobs;
using Orders.Application.Outbox;
using Orders.Application.Reactions;
using Orders.Application.Ports.Outbound;
using Orders.Application.ReadModels;
using Orders.Application.UseCases;
using Orders.Functions.Durable;
using Orders.Functions.Jobs;
using Orders.Functions.Settings;
using Orders.Functions.Local;
using Orders.Infrastructure.Cosmos;
using Orders.Infrastructure.Cosmos.Inbox;
using Orders.Infrastructure.Cosmos.ReadModels;
using Orders.Infrastructure.Jobs;
using Orders.Infrastructure.Local;
using Orders.Infrastructure.ReadModels;
using Orders.Infrastructure.ServiceBus;
using Orders.Infrastructure.ServiceBus.Gateway;
using Orders.Infrastructure.Simulators;
using Orders.Infrastructure.Sqlite;
using Orders.Orchestrations;

namespace Orders.Functions.Composition;

/// <summary>
/// Everything the function app's functions resolve, from its settings. Building the provider connects to nothing:
/// the Cosmos DB and Service Bus clients open their connections on first use (a test builds it from
/// local.settings.sample.json). Lifetimes: clients and stores are singletons (one connection per process); the saga
/// ports are scoped, because each invocation brings its own Durable client (<see cref="InvocationDurableClient"/>);
/// use cases and the HTTP adapter are scoped as their registrations say.
/// </summary>
public static class FunctionAppServices
{
    /// <summary>The key of the requests topic's <see cref="ServiceBusSender"/> (the unkeyed sender is order-events').</summary>
    public const string RequestsSender = "order-requests";

    /// <summary>Reads and checks the settings (throws <see cref="FunctionAppSettingsException"/>), then registers everything.</summary>
    public static FunctionAppSettings AddOrdersFunctionApp(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        var settings = FunctionAppSettings.Load(configuration);
        services.AddSingleton(settings);
        services.TryAddSingleton(TimeProvider.System);

        if (settings.Store == StoreKind.Sqlite) AddSqliteStore(services, settings.Local!, settings.StoreTimeout);
        else AddCosmosStore(services, settings);

        // Sagas: the ports over the invocation's Durable client.
        services.AddSingleton(settings.Sagas);
        services.AddScoped<InvocationDurableClient>();
        services.AddScoped<InvocationSagaClient>();
        services.AddScoped<ISagaScheduler>(sp => sp.GetRequiredService<InvocationSagaClient>());
        services.AddScoped<ISagaSignals>(sp => sp.GetRequiredService<InvocationSagaClient>());
        services.AddScoped<ISagaProgressReader>(sp => sp.GetRequiredService<InvocationSagaClient>());
        services.AddScoped<ISagaRestarter>(sp => sp.GetRequiredService<InvocationSagaClient>());

        if (settings.Domains == DomainsKind.Simulated) AddSimulatedDomains(services, settings.Local!);
        else AddServiceBus(services, settings);
        services.AddSingleton(sp => new OutboxRelay(sp.GetRequiredService<IOrderChangeLog>(), sp.GetRequiredService<IEventPublisher>(), sp.GetRequiredService<TimeProvider>()));

        // Events in: the Service Bus trigger's processor and the handler behind it. The inbox remembers handled events
        // in the leases container, across instances and restarts, for as long as a redelivery can come.
        services.AddScoped<IntegrationEventHandler>();
        services.AddScoped(sp => new InboundMessageProcessor(sp.GetRequiredService<IntegrationEventHandler>(),
            sp.GetRequiredService<ILogger<InboundMessageProcessor>>(), settings.ServiceBus, sp.GetRequiredService<TimeProvider>()));

        // Scheduled work: the enforcement jobs with their production defaults, and the change feed pump.
        services.AddSingleton(new JobOptions());
        services.AddSingleton<IRelayMonitor>(sp => new ChangeLogRelayMonitor(sp.GetRequiredService<IOrderChangeLog>(),
            OutboxRelay.Consumer, sp.GetRequiredService<JobOptions>().RelayPeekLimit));
        // Where detect-stuck and reconcile stopped scanning, so that consecutive runs (each in its own invocation scope)
        // walk on through the orders instead of re-reading the oldest batch; per process, like the timers' schedule
        // monitor: a new instance starts over, which only delays, never skips.
        services.AddSingleton<JobScanPositions>();
        services.AddScoped<AutoCancelUnpaidOrders>();
        services.AddScoped<CloseDeliveredOrders>();
        services.AddScoped<DetectStuckOrders>();
        services.AddScoped(sp => new ReconcileOrders(sp.GetRequiredService<IOrderStore>(), sp.GetRequiredService<IReadModelStore>(),
            sp.GetRequiredService<ISagaProgressReader>(), sp.GetRequiredService<ISagaScheduler>(), sp.GetRequiredService<IRelayMonitor>(), sp.GetRequiredService<IStuckOrderLog>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<JobOptions>(), sp.GetRequiredService<ILogger<ReconcileOrders>>(),
            sp.GetRequiredService<JobScanPositions>()));
        // The pump runs every change-feed consumer, each with its own checkpoint: the reaction table's lanes (saga starts;
        // release stock, void the authorisation, release the codes of a cancelled order; parked answers), the outbox
        // relay and the read-model projector.
        services.AddScoped(sp => new ChangeFeedPump(sp.GetRequiredService<OutboxRelay>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ChangeFeedPump>>(),
            new OrderProjector(sp.GetRequiredService<IOrderChangeLog>(), sp.GetRequiredService<IReadModelStore>()),
            new OrderReactions(sp.GetRequiredService<IOrderChangeLog>(), sp.GetRequiredService<IOrderStore>(), sp.GetRequiredService<ISagaScheduler>(),
                new CancellationCompensator(sp.GetRequiredService<IOrderStore>(),
                    sp.GetRequiredService<IInventoryPort>(), sp.GetRequiredService<IPaymentsPort>(), sp.GetRequiredService<IPromotionsPort>()),
                sp.GetRequiredService<IntegrationEventHandler>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<OrderReactions>>())));

        // Use cases and the HTTP adapter.
        var defaults = new CommandOptions();
        services.AddSingleton(new CommandOptions
        {
            IdempotencyRetention = settings.IdempotencyRetention,
            DefaultReturnWindow = settings.DefaultReturnWindow ?? defaults.DefaultReturnWindow,
            DefaultPaymentWindow = settings.DefaultPaymentWindow ?? defaults.DefaultPaymentWindow,
        });
        services.AddOrdersUseCases();
        services.AddOrdersHealthChecks();
        services.AddOrdersApi(options =>
        {
            options.TrustAppServicePrincipal = settings.Auth == AuthMode.AppService;
            options.DevelopmentAuthentication = settings.Auth == AuthMode.Development;
        });
        return settings;
    }

    // The store's time bound is real waiting, not business time: it runs on the wall clock even where tests set the clock.
    private static readonly TimeProvider WallClock = TimeProvider.System;

    /// <summary>
    /// Production: Cosmos DB, signed in with the app's managed identity (a key only for the emulator). Orders and their
    /// events in <c>orders</c>; read models and the stuck-order log (partition stuck-orders, so a flag is announced once
    /// whichever instance runs the job) in <c>read-models</c>; the inbox in <c>leases</c>, across instances and restarts.
    /// </summary>
    private static void AddCosmosStore(IServiceCollection services, FunctionAppSettings settings)
    {
        services.AddSingleton(_ => CosmosClientFactory.Create(settings.Cosmos));
        services.AddSingleton(sp => new CosmosOrderStore(sp.GetRequiredService<CosmosClient>(), settings.Cosmos, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IOrderStore>(sp => new TimeBoundOrderStore(sp.GetRequiredService<CosmosOrderStore>(), settings.StoreTimeout, WallClock));
        services.AddSingleton<IOrderChangeLog>(sp => sp.GetRequiredService<CosmosOrderStore>());
        services.AddSingleton(new ReadModelOptions());
        services.AddSingleton(sp => new CosmosReadModelStore(sp.GetRequiredService<CosmosClient>(), settings.Cosmos.Database,
            settings.ReadModelsContainer, sp.GetRequiredService<ReadModelOptions>()));
        services.AddSingleton<IReadModelStore>(sp => sp.GetRequiredService<CosmosReadModelStore>());
        services.AddSingleton<IReadModelQueries>(sp => sp.GetRequiredService<CosmosReadModelStore>());
        services.AddSingleton<IInbox>(sp => new CosmosInbox(sp.GetRequiredService<CosmosClient>(), settings.Cosmos));
        services.AddSingleton<IStuckOrderLog>(sp => new CosmosStuckOrderLog(sp.GetRequiredService<CosmosClient>(), settings.Cosmos.Database,
            settings.ReadModelsContainer));
    }

    /// <summary>
    /// Local only (refused on App Service): the embedded SQLite store the local host uses, files in the data directory.
    /// Several hosts on one machine may share it (SQLite locks the files), as instances share one Cosmos DB account.
    /// </summary>
    private static void AddSqliteStore(IServiceCollection services, LocalRunSettings local, TimeSpan storeTimeout)
    {
        services.AddSingleton(_ =>
        {
            Directory.CreateDirectory(local.DataDirectory);
            return new SqliteOrderStore(new SqliteStoreOptions { Path = Path.Combine(local.DataDirectory, "orders.db") });
        });
        services.AddSingleton<IOrderStore>(sp => new TimeBoundOrderStore(sp.GetRequiredService<SqliteOrderStore>(), storeTimeout, WallClock));
        services.AddSingleton<IOrderChangeLog>(sp => sp.GetRequiredService<SqliteOrderStore>());
        services.AddSingleton<IInbox>(sp => sp.GetRequiredService<SqliteOrderStore>());
        services.AddSingleton(_ => new SqliteReadModelStore(new SqliteReadModelStoreOptions { Path = Path.Combine(local.DataDirectory, "read-models.db") }));
        services.AddSingleton<IReadModelStore>(sp => sp.GetRequiredService<SqliteReadModelStore>());
        services.AddSingleton<IReadModelQueries>(sp => sp.GetRequiredService<SqliteReadModelStore>());
        services.AddSingleton<IStuckOrderLog>(_ => new SqliteStuckOrderLog(Path.Combine(local.DataDirectory, "stuck-orders.db")));
    }

    /// <summary>
    /// Production: events out to the order-events topic (the outbox relay's publisher); requests to inventory,
    /// payments, shipping, promotions and notifications as CloudEvents on the order-requests topic. The answers come back as
    /// integration events on order-integration-events (the Service Bus trigger).
    /// </summary>
    private static void AddServiceBus(IServiceCollection services, FunctionAppSettings settings)
    {
        services.AddSingleton(_ => ServiceBusClientFactory.Create(settings.ServiceBus));
        services.AddSingleton(sp => ServiceBusClientFactory.CreateOrderEventsSender(sp.GetRequiredService<ServiceBusClient>(), settings.ServiceBus));
        services.AddSingleton<IEventPublisher>(sp => new ServiceBusEventPublisher(sp.GetRequiredService<ServiceBusSender>(), settings.ServiceBus));
        services.AddKeyedSingleton(RequestsSender, (sp, _) => ServiceBusGatewayRequests.CreateSender(sp.GetRequiredService<ServiceBusClient>(), settings.Requests));
        services.AddSingleton(sp => new ServiceBusGatewayRequests(sp.GetRequiredKeyedService<ServiceBusSender>(RequestsSender), settings.Requests,
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IInventoryPort>(sp => sp.GetRequiredService<ServiceBusGatewayRequests>());
        services.AddSingleton<IPaymentsPort>(sp => sp.GetRequiredService<ServiceBusGatewayRequests>());
        services.AddSingleton<IShippingPort>(sp => sp.GetRequiredService<ServiceBusGatewayRequests>());
        services.AddSingleton<IPromotionsPort>(sp => sp.GetRequiredService<ServiceBusGatewayRequests>());
        services.AddSingleton<INotificationPort>(sp => sp.GetRequiredService<ServiceBusGatewayRequests>());
    }

    /// <summary>
    /// Local only (refused on App Service): the local host's simulated inventory, payments and shipping, in this worker.
    /// They answer through this app's own local-only HTTP function (<see cref="LocalFunctions.ReceiveSimulatedAnswer"/>),
    /// so each answer is a function invocation, as a Service Bus message would be; public events are appended to
    /// published-events.jsonl in the data directory, as the local host does.
    /// </summary>
    private static void AddSimulatedDomains(IServiceCollection services, LocalRunSettings local)
    {
        var knobs = new SimulatorKnobs { AnswerDelay = local.AnswerDelay };
        services.AddSingleton(knobs);
        // Kept in the data folder, as the real domains outlive this app: after a crash, or on a second instance on the
        // same folder, a re-sent request is recognised by its key and acts once (decision record 0020).
        services.AddSingleton(_ => new SimulatorLedger(Path.Combine(local.DataDirectory, "simulators.db")));
        services.AddSingleton(_ => new SimulatedAnswerPoster(new HttpClient { Timeout = TimeSpan.FromSeconds(30) }, local.AnswerUrl!));
        services.AddSingleton(sp => new SimulatedDomains(sp.GetRequiredService<SimulatedAnswerPoster>().DeliverAsync, knobs,
            sp.GetRequiredService<SimulatorLedger>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SimulatedDomains>>()));
        services.AddSingleton<IInventoryPort>(sp => sp.GetRequiredService<SimulatedDomains>());
        services.AddSingleton<IPaymentsPort>(sp => sp.GetRequiredService<SimulatedDomains>());
        services.AddSingleton<IShippingPort>(sp => sp.GetRequiredService<SimulatedDomains>());
        services.AddSingleton<IPromotionsPort>(sp => sp.GetRequiredService<SimulatedDomains>());
        services.AddSingleton<INotificationPort>(sp => sp.GetRequiredService<SimulatedDomains>());
        // Answers a dead worker left unsettled are delivered again, as a broker would (kept in the ledger file).
        services.AddHostedService<SimulatedAnswerSweeper>();
        services.AddSingleton<IEventPublisher>(_ =>
        {
            Directory.CreateDirectory(local.DataDirectory);
            return new JsonLinesEventPublisher(Path.Combine(local.DataDirectory, "published-events.jsonl"));
        });
    }
}
