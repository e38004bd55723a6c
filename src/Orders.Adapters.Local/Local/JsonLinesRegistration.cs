using Microsoft.Extensions.DependencyInjection;
using Orders.Application.Ports.Outbound;

namespace Orders.Infrastructure.Local;

/// <summary>The local stand-in for the order-events topic, registered the same way by both hosts (decision 0024).</summary>
public static class JsonLinesRegistration
{
    /// <summary>Every relayed public event appended, as a CloudEvent, to <c>published-events.jsonl</c> in the data directory.</summary>
    public static IServiceCollection AddOrdersJsonLinesPublisher(this IServiceCollection services, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        services.AddSingleton<IEventPublisher>(_ =>
        {
            Directory.CreateDirectory(dataDirectory);
            return new JsonLinesEventPublisher(Path.Combine(dataDirectory, "published-events.jsonl"));
        });
        return services;
    }
}
