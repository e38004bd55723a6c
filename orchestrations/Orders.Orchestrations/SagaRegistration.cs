using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;

using Orders.Orchestrations.Activities;
using Orders.Orchestrations.Sagas;

namespace Orders.Orchestrations;

/// <summary>
/// Registers the three sagas and their activities, by class name, on any Durable Task worker: the in-process engine
/// (tests, local host) or a standalone worker. The Functions app exposes the same classes through thin
/// [OrchestrationTrigger]/[ActivityTrigger] wrappers (the source generator is not available here).
/// </summary>
public static class SagaRegistration
{
    public static DurableTaskRegistry AddOrderSagas(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry
            .AddOrchestrator<CheckoutSaga>()
            .AddOrchestrator<FulfillmentSaga>()
            .AddOrchestrator<RefundSaga>()
            .AddActivity<LoadOrderFacts>()
            .AddActivity<BeginCheckoutStep>()
            .AddActivity<ConfirmOrderStep>()
            .AddActivity<CancelOrderStep>()
            .AddActivity<RecordShipmentStep>()
            .AddActivity<RecordDeliveryStep>()
            .AddActivity<RecordRefundStep>()
            .AddActivity<CloseOrderStep>()
            .AddActivity<RequestStock>()
            .AddActivity<ReleaseStockStep>(ReleaseStockStep.Name)
            .AddActivity<RedeemPromotionsStep>()
            .AddActivity<ReleasePromotionsStep>()
            .AddActivity<InitiatePaymentStep>()
            .AddActivity<VoidPaymentStep>()
            .AddActivity<ReversePaymentStep>()
            .AddActivity<CreateShipmentStep>()
            .AddActivity<DispatchShipmentStep>()
            .AddActivity<CancelShipmentStep>()
            .AddActivity<StartFulfillmentStep>()
            .AddActivity<StartCheckoutStep>()
            .AddActivity<SplitOrderStep>()
            .AddActivity<NotifyBuyer>()
            .AddActivity<EscalateStep>();
    }
}

/// <summary>The saga ports over a <see cref="DurableSagaClient"/>, for a container that has a DurableTaskClient.</summary>
public static class SagaClientRegistration
{
    public static IServiceCollection AddDurableSagaClient(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<DurableSagaClient>();
        services.AddSingleton<Application.Ports.Outbound.ISagaScheduler>(sp => sp.GetRequiredService<DurableSagaClient>());
        services.AddSingleton<Application.Ports.Outbound.ISagaSignals>(sp => sp.GetRequiredService<DurableSagaClient>());
        services.AddSingleton<Application.Ports.Outbound.ISagaProgressReader>(sp => sp.GetRequiredService<DurableSagaClient>());
        services.AddSingleton<Application.Ports.Outbound.ISagaRestarter>(sp => sp.GetRequiredService<DurableSagaClient>());
        return services;
    }
}
