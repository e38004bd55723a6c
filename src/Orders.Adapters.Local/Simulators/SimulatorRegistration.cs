using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orders.Application.Integration;
using Orders.Application.Ports.Outbound;

namespace Orders.Infrastructure.Simulators;

/// <summary>
/// The simulated domains, registered the same way by both hosts and the saga test harnesses (decision 0024). Local
/// only: the function app refuses them on App Service.
/// </summary>
public static class SimulatorRegistration
{
    /// <summary>
    /// The simulated inventory, payments, shipping, promotions and notification domains as the five outbound ports, answering
    /// through the container's <see cref="IntegrationEventHandler"/>. <paramref name="payments"/> may wrap the payments
    /// port (tests inject faults there).
    /// </summary>
    public static IServiceCollection AddSimulatedDomains(this IServiceCollection services, SimulatorKnobs knobs, SimulatorLedger ledger,
        Func<IServiceProvider, IPaymentsPort, IPaymentsPort>? payments = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(ledger);
        return services.AddSimulatedDomains(knobs, sp => inbound => sp.GetRequiredService<IntegrationEventHandler>().HandleAsync(inbound), payments);
    }

    /// <summary>
    /// The same five ports, answering through <paramref name="deliver"/> (the function app posts each answer to its own
    /// local-only HTTP function, so that an answer is a function invocation, as a Service Bus message would be). The
    /// caller registers the <see cref="SimulatorLedger"/> (in memory, or a file in the data directory).
    /// </summary>
    public static IServiceCollection AddSimulatedDomains(this IServiceCollection services, SimulatorKnobs knobs,
        Func<IServiceProvider, Func<InboundEvent, Task<InboundResult>>> deliver, Func<IServiceProvider, IPaymentsPort, IPaymentsPort>? payments = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(knobs);
        ArgumentNullException.ThrowIfNull(deliver);
        services.AddSingleton(knobs);
        services.AddSingleton(sp => new SimulatedDomains(deliver(sp), knobs, sp.GetRequiredService<SimulatorLedger>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System, sp.GetRequiredService<ILogger<SimulatedDomains>>()));
        services.AddSingleton<IInventoryPort>(sp => sp.GetRequiredService<SimulatedDomains>());
        services.AddSingleton<IShippingPort>(sp => sp.GetRequiredService<SimulatedDomains>());
        services.AddSingleton<IPromotionsPort>(sp => sp.GetRequiredService<SimulatedDomains>());
        services.AddSingleton<INotificationPort>(sp => sp.GetRequiredService<SimulatedDomains>());
        services.AddSingleton<IPaymentsPort>(sp => payments is null ? sp.GetRequiredService<SimulatedDomains>() : payments(sp, sp.GetRequiredService<SimulatedDomains>()));
        return services;
    }
}
