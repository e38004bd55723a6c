using Orders.Application.Integration;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Orders.Application.Access;
using Orders.Application.Ports.Outbound;
using Orders.Application.UseCases;
using Orders.Application.UseCases.Commands;
using Orders.Domain.Common;
using Orders.Domain.ValueObjects;

namespace Orders.Orchestrations.Activities;

// Activities that read or change the order, each through one use case. Refusals come back as values (StepResult);
// exceptions are transient faults the saga's retry policy retries. Re-running any of them is harmless: the use
// cases treat an exact replay as success and record nothing new.

/// <summary>
/// A saga's facts about its order. A refund saga's are loaded (it needs the reservation to release, which only the
/// history holds); the others' come from the stored state by a point read (<see cref="OrderFacts.OfState"/>), so the
/// only loads of an order are those of the commands that change it (issue 14 item 7).
/// </summary>
public sealed class LoadOrderFacts(IOrderStore store) : TaskActivity<LoadOrderRequest, OrderFacts?>
{
    public override async Task<OrderFacts?> RunAsync(TaskActivityContext context, LoadOrderRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var orderId = OrderId.From(input.OrderId);
        if (input.RefundId is null)
            return await store.ReadStateAsync(orderId).ConfigureAwait(false) is { } state ? OrderFacts.OfState(state.View) : null;
        var order = await store.LoadAsync(orderId).ConfigureAwait(false);
        return order is null ? null : OrderFacts.Of(order, input.RefundId);
    }
}

/// <summary>
/// A checkout's first step from revision 3 on: the order's facts (from its stored state, <see cref="OrderFacts.OfState"/>) and, when the saga's next step is to ask for the stock
/// (<see cref="OrderFacts.ReservesStockNext"/>), that request too, with the saga's key (one activity and one saga turn
/// fewer per checkout than <see cref="LoadOrderFacts"/> then <see cref="RequestStock"/>). The facts say whether it was
/// sent (<see cref="OrderFacts.StockRequested"/>); a retry sends it again with the same key, which the inventory
/// domain acts on once.
/// </summary>
public sealed class BeginCheckoutStep(IOrderStore store, IInventoryPort inventory) : TaskActivity<BeginCheckoutRequest, OrderFacts?>
{
    public override async Task<OrderFacts?> RunAsync(TaskActivityContext context, BeginCheckoutRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var state = (await store.ReadStateAsync(OrderId.From(input.OrderId)).ConfigureAwait(false))?.View;
        if (state is null) return null;
        var facts = OrderFacts.OfState(state);
        if (!facts.ReservesStockNext) return facts;
        await inventory.ReserveAsync(new ReserveStock(state.OrderId, GatewayLoad.Lines(state.Items), input.ReserveStockKey)).ConfigureAwait(false);
        return facts with { StockRequested = true };
    }
}

/// <summary>
/// The steps that record a fact through one use case and then tell the buyer of it (saga revisions of decision 0031):
/// the use case's outcome as a <see cref="StepResult"/>; when the fact was recorded, the answers parked for it applied
/// at once (for the steps given <c>parkedAnswers</c>: no wait for the change-feed pump, which would apply them too);
/// then the buyer's notice, when the saga asked for it here (best effort, <see cref="BuyerNotices"/>; see
/// <see cref="TellsOnlyWhatItRecorded"/> for the one step that stays silent when the order already said so).
/// </summary>
public abstract class RecordingStep<TRequest>(TimeProvider clock, IOrderStore store, INotificationPort notifications, ILogger logger,
    IntegrationEventHandler? parkedAnswers = null) : TaskActivity<TRequest, StepResult>
    where TRequest : IRecordingRequest
{
    /// <summary>Runs the step's use case for <paramref name="input"/>.</summary>
    protected abstract Task<Result<CommandReply>> RecordAsync(TRequest input, RequestContext request);

    /// <summary>
    /// Whether the notice is sent only when this step recorded the fact, not when the order already held it
    /// (<see cref="StepResult.Unchanged"/>). False by default: a step re-run after a crash (Durable runs activities at
    /// least once) finds its own fact recorded and must still tell the buyer.
    /// </summary>
    protected virtual bool TellsOnlyWhatItRecorded => false;

    public sealed override async Task<StepResult> RunAsync(TaskActivityContext context, TRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var reply = await RecordAsync(input, SagaCaller.Request(clock, input.CausationId)).ConfigureAwait(false);
        var result = StepResult.From(reply, r => r.Receipt.Status) with { Unchanged = reply.IsSuccess && reply.Value!.Unchanged };
        if (result.Ok && parkedAnswers is not null) await parkedAnswers.ReplayParkedAsync(input.OrderId).ConfigureAwait(false);
        if (!(result.Unchanged && TellsOnlyWhatItRecorded))
            await BuyerNotices.AfterAsync(store, notifications, logger, input.OrderId, result, input.Notify).ConfigureAwait(false);
        return result;
    }
}

