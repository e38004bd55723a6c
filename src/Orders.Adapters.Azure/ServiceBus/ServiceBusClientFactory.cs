using Azure.Core;
using Azure.Identity;
using Azure.Messaging.ServiceBus;

namespace Orders.Infrastructure.ServiceBus;

/// <summary>
/// Builds the <see cref="ServiceBusClient"/> (one per process; it owns the AMQP connection) and the senders Orders
/// needs. Production signs in with a token credential and no keys; a connection string is for the local emulator.
/// </summary>
public static class ServiceBusClientFactory
{
    public static ServiceBusClient Create(ServiceBusOptions options, TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clientOptions = ClientOptions(options);
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
            return new ServiceBusClient(options.ConnectionString, clientOptions);
        return new ServiceBusClient(NamespaceHost(options.FullyQualifiedNamespace), credential ?? new DefaultAzureCredential(), clientOptions);
    }

    /// <summary>The sender for <see cref="ServiceBusOptions.OrderEventsTopic"/>, the one <see cref="ServiceBusEventPublisher"/> uses.</summary>
    public static ServiceBusSender CreateOrderEventsSender(ServiceBusClient client, ServiceBusOptions options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.OrderEventsTopic);
        return client.CreateSender(options.OrderEventsTopic);
    }

    public static ServiceBusClientOptions ClientOptions(ServiceBusOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ServiceBusClientOptions
        {
            Identifier = "orders",
            TransportType = options.UseWebSockets ? ServiceBusTransportType.AmqpWebSockets : ServiceBusTransportType.AmqpTcp,
        };
    }

    /// <summary>
    /// The namespace's host name. Accepts the bare host (the documented form) and, forgivingly, <c>sb://host/</c> or
    /// <c>https://host/</c> as copied from the portal; anything else is a configuration error with a clear message.
    /// </summary>
    public static string NamespaceHost(string? fullyQualifiedNamespace)
    {
        if (string.IsNullOrWhiteSpace(fullyQualifiedNamespace))
            throw new InvalidOperationException(
                "ServiceBus:FullyQualifiedNamespace is required (e.g. orders-prod.servicebus.windows.net), " +
                "or ServiceBus:ConnectionString for the local emulator.");
        var value = fullyQualifiedNamespace.Trim();
        if (value.Contains("://", StringComparison.Ordinal))
        {
            if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Host.Length > 0) return uri.Host;
            throw new InvalidOperationException($"ServiceBus:FullyQualifiedNamespace '{value}' is not a host name.");
        }
        if (Uri.CheckHostName(value) == UriHostNameType.Unknown)
            throw new InvalidOperationException($"ServiceBus:FullyQualifiedNamespace '{value}' is not a host name.");
        return value;
    }
}
