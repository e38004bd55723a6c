using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Orders.Application.Ports.Outbound;
using Orders.Application.Views;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;

namespace Orders.Orchestrations.Activities;

// Activities that ask another domain to act. They send a request carrying the idempotency key and return: the
// answer arrives later as an integration event the saga waits for. Sending twice is harmless (same key).
// The checkout's asks (stock, codes, payment) are not sent for an order cancelled meanwhile (by its buyer, an operator
// or the auto-cancel job): they answer false, and nothing is reserved, redeemed or authorised for it. The
// cancellation's own compensation ran before; anything asked after it would be held with nobody to give it back.

/// <summary>Asks for the stock again (a re-send), unless the order was cancelled: false, nothing sent.</summary>
public sealed class RequestStock(IOrderStore store, IInventoryPort inventory) : TaskActivity<GatewayRequest, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, GatewayRequest input)
    {
        var order = await GatewayLoad.OrderAsync(store, input).ConfigureAwait(false);
        if (GatewayLoad.Cancelled(order)) return false;
        await inventory.ReserveAsync(new ReserveStock(order.OrderId, GatewayLoad.Lines(order.Items), input.IdempotencyKey)).ConfigureAwait(false);
        return true;
    }
}

/// <summary>
/// Gives back the stock held for the order (the given reservation, or whatever is held). Its Durable name is still
/// <see cref="Name"/>, the class's name before it was renamed (it shared it with the port's request,
/// <see cref="ReleaseStock"/>): histories of instances in flight schedule "ReleaseStock", and a replay must too.
/// </summary>
[DurableTask(Name)]
public sealed class ReleaseStockStep(IInventoryPort inventory) : TaskActivity<GatewayRequest, bool>
{
    /// <summary>The activity's name in Durable's history and the function app (never change it: decision 0025).</summary>
    public const string Name = "ReleaseStock";

    public override async Task<bool> RunAsync(TaskActivityContext context, GatewayRequest input)
    {
        await inventory.ReleaseAsync(new ReleaseStock(OrderId.From(input.OrderId), input.Reference,
            input.Reason ?? "released", input.IdempotencyKey)).ConfigureAwait(false);
        return true;
    }
}

/// <summary>
/// Asks the promotions domain to redeem the codes the order was priced with (all or none); false, nothing sent, when
/// the order was cancelled.
/// </summary>
public sealed class RedeemPromotionsStep(IOrderStore store, IPromotionsPort promotions) : TaskActivity<GatewayRequest, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, GatewayRequest input)
    {
        var order = await GatewayLoad.OrderAsync(store, input).ConfigureAwait(false);
        if (GatewayLoad.Cancelled(order)) return false;
        await promotions.RedeemAsync(new RedeemPromotions(order.OrderId, order.BuyerId,
            [.. order.Pricing.Promotions.Select(p => new PromotionUse(p.Code, p.Amount))], input.IdempotencyKey)).ConfigureAwait(false);
        return true;
    }
}

/// <summary>Gives the order's codes back: the given redemption, or (no reference) whatever a late answer redeemed.</summary>
public sealed class ReleasePromotionsStep(IOrderStore store, IPromotionsPort promotions) : TaskActivity<GatewayRequest, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, GatewayRequest input)
    {
        var order = await GatewayLoad.OrderAsync(store, input).ConfigureAwait(false);
        await promotions.ReleaseAsync(new ReleasePromotions(order.OrderId, input.Reference, [.. order.Pricing.Promotions.Select(p => p.Code)],
            input.Reason ?? "released", input.IdempotencyKey)).ConfigureAwait(false);
        return true;
    }
}

/// <summary>Asks the payments domain to authorise (and capture) the order's total; false, nothing sent, when the order was cancelled.</summary>
public sealed class InitiatePaymentStep(IOrderStore store, IPaymentsPort payments) : TaskActivity<GatewayRequest, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, GatewayRequest input)
    {
        var order = await GatewayLoad.OrderAsync(store, input).ConfigureAwait(false);
        if (GatewayLoad.Cancelled(order)) return false;
        await payments.InitiateAsync(new InitiatePayment(order.OrderId, order.BuyerId, order.Pricing.Total, input.IdempotencyKey)).ConfigureAwait(false);
        return true;
    }
}