/// <summary>Confirms the order, then applies at once any answer that came before the confirmation was recorded (a capture the payments domain sent early was parked).</summary>
public sealed class ConfirmOrderStep(ConfirmOrder useCase, IntegrationEventHandler answers, TimeProvider clock,
    IOrderStore store, INotificationPort notifications, ILogger<ConfirmOrderStep> logger)
    : RecordingStep<ConfirmRequest>(clock, store, notifications, logger, answers)
{
    protected override Task<Result<CommandReply>> RecordAsync(ConfirmRequest input, RequestContext request) =>
        useCase.ExecuteAsync(new ConfirmOrderCommand(OrderId.From(input.OrderId), input.ReservationId, input.AuthorizationId), request);
}

/// <summary>
/// Cancels the order. An order already cancelled (by its buyer, an operator, the auto-cancel job) is not announced
/// again with the checkout's reason ("payment timed out" for an order the buyer cancelled); the price is that the
/// step re-run after a crash between its record and its notice does not send it.
/// </summary>
public sealed class CancelOrderStep(CancelOrder useCase, TimeProvider clock,
    IOrderStore store, INotificationPort notifications, ILogger<CancelOrderStep> logger)
    : RecordingStep<CancelRequest>(clock, store, notifications, logger)
{
    protected override bool TellsOnlyWhatItRecorded => true;

    protected override Task<Result<CommandReply>> RecordAsync(CancelRequest input, RequestContext request) =>
        useCase.ExecuteAsync(new CancelOrderCommand(OrderId.From(input.OrderId), input.Reason), request);
}

/// <summary>Records the shipment, then applies at once a courier's cash report that came before it (parked).</summary>
public sealed class RecordShipmentStep(RecordShipment useCase, IntegrationEventHandler answers, TimeProvider clock,
    IOrderStore store, INotificationPort notifications, ILogger<RecordShipmentStep> logger)
    : RecordingStep<ShipRequest>(clock, store, notifications, logger, answers)
{
    protected override Task<Result<CommandReply>> RecordAsync(ShipRequest input, RequestContext request) =>
        useCase.ExecuteAsync(new RecordShipmentCommand(OrderId.From(input.OrderId), input.ShipmentId, input.Carrier, input.TrackingNumber), request);
}

public sealed class RecordDeliveryStep(RecordDelivery useCase, TimeProvider clock,
    IOrderStore store, INotificationPort notifications, ILogger<RecordDeliveryStep> logger)
    : RecordingStep<DeliverRequest>(clock, store, notifications, logger)
{
    protected override Task<Result<CommandReply>> RecordAsync(DeliverRequest input, RequestContext request) =>
        useCase.ExecuteAsync(new RecordDeliveryCommand(OrderId.From(input.OrderId), input.ShipmentId), request);
}

public sealed class RecordRefundStep(RecordRefund useCase, TimeProvider clock,
    IOrderStore store, INotificationPort notifications, ILogger<RecordRefundStep> logger)
    : RecordingStep<RefundStepRequest>(clock, store, notifications, logger)
{
    protected override Task<Result<CommandReply>> RecordAsync(RefundStepRequest input, RequestContext request) =>
        useCase.ExecuteAsync(new RecordRefundCommand(OrderId.From(input.OrderId), input.RefundId), request);
}

public sealed class CloseOrderStep(CloseOrder useCase, TimeProvider clock) : TaskActivity<CloseRequest, StepResult>
{
    public override async Task<StepResult> RunAsync(TaskActivityContext context, CloseRequest input) =>
        StepResult.From(await useCase.ExecuteAsync(new CloseOrderCommand(OrderId.From(input.OrderId)),
            SagaCaller.Request(clock, input.CausationId)).ConfigureAwait(false), r => r.Receipt.Status);
}

public sealed class SplitOrderStep(SplitOrder useCase, TimeProvider clock) : TaskActivity<SplitRequest, SplitResult>
{
    public override async Task<SplitResult> RunAsync(TaskActivityContext context, SplitRequest input)
    {
        var result = await useCase.ExecuteAsync(new SplitOrderCommand(OrderId.From(input.OrderId)), SagaCaller.Request(clock, input.CausationId)).ConfigureAwait(false);
        return result.IsSuccess
            ? new SplitResult([.. result.Value!.Receipt.ChildOrderIds.Select(c => c.Value)])
            : new SplitResult([], result.Rejection!.Code);
    }
}

/// <summary>The caller the sagas act as (a system caller), and the request context of each command they apply.</summary>
internal static class SagaCaller
{
    private static readonly Caller Caller = Caller.System("sagas");

    public static RequestContext Request(TimeProvider clock, string causationId) => new(Caller, clock.GetUtcNow(), causationId);
}
