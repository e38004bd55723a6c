using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Orders.Application.Integration;
using Orders.Domain.ValueObjects;
using Orders.Orchestrations.Activities;
using static Orders.Orchestrations.Sagas.SagaSteps;

namespace Orders.Orchestrations.Sagas;

/// <summary>
/// RefundRequested → ReversePayment → ReleaseInventory → CloseOrder. The refund is recorded when the payments
/// domain reports the reversal. Only a refund that returns everything paid refunds the order; then stock still held
/// (the goods never shipped) is released and the order is closed. A partial refund ends after it is recorded.
/// A reversal that fails or never comes is escalated; the refund stays pending, visible, for a human.
/// </summary>
public sealed class RefundSaga : TaskOrchestrator<RefundInput, SagaOutcome>
{
    public override Task<SagaOutcome> RunAsync(TaskOrchestrationContext context, RefundInput input) =>
        RunToEndAsync(context, () => RunCoreAsync(context, input));

    private static async Task<SagaOutcome> RunCoreAsync(TaskOrchestrationContext context, RefundInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var log = context.CreateReplaySafeLogger<RefundSaga>();
        var retry = input.Options.Retry();
        var orderId = input.OrderId;

        var order = await context.CallActivityAsync<OrderFacts?>(nameof(LoadOrderFacts), new LoadOrderRequest(orderId, input.RefundId), retry);
        if (order is null || !order.RefundRequested) return new SagaOutcome(SagaResult.Skipped, $"No refund {input.RefundId} was requested.");

        if (!order.RefundCompleted)
        {
            context.SetCustomStatus(new SagaStatus("reversing-payment", input.RefundId));
            var reverse = new GatewayRequest(orderId, Key(context, "reverse"), input.RefundId);
            await context.CallActivityAsync<bool>(nameof(ReversePaymentStep), reverse, retry);
            var reversal = await WaitOrEscalateAsync<ReversalAnswer>(context, SagaNames.Refund, orderId, SagaNames.Events.Reversal,
                input.Options.ReversalTimeout, input.Options, $"refund {input.RefundId} has not been reversed", (nameof(ReversePaymentStep), reverse));
            if (reversal is null || !reversal.Reversed)
            {
                var reason = reversal?.Reason ?? "no answer from payments";
                if (reversal is not null)
                    await context.CallActivityAsync<bool>(nameof(EscalateStep), new EscalateRequest(orderId, SagaNames.Refund, $"refund {input.RefundId} failed: {reason}", 1), retry);
                context.SetCustomStatus(new SagaStatus("escalated", reason));
                log.LogError("Refund {RefundId} of {OrderId} escalated: {Reason}", input.RefundId, orderId, reason);
                return new SagaOutcome(SagaResult.Escalated, reason);
            }
        }

        // From revision 2 the buyer's notice goes with the step that records the refund (no activity of its own).
        var notice = input.CombinesSteps ? new BuyerNoticeFor(order.BuyerId).Of("refund-completed", input.RefundId) : null;
        var recorded = await context.CallActivityAsync<StepResult>(nameof(RecordRefundStep),
            new RefundStepRequest(orderId, input.RefundId, Key(context, "record"), notice), retry);
        if (!recorded.Ok) return new SagaOutcome(SagaResult.Escalated, $"the refund could not be recorded: {recorded.RejectionCode}");
        if (notice is null)
            await context.CallActivityAsync<bool>(nameof(NotifyBuyer), new NotifyRequest(orderId, "refund-completed", input.RefundId), retry);
        if (recorded.Status == OrderStatus.Cancelled)
        {
            // A payment the cancelled order never took, returned (decision 0016): the cancellation already released the stock.
            context.SetCustomStatus(new SagaStatus("returned", input.RefundId));
            return new SagaOutcome(SagaResult.Returned);
        }
        if (recorded.Status != OrderStatus.Refunded)
        {
            context.SetCustomStatus(new SagaStatus("partially-refunded", input.RefundId));
            return new SagaOutcome(SagaResult.PartiallyRefunded);
        }

        if (order.ShipmentId is null)
        {
            context.SetCustomStatus(new SagaStatus("releasing-stock"));
            // DURABLE2003 resolves class-based activities by class name only; this one is registered (SagaRegistration),
            // exposed (SagaActivityFunctions) and recorded in histories under its [DurableTask] name, checked by tests.
#pragma warning disable DURABLE2003
            await context.CallActivityAsync<bool>(ReleaseStockStep.Name,
                new GatewayRequest(orderId, Key(context, "release"), order.ReservationId, "refunded before shipment"), retry);
#pragma warning restore DURABLE2003
        }

        context.SetCustomStatus(new SagaStatus("closing"));
        var closed = await context.CallActivityAsync<StepResult>(nameof(CloseOrderStep), new CloseRequest(orderId, Key(context, "close")), retry);
        context.SetCustomStatus(new SagaStatus(closed.Ok ? "closed" : "refunded", closed.RejectionCode));
        return new SagaOutcome(closed.Ok ? SagaResult.RefundedAndClosed : SagaResult.Refunded, closed.RejectionCode);
    }
}
