using Orders.Application.Admission;
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
using Orders.Infrastructure.DurableStorage;
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
    public const string RequestsSender = ServiceBusRegistration.RequestsSender;

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

        // Admission: creates are refused with 503 while the saga engine is behind (decision 0040).
        services.AddSingleton(sp => new EngineBacklogAdmission(
            new ChangeLogBacklogProbe(sp.GetRequiredService<IOrderChangeLog>(), OrderReactions.ConsumerOf(ReactionLane.SagaStarts), sp.GetRequiredService<TimeProvider>()),
            TaskHubBacklog(settings.Admission),
            settings.Admission.Limits,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<EngineBacklogAdmission>>()));
        services.AddSingleton<ISagaAdmission>(sp => sp.GetRequiredService<EngineBacklogAdmission>());
        services.AddHostedService<EngineBacklogMonitor>();

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
        services.AddSingleton(sp => ReadModelPosition.Over(sp.GetRequiredService<IOrderChangeLog>()));
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
        // The OrdersApi section (body limits) as on the local host; authentication is the Auth mode's, whatever it says.
        services.AddOptions<OrdersApiOptions>().Bind(configuration.GetSection(OrdersApiOptions.SectionName));
        services.AddOrdersApi(options =>
        {
            options.TrustAppServicePrincipal = settings.Auth == AuthMode.AppService;
            options.DevelopmentAuthentication = settings.Auth == AuthMode.Development;
        });
        return settings;
    }

    /// <summary>
    /// The probe of the task hub's queues, on the Functions host's storage account; one that only says why when the
    /// settings do not name them (admission then reports the backlog unmeasured and admits).
    /// </summary>
    private static IEngineBacklogProbe TaskHubBacklog(AdmissionSettings admission)
    {
        if (admission.Unmeasurable is { } why) return new UnmeasurableBacklog(why);
        var client = TaskHubQueueProbe.Client(admission.StorageConnectionString, admission.StorageAccountName, admission.QueueServiceUri, admission.ClientId);
        return new TaskHubQueueProbe(client, admission.TaskHub!, EngineBacklogMonitor.PartitionCount(Path.Combine(AppContext.BaseDirectory, "host.json")));
    }

    private sealed class UnmeasurableBacklog(string why) : IEngineBacklogProbe
    {
        public Task<EngineBacklog> MeasureAsync(CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException($"The task hub's queues are not named: {why}.");
    }

    /// <summary>
    /// Production: Cosmos DB, signed in with the app's managed identity (a key only for the emulator); the same
    /// registration the local host uses for <c>Orders:Store=Cosmos</c> (<see cref="CosmosRegistration"/>).
    /// </summary>
    private static void AddCosmosStore(IServiceCollection services, FunctionAppSettings settings) =>
        services.AddOrdersCosmos(settings.Cosmos, settings.ReadModelsContainer, settings.StoreTimeout);

    /// <summary>
    /// Local only (refused on App Service): the embedded SQLite store the local host uses, files in the data directory
    /// (<see cref="SqliteRegistration"/>, shared with the local host).
    /// </summary>
    private static void AddSqliteStore(IServiceCollection services, LocalRunSettings local, TimeSpan storeTimeout) =>
        services.AddOrdersSqliteStore(local.DataDirectory, storeTimeout);

    /// <summary>Production: Service Bus for events out and requests to the other domains (<see cref="ServiceBusRegistration"/>).</summary>
    private static void AddServiceBus(IServiceCollection services, FunctionAppSettings settings) =>
        services.AddOrdersServiceBus(settings.ServiceBus, settings.Requests);

    /// <summary>
    /// Local only (refused on App Service): the local host's simulated inventory, payments and shipping, in this worker
    /// (<see cref="SimulatorRegistration"/>, shared with the local host). They answer through this app's own local-only
    /// HTTP function (<see cref="LocalFunctions.ReceiveSimulatedAnswer"/>), so each answer is a function invocation, as
    /// a Service Bus message would be; public events are appended to published-events.jsonl in the data directory, as
    /// the local host does.
    /// </summary>
    private static void AddSimulatedDomains(IServiceCollection services, LocalRunSettings local)
    {
        // Kept in the data folder, as the real domains outlive this app: after a crash, or on a second instance on the
        // same folder, a re-sent request is recognised by its key and acts once (decision record 0020).
        services.AddSingleton(_ => new SimulatorLedger(Path.Combine(local.DataDirectory, "simulators.db")));
        services.AddSingleton(_ => new SimulatedAnswerPoster(new HttpClient { Timeout = TimeSpan.FromSeconds(30) }, local.AnswerUrl!));
        services.AddSimulatedDomains(new SimulatorKnobs { AnswerDelay = local.AnswerDelay },
            sp => sp.GetRequiredService<SimulatedAnswerPoster>().DeliverAsync);
        // Answers a dead worker left unsettled are delivered again, as a broker would (kept in the ledger file).
        services.AddHostedService<SimulatedAnswerSweeper>();
        services.AddOrdersJsonLinesPublisher(local.DataDirectory);
    }
}