public sealed class VoidPaymentStep(IPaymentsPort payments) : TaskActivity<GatewayRequest, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, GatewayRequest input)
    {
        await payments.VoidAsync(new VoidPayment(OrderId.From(input.OrderId), input.Reference, input.Reason ?? "voided", input.IdempotencyKey)).ConfigureAwait(false);
        return true;
    }
}

public sealed class ReversePaymentStep(IOrderStore store, IPaymentsPort payments) : TaskActivity<GatewayRequest, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, GatewayRequest input)
    {
        var order = await GatewayLoad.OrderAsync(store, input).ConfigureAwait(false);
        var refund = order.Refunds.Single(r => r.RefundId == input.Reference);
        await payments.ReverseAsync(new ReversePayment(order.OrderId, order.Payment!.PaymentId, refund.RefundId, refund.Amount, input.IdempotencyKey)).ConfigureAwait(false);
        return true;
    }
}

public sealed class CreateShipmentStep(IOrderStore store, IShippingPort shipping) : TaskActivity<GatewayRequest, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, GatewayRequest input)
    {
        var order = await GatewayLoad.OrderAsync(store, input).ConfigureAwait(false);
        var cod = order.Type == OrderType.CashOnDelivery;
        await shipping.CreateShipmentAsync(new CreateShipment(order.OrderId, order.ShippingAddress, GatewayLoad.Lines(order.Items), cod,
            cod ? order.Pricing.Total : Money.Zero(order.Pricing.Total.Currency), input.IdempotencyKey)).ConfigureAwait(false);
        return true;
    }
}

/// <summary>
/// Hands the parcel to the carrier (or asks it again for the journey's outcome). Asked with
/// <see cref="GatewayRequest.OnlyIfShipping"/> (fulfillment revision 5), it sends nothing and answers false when the
/// order will not ship any more (<see cref="GatewayLoad.WillNotShip"/>): a parcel once picked up is delivered, and for
/// a cash-on-delivery order the courier collects cash for an order that no longer exists. Earlier revisions do not ask
/// so: they dispatch and stop the parcel when the order refuses the shipment, as they always did.
/// </summary>
public sealed class DispatchShipmentStep(IOrderStore store, IShippingPort shipping) : TaskActivity<GatewayRequest, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, GatewayRequest input)
    {
        var order = await GatewayLoad.OrderAsync(store, input).ConfigureAwait(false);
        if (input.OnlyIfShipping && GatewayLoad.WillNotShip(order)) return false;
        var cod = order.Type == OrderType.CashOnDelivery;
        await shipping.DispatchAsync(new DispatchShipment(order.OrderId, input.Reference!, cod, cod ? order.Pricing.Total : Money.Zero(order.Pricing.Total.Currency), input.IdempotencyKey))
            .ConfigureAwait(false);
        return true;
    }
}

public sealed class CancelShipmentStep(IShippingPort shipping) : TaskActivity<GatewayRequest, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, GatewayRequest input)
    {
        await shipping.CancelShipmentAsync(new CancelShipment(OrderId.From(input.OrderId), input.Reference!, input.Reason ?? "cancelled", input.IdempotencyKey)).ConfigureAwait(false);
        return true;
    }
}

public sealed class StartCheckoutStep(ISagaScheduler scheduler) : TaskActivity<string, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, string input)
    {
        await scheduler.StartCheckoutAsync(OrderId.From(input)).ConfigureAwait(false);
        return true;
    }
}

public sealed class StartFulfillmentStep(ISagaScheduler scheduler) : TaskActivity<string, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, string input)
    {
        await scheduler.StartFulfillmentAsync(OrderId.From(input)).ConfigureAwait(false);
        return true;
    }
}

/// <summary>Tells the buyer. Best effort: a notification failure never fails a saga.</summary>
public sealed class NotifyBuyer(IOrderStore store, INotificationPort notifications, ILogger<NotifyBuyer> logger) : TaskActivity<NotifyRequest, bool>
{
    public override Task<bool> RunAsync(TaskActivityContext context, NotifyRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return BuyerNotices.SendAsync(store, notifications, logger, input.OrderId, new BuyerNotice(input.Template, input.Detail), null);
    }
}

