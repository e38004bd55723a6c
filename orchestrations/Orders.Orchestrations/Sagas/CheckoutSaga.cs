using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Orders.Application.Integration;
using Orders.Domain.ValueObjects;
using Orders.Orchestrations.Activities;
using static Orders.Orchestrations.Sagas.SagaSteps;

namespace Orders.Orchestrations.Sagas;

/// <summary>
/// CreateOrder → ReserveInventory → RedeemPromotions → InitiatePayment → ConfirmOrder. On a refusal or a timeout
/// every step already taken is compensated in reverse order (void the payment, release the codes, release the stock)
/// and the order is cancelled with the reason. The promotions step runs only for an order priced with codes and only
/// in instances started at <see cref="CheckoutInput.Current"/> 2 or later (older ones replay as they ran).
/// Cash-on-delivery orders skip the payment and are confirmed as COD, then go straight to fulfillment.
/// An order with items of several sellers is first split into one order per seller, each with its own checkout.
/// </summary>
public sealed class CheckoutSaga : TaskOrchestrator<CheckoutInput, SagaOutcome>
{
    public override Task<SagaOutcome> RunAsync(TaskOrchestrationContext context, CheckoutInput input) =>
        RunToEndAsync(context, () => RunCoreAsync(context, input));

    private static async Task<SagaOutcome> RunCoreAsync(TaskOrchestrationContext context, CheckoutInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var retry = input.Options.Retry();
        var orderId = input.OrderId;
        var compensations = new Stack<(string Activity, GatewayRequest Request)>();

        var asked = context.CurrentUtcDateTime;
        var reserve = new GatewayRequest(orderId, Key(context, "reserve"));
        var order = input.CombinesSteps
            ? await context.CallActivityAsync<OrderFacts?>(nameof(BeginCheckoutStep), new BeginCheckoutRequest(orderId, reserve.IdempotencyKey), retry)
            : await context.CallActivityAsync<OrderFacts?>(nameof(LoadOrderFacts), new LoadOrderRequest(orderId), retry);
        if (order is null) return new SagaOutcome(SagaResult.Missing, $"Order {orderId} does not exist.");
        // From revision 3 the buyer's notices go with the step that records the fact (no activity of their own).
        var notices = input.CombinesSteps ? new BuyerNoticeFor(order.BuyerId) : null;
        var promotions = input.RedeemsPromotions && order.HasPromotions;
        if (order.Status == OrderStatus.Split)
        {
            // Split by its buyer before this saga ran: the codes are still the parent's to redeem, before any child starts.
            var children = order.ChildOrderIds ?? [];
            var refusal = promotions ? await RedeemPromotionsAsync(context, input, orderId, compensations, retry) : null;
            if (refusal is null) return await StartChildrenAsync(context, children, retry);
            return await CancelChildrenAsync(context, children, refusal, notices, retry);
        }
        if (order.Status == OrderStatus.Confirmed && !order.CashOnDelivery && !order.Paid)
        {
            // Restarted after the order was confirmed (the answers in flight were lost): ask for the payment again with
            // the same key; the payments domain acts once and answers again, and its capture pays the order.
            await context.CallActivityAsync<bool>(nameof(InitiatePaymentStep), new GatewayRequest(orderId, Key(context, "pay")), retry);
            context.SetCustomStatus(new SagaStatus("awaiting-capture"));
            return new SagaOutcome(SagaResult.Confirmed, "payment requested again after a restart");
        }
        if (order.Status != OrderStatus.Created) return new SagaOutcome(SagaResult.Skipped, $"The order is already {order.Status}.");

        if (order.SellerCount > 1)
        {
            // The codes were granted to the whole cart: redeemed once, here, before it becomes one order per seller.
            if (promotions && await RedeemPromotionsAsync(context, input, orderId, compensations, retry) is { } refusal)
            {
                // Revision 4: split by its buyer while the codes were asked for, the order refuses its cancellation (a
                // SPLIT order is not cancellable) and its children would be left to reconcile, which starts their
                // checkouts: sold at a discount the promotions domain refused. They go down with the refusal instead.
                if (input.CancelsChildrenOfALateSplit
                    && await context.CallActivityAsync<OrderFacts?>(nameof(LoadOrderFacts), new LoadOrderRequest(orderId), retry) is { Status: OrderStatus.Split } splitMeanwhile)
                    return await CancelChildrenAsync(context, splitMeanwhile.ChildOrderIds ?? [], refusal, notices, retry);
                return await CompensateAsync(context, orderId, notices, compensations, refusal, retry);
            }
            context.SetCustomStatus(new SagaStatus("splitting"));
            var split = await context.CallActivityAsync<SplitResult>(nameof(SplitOrderStep), new SplitRequest(orderId, Key(context, "split")), retry);
            if (split.RejectionCode is not null) return new SagaOutcome(SagaResult.Skipped, $"The split was refused: {split.RejectionCode}.");
            return await StartChildrenAsync(context, split.ChildOrderIds, retry);
        }

        context.SetCustomStatus(new SagaStatus("reserving-stock"));
        // From revision 3 the first step asked for the stock already when it was next (the facts say so).
        var stock = order.StockRequested
            ? await AwaitAskedAsync<InventoryAnswer>(context, nameof(RequestStock), reserve, SagaNames.Events.Inventory,
                input.Options.InventoryTimeout, input.Options, retry, asked)
            : await AskAsync<InventoryAnswer>(context, nameof(RequestStock), reserve,
                SagaNames.Events.Inventory, input.Options.InventoryTimeout, input.Options, retry);
        if (stock is null)
        {
            // The reservation may still be made after we stopped waiting: release whatever is held for the order.
            compensations.Push((ReleaseStockStep.Name, new GatewayRequest(orderId, Key(context, "release"), null, "stock reservation timed out")));
            return await CompensateAsync(context, orderId, notices, compensations, "stock reservation timed out", retry);
        }
        if (!stock.Reserved) return await CompensateAsync(context, orderId, notices, compensations, $"out of stock: {stock.Reason}", retry);
        compensations.Push((ReleaseStockStep.Name, new GatewayRequest(orderId, Key(context, "release"), stock.ReservationId, "checkout failed")));

        // The discount is already in the price (fixed at creation): a refusal cancels the order, it never re-prices it.
        if (promotions && await RedeemPromotionsAsync(context, input, orderId, compensations, retry) is { } refused)
            return await CompensateAsync(context, orderId, notices, compensations, refused, retry);

        string? authorization = null;
        if (!order.CashOnDelivery)
        {
            context.SetCustomStatus(new SagaStatus("authorising-payment"));
            var untilDue = order.PaymentDueBy - context.CurrentUtcDateTime;
            var timeout = untilDue < input.Options.PaymentTimeout ? (untilDue > TimeSpan.Zero ? untilDue : TimeSpan.Zero) : input.Options.PaymentTimeout;
            var pay = new GatewayRequest(orderId, Key(context, "pay"));
            var asking = context.CurrentUtcDateTime;
            if (!await SendAsync(context, input, nameof(InitiatePaymentStep), pay, retry))
            {
                // An earlier attempt of the step may have sent the request before it failed: void whatever it got.
                compensations.Push((nameof(VoidPaymentStep), new GatewayRequest(orderId, Key(context, "void"), null, CancelledMeanwhile)));
                return await CompensateAsync(context, orderId, notices, compensations, CancelledMeanwhile, retry);
            }
            var payment = await AwaitAskedAsync<PaymentAnswer>(context, nameof(InitiatePaymentStep), pay, SagaNames.Events.Payment, timeout,
                input.Options, retry, asking);
            if (payment is null)
            {
                compensations.Push((nameof(VoidPaymentStep), new GatewayRequest(orderId, Key(context, "void"), null, "payment timed out")));
                return await CompensateAsync(context, orderId, notices, compensations, "payment timed out", retry);
            }
            if (!payment.Authorized) return await CompensateAsync(context, orderId, notices, compensations, $"payment declined: {payment.Reason}", retry);
            authorization = payment.AuthorizationId;
            compensations.Push((nameof(VoidPaymentStep), new GatewayRequest(orderId, Key(context, "void"), authorization, "checkout failed")));
        }

        context.SetCustomStatus(new SagaStatus("confirming"));
        var confirmed = await context.CallActivityAsync<StepResult>(nameof(ConfirmOrderStep),
            new ConfirmRequest(orderId, stock.ReservationId!, authorization, Key(context, "confirm"), notices?.Of("order-confirmed")), retry);
        if (!confirmed.Ok)
            return await CompensateAsync(context, orderId, notices, compensations, $"confirmation refused: {confirmed.RejectionCode}", retry);

        if (notices is null)
        {
            await context.CallActivityAsync<bool>(nameof(NotifyBuyer), new NotifyRequest(orderId, "order-confirmed"), retry);
            // From revision 3 the reaction table alone starts a cash-on-delivery order's fulfillment (on order.confirmed).
            if (order.CashOnDelivery) await context.CallActivityAsync<bool>(nameof(StartFulfillmentStep), orderId, retry);
        }
        context.SetCustomStatus(new SagaStatus("confirmed"));
        LogConfirmed(context, orderId);
        return new SagaOutcome(SagaResult.Confirmed);
    }

