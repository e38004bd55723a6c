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
using Orders.Infrastructure.InMemory;
using Orders.Infrastructure.Jobs;
using Orders.Infrastructure.ServiceBus;
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
    public const string ReconcileNeedsReadModels =
        "ReconcileOrders needs a read-model store (it re-projects views that fell behind), and the function app has " +
        "none yet: a Cosmos DB read-model adapter is not written. Reconcile does not run until one is registered; " +
        "see functions/Orders.Functions/README.md.";

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

        // Read models: no Cosmos DB read-model store exists yet (see ReadModelsNotProvisioned).
        services.AddSingleton<IReadModelQueries, ReadModelsNotProvisioned>();

        // Sagas: the ports over the invocation's Durable client.
        services.AddSingleton(new SagaOptions());
        services.AddScoped<InvocationDurableClient>();
        services.AddScoped<InvocationSagaClient>();
        services.AddScoped<ISagaScheduler>(sp => sp.GetRequiredService<InvocationSagaClient>());
        services.AddScoped<ISagaSignals>(sp => sp.GetRequiredService<InvocationSagaClient>());
        services.AddScoped<ISagaProgressReader>(sp => sp.GetRequiredService<InvocationSagaClient>());

        // Requests to other domains: no Azure adapters yet (see UnwiredGatewayPorts).
        services.AddSingleton<UnwiredGatewayPorts>();
        services.AddSingleton<IInventoryPort>(sp => sp.GetRequiredService<UnwiredGatewayPorts>());
        services.AddSingleton<IPaymentsPort>(sp => sp.GetRequiredService<UnwiredGatewayPorts>());
        services.AddSingleton<IShippingPort>(sp => sp.GetRequiredService<UnwiredGatewayPorts>());
        services.AddSingleton<INotificationPort>(sp => sp.GetRequiredService<UnwiredGatewayPorts>());

        // Events out: the outbox relay publishes the change log to the order-events topic.
        services.AddSingleton(_ => ServiceBusClientFactory.Create(settings.ServiceBus));
        services.AddSingleton(sp => ServiceBusClientFactory.CreateOrderEventsSender(sp.GetRequiredService<ServiceBusClient>(), settings.ServiceBus));
        services.AddSingleton<IEventPublisher>(sp => new ServiceBusEventPublisher(sp.GetRequiredService<ServiceBusSender>(), settings.ServiceBus));
        services.AddSingleton(sp => new OutboxRelay(sp.GetRequiredService<IOrderChangeLog>(), sp.GetRequiredService<IEventPublisher>(), sp.GetRequiredService<TimeProvider>()));

        // Events in: the Service Bus trigger's processor and the handler behind it. The inbox is the in-process one
        // (no Cosmos DB inbox exists yet): it catches redeliveries to the same instance; the handlers tolerate the rest.
        services.AddSingleton<IInbox, InMemoryInbox>();
        services.AddScoped<IntegrationEventHandler>();
        services.AddScoped(sp => new InboundMessageProcessor(sp.GetRequiredService<IntegrationEventHandler>(),
            sp.GetRequiredService<ILogger<InboundMessageProcessor>>(), settings.ServiceBus, sp.GetRequiredService<TimeProvider>()));

        // Scheduled work: the enforcement jobs with their production defaults, and the change feed pump.
        services.AddSingleton(new JobOptions());
        // No Cosmos DB stuck-order log exists yet: the in-process one keeps the flags per instance and forgets them on
        // a restart (an order still stuck is then announced again; OrderStuck alerts still fire).
        services.AddSingleton<IStuckOrderLog, InMemoryStuckOrderLog>();
        services.AddSingleton<IRelayMonitor>(sp => new ChangeLogRelayMonitor(sp.GetRequiredService<IOrderChangeLog>(),
            OutboxRelay.Consumer, sp.GetRequiredService<JobOptions>().RelayPeekLimit));
        // Where detect-stuck and reconcile stopped scanning, so that consecutive runs (each in its own invocation scope)
        // walk on through the orders instead of re-reading the oldest batch; per process, like the timers' schedule
        // monitor: a new instance starts over, which only delays, never skips.
        services.AddSingleton<JobScanPositions>();
        services.AddScoped<AutoCancelUnpaidOrders>();
        services.AddScoped<DetectStuckOrders>();
        // Reconcile re-projects read models, so it needs a read-model store, which the app does not have yet: its
        // timer then fails every run saying so, rather than skip the checks in silence.
        services.AddScoped(sp => new ReconcileOrders(sp.GetRequiredService<IOrderStore>(),
            sp.GetService<IReadModelStore>() ?? throw new InvalidOperationException(ReconcileNeedsReadModels),
            sp.GetRequiredService<ISagaProgressReader>(), sp.GetRequiredService<ISagaScheduler>(), sp.GetRequiredService<IRelayMonitor>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<JobOptions>(), sp.GetRequiredService<ILogger<ReconcileOrders>>(),
            sp.GetRequiredService<JobScanPositions>()));
        // The pump runs each change-feed consumer the app can serve; one it cannot (no read-model store, no gateway
        // adapters) keeps its checkpoint untouched until it is wired, and the pump's report says it did not run.
        services.AddScoped(sp => new ChangeFeedPump(sp.GetRequiredService<OutboxRelay>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ChangeFeedPump>>(),
            sp.GetService<IReadModelStore>() is { } readModels ? new OrderProjector(sp.GetRequiredService<IOrderChangeLog>(), readModels) : null,
            sp.GetRequiredService<IInventoryPort>() is not UnwiredGatewayPorts && sp.GetRequiredService<IPaymentsPort>() is not UnwiredGatewayPorts
                ? new CancellationCompensator(sp.GetRequiredService<IOrderChangeLog>(), sp.GetRequiredService<IOrderStore>(),
                    sp.GetRequiredService<IInventoryPort>(), sp.GetRequiredService<IPaymentsPort>())
                : null));

        // Use cases and the HTTP adapter.
        services.AddSingleton(new CommandOptions { IdempotencyRetention = settings.IdempotencyRetention });
        services.AddOrdersUseCases();
        services.AddOrdersApi(options =>
        {
            options.TrustAppServicePrincipal = settings.Auth == AuthMode.AppService;
            options.DevelopmentAuthentication = settings.Auth == AuthMode.Development;
        });
        return settings;
    }
}
