using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orders.Application.Integration;
using Orders.Application.Ports.Outbound;

namespace Orders.Infrastructure.Simulators;

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
        services.AddSingleton(knobs);
        services.AddSingleton(ledger);
        services.AddSingleton(sp => new SimulatedDomains(sp.GetRequiredService<IntegrationEventHandler>, knobs, ledger,
            sp.GetService<TimeProvider>() ?? TimeProvider.System, sp.GetRequiredService<ILogger<SimulatedDomains>>()));
        services.AddSingleton<IInventoryPort>(sp => sp.GetRequiredService<SimulatedDomains>());
        services.AddSingleton<IShippingPort>(sp => sp.GetRequiredService<SimulatedDomains>());
        services.AddSingleton<IPromotionsPort>(sp => sp.GetRequiredService<SimulatedDomains>());
        services.AddSingleton<INotificationPort>(sp => sp.GetRequiredService<SimulatedDomains>());
        services.AddSingleton<IPaymentsPort>(sp => payments is null ? sp.GetRequiredService<SimulatedDomains>() : payments(sp, sp.GetRequiredService<SimulatedDomains>()));
        return services;
    }
}
