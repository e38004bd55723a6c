using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Orders.Api;
using Orders.Application.Integration;
using Orders.Application.Jobs;
using Orders.Application.Outbox;
using Orders.Application.Ports.Outbound;
using Orders.Application.ReadModels;
using Orders.Application.UseCases;
using Orders.Functions.Durable;
using Orders.Functions.Jobs;
using Orders.Functions.Settings;
using Orders.Infrastructure.Cosmos;
using Orders.Infrastructure.Cosmos.Inbox;
using Orders.Infrastructure.Cosmos.ReadModels;
using Orders.Infrastructure.ServiceBus;
using Orders.Infrastructure.ServiceBus.Gateway;
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

        // The store: Cosmos DB, signed in with the app's managed identity (a key only for the emulator).
        services.AddSingleton(_ => CosmosClientFactory.Create(settings.Cosmos));
        services.AddSingleton(sp => new CosmosOrderStore(sp.GetRequiredService<CosmosClient>(), settings.Cosmos, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IOrderStore>(sp => sp.GetRequiredService<CosmosOrderStore>());
        services.AddSingleton<IOrderChangeLog>(sp => sp.GetRequiredService<CosmosOrderStore>());

        // Read models: the read-models container, written by the change feed pump's projector, read by the queries.
        services.AddSingleton(new ReadModelOptions());
        services.AddSingleton(sp => new CosmosReadModelStore(sp.GetRequiredService<CosmosClient>(), settings.Cosmos.Database,
            settings.ReadModelsContainer, sp.GetRequiredService<ReadModelOptions>()));
        services.AddSingleton<IReadModelStore>(sp => sp.GetRequiredService<CosmosReadModelStore>());
        services.AddSingleton<IReadModelQueries>(sp => sp.GetRequiredService<CosmosReadModelStore>());

        // Sagas: the ports over the invocation's Durable client.
        services.AddSingleton(new SagaOptions());
        services.AddScoped<InvocationDurableClient>();
        services.AddScoped<InvocationSagaClient>();
        services.AddScoped<ISagaScheduler>(sp => sp.GetRequiredService<InvocationSagaClient>());
        services.AddScoped<ISagaSignals>(sp => sp.GetRequiredService<InvocationSagaClient>());
        services.AddScoped<ISagaProgressReader>(sp => sp.GetRequiredService<InvocationSagaClient>());

        // Events out: the outbox relay publishes the change log to the order-events topic.
        services.AddSingleton(_ => ServiceBusClientFactory.Create(settings.ServiceBus));
        services.AddSingleton(sp => ServiceBusClientFactory.CreateOrderEventsSender(sp.GetRequiredService<ServiceBusClient>(), settings.ServiceBus));
        services.AddSingleton<IEventPublisher>(sp => new ServiceBusEventPublisher(sp.GetRequiredService<ServiceBusSender>(), settings.ServiceBus));
        services.AddSingleton(sp => new OutboxRelay(sp.GetRequiredService<IOrderChangeLog>(), sp.GetRequiredService<IEventPublisher>(), sp.GetRequiredService<TimeProvider>()));

        // Requests to other domains (inventory, payments, shipping, notifications): CloudEvents on the order-requests
        // topic; the answers come back as integration events on order-integration-events (the Service Bus trigger).
        services.AddKeyedSingleton(RequestsSender, (sp, _) => ServiceBusGatewayRequests.CreateSender(sp.GetRequiredService<ServiceBusClient>(), settings.Requests));
        services.AddSingleton(sp => new ServiceBusGatewayRequests(sp.GetRequiredKeyedService<ServiceBusSender>(RequestsSender), settings.Requests,
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IInventoryPort>(sp => sp.GetRequiredService<ServiceBusGatewayRequests>());
        services.AddSingleton<IPaymentsPort>(sp => sp.GetRequiredService<ServiceBusGatewayRequests>());
        services.AddSingleton<IShippingPort>(sp => sp.GetRequiredService<ServiceBusGatewayRequests>());
        services.AddSingleton<INotificationPort>(sp => sp.GetRequiredService<ServiceBusGatewayRequests>());

        // Events in: the Service Bus trigger's processor and the handler behind it. The inbox remembers handled events
        // in the leases container, across instances and restarts, for as long as a redelivery can come.
        services.AddSingleton<IInbox>(sp => new CosmosInbox(sp.GetRequiredService<CosmosClient>(), settings.Cosmos));
        services.AddScoped<IntegrationEventHandler>();
        services.AddScoped(sp => new InboundMessageProcessor(sp.GetRequiredService<IntegrationEventHandler>(),
            sp.GetRequiredService<ILogger<InboundMessageProcessor>>(), settings.ServiceBus, sp.GetRequiredService<TimeProvider>()));

        // Scheduled work: the enforcement jobs with their production defaults, and the change feed pump.
        services.AddSingleton(new JobOptions());
        // The stuck-order log: partition stuck-orders of the read-models container, so a flag is announced once, whichever
        // instance runs the job.
        services.AddSingleton<IStuckOrderLog>(sp => new CosmosStuckOrderLog(sp.GetRequiredService<CosmosClient>(), settings.Cosmos.Database,
            settings.ReadModelsContainer));
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
        // The pump runs every change-feed consumer: the outbox relay, the read-model projector and the cancellation
        // compensator (release stock, void the authorisation of a cancelled order), each with its own checkpoint.
        services.AddScoped(sp => new ChangeFeedPump(sp.GetRequiredService<OutboxRelay>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ChangeFeedPump>>(),
            new OrderProjector(sp.GetRequiredService<IOrderChangeLog>(), sp.GetRequiredService<IReadModelStore>()),
            new CancellationCompensator(sp.GetRequiredService<IOrderChangeLog>(), sp.GetRequiredService<IOrderStore>(),
                sp.GetRequiredService<IInventoryPort>(), sp.GetRequiredService<IPaymentsPort>()),
            new ParkedAnswerReplayer(sp.GetRequiredService<IOrderChangeLog>(), sp.GetRequiredService<IntegrationEventHandler>())));

        // Use cases and the HTTP adapter.
        var defaults = new CommandOptions();
        services.AddSingleton(new CommandOptions
        {
            IdempotencyRetention = settings.IdempotencyRetention,
            DefaultReturnWindow = settings.DefaultReturnWindow ?? defaults.DefaultReturnWindow,
            DefaultPaymentWindow = settings.DefaultPaymentWindow ?? defaults.DefaultPaymentWindow,
        });
        services.AddOrdersUseCases();
        services.AddOrdersApi(options =>
        {
            options.TrustAppServicePrincipal = settings.Auth == AuthMode.AppService;
            options.DevelopmentAuthentication = settings.Auth == AuthMode.Development;
        });
        return settings;
    }
}