/// <summary>
/// A notice to the buyer, sent by <see cref="NotifyBuyer"/> or by the activity that recorded the fact it tells of (a
/// <see cref="BuyerNotice"/> in its request). Best effort: a notification failure is logged and never fails a saga.
/// </summary>
public static partial class BuyerNotices
{
    /// <summary>Sends <paramref name="notice"/>, if any, when <paramref name="result"/> says the fact was recorded (or already was).</summary>
    public static Task AfterAsync(IOrderStore store, INotificationPort notifications, ILogger logger, string orderId, StepResult result, BuyerNotice? notice)
    {
        ArgumentNullException.ThrowIfNull(result);
        return notice is null || !result.Ok ? Task.CompletedTask : SendAsync(store, notifications, logger, orderId, notice, result.Status);
    }

    /// <summary>
    /// Sends <paramref name="notice"/> with the order's status (<paramref name="status"/> when the caller knows it); the
    /// buyer and status not given are taken from the stored state (a point read), never the order rebuilt from its history.
    /// False when the order is missing or the notification failed.
    /// </summary>
    public static async Task<bool> SendAsync(IOrderStore store, INotificationPort notifications, ILogger logger, string orderId, BuyerNotice notice,
        OrderStatus? status)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(notifications);
        ArgumentNullException.ThrowIfNull(notice);
        try
        {
            var id = OrderId.From(orderId);
            var buyer = notice.BuyerId;
            if (buyer is null || status is null)
            {
                var order = (await store.ReadStateAsync(id).ConfigureAwait(false))?.View;
                if (order is null) return false;
                (buyer, status) = (buyer ?? order.BuyerId.Value, status ?? order.Status);
            }
            await notifications.NotifyAsync(new Notification(id, buyer, notice.Template,
                new Dictionary<string, string> { ["status"] = OrderStatusNames.Of(status.Value), ["detail"] = notice.Detail ?? "" })).ConfigureAwait(false);
            return true;
        }
#pragma warning disable CA1031 // best effort by design: the order's progress must not depend on an e-mail
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogNotifyFailed(logger, orderId, notice.Template, e);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {Template} for order {OrderId} failed")]
    private static partial void LogNotifyFailed(ILogger logger, string orderId, string template, Exception exception);
}

/// <summary>
/// Raises the alarm about an order that is not progressing: a structured "OrderStuck" log (alerts key on it) and a
/// notification to operations. The saga decides whether to wait again or give up; nothing is silently fixed.
/// </summary>
public sealed partial class EscalateStep(INotificationPort notifications, ILogger<EscalateStep> logger) : TaskActivity<EscalateRequest, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, EscalateRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        LogStuck(logger, input.OrderId, input.Saga, input.Problem, input.Attempt);
        await notifications.NotifyAsync(new Notification(OrderId.From(input.OrderId), "operations", "order-escalated",
            new Dictionary<string, string> { ["saga"] = input.Saga, ["problem"] = input.Problem, ["attempt"] = input.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture) })).ConfigureAwait(false);
        return true;
    }

    [LoggerMessage(EventName = "OrderStuck", Level = LogLevel.Error, Message = "OrderStuck: order {OrderId} in {Saga}: {Problem} (escalation {Attempt})")]
    private static partial void LogStuck(ILogger logger, string orderId, string saga, string problem, int attempt);
}

/// <summary>
/// What a request to another domain needs of the order: its stored state, by a point read (one row in SQLite, one
/// document and about one request unit in Cosmos DB), never the order rebuilt from its history. A request changes
/// nothing in the order, so it needs no aggregate; the one load per change is the use case's (issue 14, item 7).
/// </summary>
internal static class GatewayLoad
{
    public static async Task<OrderView> OrderAsync(IOrderStore store, GatewayRequest input) =>
        (await store.ReadStateAsync(OrderId.From(input.OrderId)).ConfigureAwait(false))?.View
        ?? throw new InvalidOperationException($"Order {input.OrderId} vanished while its saga ran.");

    /// <summary>Whether the order was cancelled: the checkout asks nothing more for it.</summary>
    public static bool Cancelled(OrderView order) => order.Status == OrderStatus.Cancelled;

    /// <summary>Whether the order will not ship: cancelled, or refunded or closed before anything shipped.</summary>
    public static bool WillNotShip(OrderView order) =>
        Cancelled(order) || (order.Status is OrderStatus.Refunded or OrderStatus.Closed && order.Shipment is null);

    public static IReadOnlyList<StockLine> Lines(IEnumerable<OrderItem> items) => items.Select(i => new StockLine(i.Sku, i.Quantity, i.SellerId)).ToArray();
}
