using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Orders.Orchestrations;
using Orders.Orchestrations.Activities;

namespace Orders.Functions.Durable;

/// <summary>
/// Every saga activity as an activity function: the wrapper builds the activity class from the invocation's services
/// (so its use cases and ports are the invocation's scoped ones), gives it a <see cref="FunctionActivityContext"/>
/// and returns what it returns. Function name = the activity's Durable name (its class name, or its
/// <c>[DurableTask]</c> name), which is what the sagas call.
/// <para>
/// By hand because the Durable source generator is not served here (it would emit the same shape); a test checks
/// there is one per activity in <see cref="SagaRegistration"/>, with the activity's own input and output types.
/// </para>
/// </summary>
public static class SagaActivityFunctions
{
    [Function(nameof(LoadOrderFacts))]
    public static Task<OrderFacts?> RunLoadOrderFacts([ActivityTrigger] LoadOrderRequest input, string instanceId, FunctionContext executionContext) =>
        RunAsync<LoadOrderFacts, LoadOrderRequest, OrderFacts?>(executionContext, instanceId, input);

    [Function(nameof(BeginCheckoutStep))]
    public static Task<OrderFacts?> RunBeginCheckoutStep([ActivityTrigger] BeginCheckoutRequest input, string instanceId, FunctionContext executionContext) =>
        RunAsync<BeginCheckoutStep, BeginCheckoutRequest, OrderFacts?>(executionContext, instanceId, input);

    /// <summary>Applies the answers parked for the order (<see cref="Orders.Application.Integration.IntegrationEventHandler"/>), which signal or start sagas: it needs the Durable client.</summary>
    [Function(nameof(ConfirmOrderStep))]
    public static Task<StepResult> RunConfirmOrderStep([ActivityTrigger] ConfirmRequest input, string instanceId,
        [DurableClient] DurableTaskClient client, FunctionContext executionContext)
    {
        ArgumentNullException.ThrowIfNull(executionContext);
        executionContext.InstanceServices.GetRequiredService<InvocationDurableClient>().Use(client);
        return RunAsync<ConfirmOrderStep, ConfirmRequest, StepResult>(executionContext, instanceId, input);
    }

    [Function(nameof(CancelOrderStep))]
    public static Task<StepResult> RunCancelOrderStep([ActivityTrigger] CancelRequest input, string instanceId, FunctionContext executionContext) =>
        RunAsync<CancelOrderStep, CancelRequest, StepResult>(executionContext, instanceId, input);

    /// <summary>Applies the answers parked for the order (<see cref="Orders.Application.Integration.IntegrationEventHandler"/>), which signal or start sagas: it needs the Durable client.</summary>
    [Function(nameof(RecordShipmentStep))]
    public static Task<StepResult> RunRecordShipmentStep([ActivityTrigger] ShipRequest input, string instanceId,
        [DurableClient] DurableTaskClient client, FunctionContext executionContext)
    {
        ArgumentNullException.ThrowIfNull(executionContext);
        executionContext.InstanceServices.GetRequiredService<InvocationDurableClient>().Use(client);
        return RunAsync<RecordShipmentStep, ShipRequest, StepResult>(executionContext, instanceId, input);
    }

    [Function(nameof(RecordDeliveryStep))]
    public static Task<StepResult> RunRecordDeliveryStep([ActivityTrigger] DeliverRequest input, string instanceId, FunctionContext executionContext) =>
        RunAsync<RecordDeliveryStep, DeliverRequest, StepResult>(executionContext, instanceId, input);

    [Function(nameof(RecordRefundStep))]
    public static Task<StepResult> RunRecordRefundStep([ActivityTrigger] RefundStepRequest input, string instanceId, FunctionContext executionContext) =>
        RunAsync<RecordRefundStep, RefundStepRequest, StepResult>(executionContext, instanceId, input);

    [Function(nameof(CloseOrderStep))]
    public static Task<StepResult> RunCloseOrderStep([ActivityTrigger] CloseRequest input, string instanceId, FunctionContext executionContext) =>
        RunAsync<CloseOrderStep, CloseRequest, StepResult>(executionContext, instanceId, input);

    [Function(nameof(RequestStock))]
    public static Task<bool> RunRequestStock([ActivityTrigger] GatewayRequest input, string instanceId, FunctionContext executionContext) =>
        RunAsync<RequestStock, GatewayRequest, bool>(executionContext, instanceId, input);

    /// <summary>Named <see cref="ReleaseStockStep.Name"/>, the activity's Durable name (kept when its class was renamed).</summary>
    [Function(ReleaseStockStep.Name)]
    public static Task<bool> RunReleaseStock([ActivityTrigger] GatewayRequest input, string instanceId, FunctionContext executionContext) =>
        RunAsync<ReleaseStockStep, GatewayRequest, bool>(executionContext, instanceId, input);