    /// <summary>A split order's checkout is its children's: one each (whoever split it, this saga or a buyer).</summary>
    private static async Task<SagaOutcome> StartChildrenAsync(TaskOrchestrationContext context, IReadOnlyList<string> children, TaskOptions retry)
    {
        foreach (var child in children) await context.CallActivityAsync<bool>(nameof(StartCheckoutStep), child, retry);
        context.SetCustomStatus(new SagaStatus("split", string.Join(", ", children)));
        return new SagaOutcome(SagaResult.Split, string.Join(", ", children));
    }

    /// <summary>
    /// Asks the promotions domain to redeem the order's codes (all or none) and waits for its answer. Null when
    /// redeemed (their release is then a compensation), else why not; on a timeout, whatever a late answer may redeem
    /// is released too.
    /// </summary>
    private static async Task<string?> RedeemPromotionsAsync(TaskOrchestrationContext context, CheckoutInput input, string orderId,
        Stack<(string Activity, GatewayRequest Request)> compensations, TaskOptions retry)
    {
        context.SetCustomStatus(new SagaStatus("redeeming-promotions"));
        var redeem = new GatewayRequest(orderId, Key(context, "redeem-promotions"));
        var asked = context.CurrentUtcDateTime;
        var release = Key(context, CancellationCompensator.ReleasePromotionsStep);
        if (!await SendAsync(context, input, nameof(RedeemPromotionsStep), redeem, retry))
        {
            // An earlier attempt of the step may have sent the request before it failed: release whatever it redeemed.
            compensations.Push((nameof(ReleasePromotionsStep), new GatewayRequest(orderId, release, null, CancelledMeanwhile)));
            return CancelledMeanwhile;
        }
        var answer = await AwaitAskedAsync<PromotionsAnswer>(context, nameof(RedeemPromotionsStep), redeem, SagaNames.Events.Promotions,
            input.Options.PromotionsTimeout, input.Options, retry, asked);
        if (answer is null)
        {
            compensations.Push((nameof(ReleasePromotionsStep), new GatewayRequest(orderId, release, null, "promotion redemption timed out")));
            return "promotion redemption timed out";
        }
        if (!answer.Redeemed) return $"promotion refused: {answer.Reason}";
        compensations.Push((nameof(ReleasePromotionsStep), new GatewayRequest(orderId, release, answer.RedemptionId, "checkout failed")));
        return null;
    }

