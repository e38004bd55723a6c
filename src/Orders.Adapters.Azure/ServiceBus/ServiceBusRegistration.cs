using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orders.Application.Ports.Outbound;
using Orders.Infrastructure.ServiceBus.Gateway;

namespace Orders.Infrastructure.ServiceBus;

/// <summary>
/// Service Bus, as production uses it (decision 0024): events out to the order-events topic (the outbox relay's
/// publisher); requests to inventory, payments, shipping, promotions and notifications as CloudEvents on the
/// order-requests topic. The answers come back as integration events on order-integration-events (the function app's
/// Service Bus trigger). Registering connects to nothing.
/// </summary>
public static class ServiceBusRegistration
{
    /// <summary>The key of the requests topic's <see cref="ServiceBusSender"/> (the unkeyed sender is order-events').</summary>
    public const string RequestsSender = "order-requests";

    /// <summary>Registers the client, both senders, <see cref="IEventPublisher"/> and the five outbound ports.</summary>
    public static IServiceCollection AddOrdersServiceBus(this IServiceCollection services, ServiceBusOptions options, GatewayRequestOptions requests)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(requests);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => ServiceBusClientFactory.Create(options));
        services.AddSingleton(sp => ServiceBusClientFactory.CreateOrderEventsSender(sp.GetRequiredService<ServiceBusClient>(), options));
        services.AddSingleton<IEventPublisher>(sp => new ServiceBusEventPublisher(sp.GetRequiredService<ServiceBusSender>(), options));
        services.AddKeyedSingleton(RequestsSender, (sp, _) => ServiceBusGatewayRequests.CreateSender(sp.GetRequiredService<ServiceBusClient>(), requests));
        services.AddSingleton(sp => new ServiceBusGatewayRequests(sp.GetRequiredKeyedService<ServiceBusSender>(RequestsSender), requests,
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IInventoryPort>(sp => sp.GetRequiredService<ServiceBusGatewayRequests>());
        services.AddSingleton<IPaymentsPort>(sp => sp.GetRequiredService<ServiceBusGatewayRequests>());
        services.AddSingleton<IShippingPort>(sp => sp.GetRequiredService<ServiceBusGatewayRequests>());
        services.AddSingleton<IPromotionsPort>(sp => sp.GetRequiredService<ServiceBusGatewayRequests>());
        services.AddSingleton<INotificationPort>(sp => sp.GetRequiredService<ServiceBusGatewayRequests>());
        return services;
    }
}