    [Function(nameof(RedeemPromotionsStep))]
    public static Task<bool> RunRedeemPromotionsStep([ActivityTrigger] GatewayRequest input, string instanceId, FunctionContext executionContext) =>
        RunAsync<RedeemPromotionsStep, GatewayRequest, bool>(executionContext, instanceId, input);

    [Function(nameof(ReleasePromotionsStep))]
    public static Task<bool> RunReleasePromotionsStep([ActivityTrigger] GatewayRequest input, string instanceId, FunctionContext executionContext) =>
        RunAsync<ReleasePromotionsStep, GatewayRequest, bool>(executionContext, instanceId, input);

    [Function(nameof(InitiatePaymentStep))]
    public static Task<bool> RunInitiatePaymentStep([ActivityTrigger] GatewayRequest input, string instanceId, FunctionContext executionContext) =>
        RunAsync<InitiatePaymentStep, GatewayRequest, bool>(executionContext, instanceId, input);

    [Function(nameof(VoidPaymentStep))]
    public static Task<bool> RunVoidPaymentStep([ActivityTrigger] GatewayRequest input, string instanceId, FunctionContext executionContext) =>
        RunAsync<VoidPaymentStep, GatewayRequest, bool>(executionContext, instanceId, input);

    [Function(nameof(ReversePaymentStep))]
    public static Task<bool> RunReversePaymentStep([ActivityTrigger] GatewayRequest input, string instanceId, FunctionContext executionContext) =>
        RunAsync<ReversePaymentStep, GatewayRequest, bool>(executionContext, instanceId, input);

    [Function(nameof(CreateShipmentStep))]
    public static Task<bool> RunCreateShipmentStep([ActivityTrigger] GatewayRequest input, string instanceId, FunctionContext executionContext) =>
        RunAsync<CreateShipmentStep, GatewayRequest, bool>(executionContext, instanceId, input);

    [Function(nameof(DispatchShipmentStep))]
    public static Task<bool> RunDispatchShipmentStep([ActivityTrigger] GatewayRequest input, string instanceId, FunctionContext executionContext) =>
        RunAsync<DispatchShipmentStep, GatewayRequest, bool>(executionContext, instanceId, input);

    [Function(nameof(CancelShipmentStep))]
    public static Task<bool> RunCancelShipmentStep([ActivityTrigger] GatewayRequest input, string instanceId, FunctionContext executionContext) =>
        RunAsync<CancelShipmentStep, GatewayRequest, bool>(executionContext, instanceId, input);

    /// <summary>Starts the fulfillment saga, so it needs the Durable client (a test checks every saga-port user has it).</summary>
    [Function(nameof(StartFulfillmentStep))]
    public static Task<bool> RunStartFulfillmentStep([ActivityTrigger] string input, string instanceId,
        [DurableClient] DurableTaskClient client, FunctionContext executionContext)
    {
        ArgumentNullException.ThrowIfNull(executionContext);
        executionContext.InstanceServices.GetRequiredService<InvocationDurableClient>().Use(client);
        return RunAsync<StartFulfillmentStep, string, bool>(executionContext, instanceId, input);
    }

    /// <summary>Starts a split child's checkout, so it needs the Durable client, like <see cref="RunStartFulfillmentStep"/>.</summary>
    [Function(nameof(StartCheckoutStep))]
    public static Task<bool> RunStartCheckoutStep([ActivityTrigger] string input, string instanceId,
        [DurableClient] DurableTaskClient client, FunctionContext executionContext)
    {
        ArgumentNullException.ThrowIfNull(executionContext);
        executionContext.InstanceServices.GetRequiredService<InvocationDurableClient>().Use(client);
        return RunAsync<StartCheckoutStep, string, bool>(executionContext, instanceId, input);
    }

    [Function(nameof(SplitOrderStep))]
    public static Task<SplitResult> RunSplitOrderStep([ActivityTrigger] SplitRequest input, string instanceId, FunctionContext executionContext) =>
        RunAsync<SplitOrderStep, SplitRequest, SplitResult>(executionContext, instanceId, input);

    [Function(nameof(NotifyBuyer))]
    public static Task<bool> RunNotifyBuyer([ActivityTrigger] NotifyRequest input, string instanceId, FunctionContext executionContext) =>
        RunAsync<NotifyBuyer, NotifyRequest, bool>(executionContext, instanceId, input);

    [Function(nameof(EscalateStep))]
    public static Task<bool> RunEscalateStep([ActivityTrigger] EscalateRequest input, string instanceId, FunctionContext executionContext) =>
        RunAsync<EscalateStep, EscalateRequest, bool>(executionContext, instanceId, input);

    private static Task<TOutput> RunAsync<TActivity, TInput, TOutput>(FunctionContext executionContext, string instanceId, TInput input)
        where TActivity : TaskActivity<TInput, TOutput>
    {
        ArgumentNullException.ThrowIfNull(executionContext);
        var activity = ActivatorUtilities.GetServiceOrCreateInstance<TActivity>(executionContext.InstanceServices);
        return activity.RunAsync(new FunctionActivityContext(typeof(TActivity).Name, instanceId), input);
    }
}