    /// <summary>
    /// Sends an ask (codes, payment) through <paramref name="activity"/>. False from revision 4 when the activity did
    /// not send it because the order was cancelled while the checkout waited: the checkout then gives back what it
    /// holds (with its own keys, which the cancellation's compensation did not spend) and asks nothing more. Earlier
    /// revisions ignore the answer and wait, as they always did, for an answer that will not come.
    /// </summary>
    private static async Task<bool> SendAsync(TaskOrchestrationContext context, CheckoutInput input, string activity, GatewayRequest request, TaskOptions retry) =>
        await context.CallActivityAsync<bool>(activity, request, retry) || !input.StopsWhenCancelled;

    /// <summary>Why a checkout of revision 4 or later stopped: the order was cancelled by someone else while it waited.</summary>
    internal const string CancelledMeanwhile = "the order was cancelled while its checkout waited";

    /// <summary>A parent split before its codes were redeemed, and they were refused: none of its children may go on.</summary>
    private static async Task<SagaOutcome> CancelChildrenAsync(TaskOrchestrationContext context, IReadOnlyList<string> children, string reason,
        BuyerNoticeFor? notices, TaskOptions retry)
    {
        context.SetCustomStatus(new SagaStatus("compensating", reason));
        foreach (var child in children)
        {
            // Revision 3: the child's notice (its buyer is the parent's) goes with its cancellation, and only when it was cancelled.
            await context.CallActivityAsync<StepResult>(nameof(CancelOrderStep),
                new CancelRequest(child, reason, Key(context, $"cancel-{child}"), notices?.Of("order-cancelled", reason)), retry);
            if (notices is null) await context.CallActivityAsync<bool>(nameof(NotifyBuyer), new NotifyRequest(child, "order-cancelled", reason), retry);
        }
        context.SetCustomStatus(new SagaStatus("compensated", reason));
        LogCompensated(context, context.InstanceId, reason);
        return new SagaOutcome(SagaResult.Cancelled, $"{reason}; children cancelled: {string.Join(", ", children)}");
    }

