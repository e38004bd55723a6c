using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Orders.Orchestrations;
using Orders.Orchestrations.Sagas;

namespace Orders.Functions.Durable;

/// <summary>
/// The three sagas as orchestrator functions: each runs its class-based orchestrator (the same class the in-process
/// engine runs in tests and the local host) on the orchestration context the host gives it. Function name = class
/// name, which is what <see cref="DurableSagaClient"/> schedules.
/// <para>
/// Written by hand because the Durable source generator (Microsoft.DurableTask.Generators), which emits exactly these
/// wrappers for <c>[DurableTask]</c> classes, is not served here. A test checks there is one per orchestrator in
/// <see cref="SagaRegistration"/>.
/// </para>
/// The orchestrators are stateless (no fields, no services), so one instance of each serves every replay.
/// </summary>
public static class SagaOrchestratorFunctions
{
    private static readonly CheckoutSaga Checkout = new();
    private static readonly FulfillmentSaga Fulfillment = new();
    private static readonly RefundSaga Refund = new();

    [Function(nameof(CheckoutSaga))]
    public static Task<SagaOutcome> RunCheckoutSaga([OrchestrationTrigger] TaskOrchestrationContext context) =>
        Checkout.RunAsync(Checked(context), Input<CheckoutInput>(context));

    [Function(nameof(FulfillmentSaga))]
    public static Task<SagaOutcome> RunFulfillmentSaga([OrchestrationTrigger] TaskOrchestrationContext context) =>
        Fulfillment.RunAsync(Checked(context), Input<FulfillmentInput>(context));

    [Function(nameof(RefundSaga))]
    public static Task<SagaOutcome> RunRefundSaga([OrchestrationTrigger] TaskOrchestrationContext context) =>
        Refund.RunAsync(Checked(context), Input<RefundInput>(context));

    private static TaskOrchestrationContext Checked(TaskOrchestrationContext context) =>
        context ?? throw new ArgumentNullException(nameof(context));

    /// <summary>A saga started without its input is a bug in whoever started it: fail the orchestration saying so.</summary>
    private static T Input<T>(TaskOrchestrationContext context) where T : class =>
        Checked(context).GetInput<T>() ?? throw new InvalidOperationException(
            $"Orchestration {context.Name} ({context.InstanceId}) was started without its {typeof(T).Name}.");
}