    private static async Task<SagaOutcome> CompensateAsync(TaskOrchestrationContext context, string orderId, BuyerNoticeFor? notices,
        Stack<(string Activity, GatewayRequest Request)> compensations, string reason, TaskOptions retry)
    {
        context.SetCustomStatus(new SagaStatus("compensating", reason));
        while (compensations.TryPop(out var step)) await context.CallActivityAsync<bool>(step.Activity, step.Request, retry);
        // Cancelling a cancelled order is a replay; a refusal here means the order moved on (someone confirmed or paid
        // it), which the history shows and the reconcile job reports. From revision 3 the buyer is told only of a
        // cancellation that was recorded (revision 2 told of it even when refused).
        // An order someone else cancelled meanwhile is left as it is (the step records nothing, and tells nobody).
        var cancelled = await context.CallActivityAsync<StepResult>(nameof(CancelOrderStep),
            new CancelRequest(orderId, reason, Key(context, "cancel"), notices?.Of("order-cancelled", reason)), retry);
        if (notices is null) await context.CallActivityAsync<bool>(nameof(NotifyBuyer), new NotifyRequest(orderId, "order-cancelled", reason), retry);
        context.SetCustomStatus(new SagaStatus("compensated", reason));
        LogCompensated(context, orderId, reason);
        if (!cancelled.Ok) return new SagaOutcome(SagaResult.Compensated, $"{reason}; cancel refused: {cancelled.RejectionCode}");
        // (The reason already says so when the checkout stopped because the order was cancelled while it waited.)
        return new SagaOutcome(SagaResult.Cancelled, cancelled.Unchanged && reason != CancelledMeanwhile ? $"{reason}; the order was already cancelled" : reason);
    }

    // Loggers are made from the context where they are used (replay-safe: silent while replaying), never passed around:
    // the Durable analyzers (DURABLE0010) cannot tell a passed replay-safe logger from any other.
    private static void LogConfirmed(TaskOrchestrationContext context, string orderId) =>
        context.CreateReplaySafeLogger<CheckoutSaga>().LogInformation("Checkout of {OrderId} confirmed the order", orderId);

    private static void LogCompensated(TaskOrchestrationContext context, string orderId, string reason) =>
        context.CreateReplaySafeLogger<CheckoutSaga>().LogWarning("Checkout of {OrderId} compensated: {Reason}", orderId, reason);
}
