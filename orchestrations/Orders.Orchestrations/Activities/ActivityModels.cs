using System.Text.Json.Serialization;
using Orders.Application.Views;
using Orders.Domain.Common;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;

namespace Orders.Orchestrations.Activities;

/// <summary>
/// What a saga needs to know about an order to decide its next step. It crosses Durable's history (the result of
/// <see cref="LoadOrderFacts"/>), so its JSON must stay readable by instances in flight: properties are never renamed
/// or removed, only added with a default; the status is written as it always was (<see cref="SagaOrderStatusConverter"/>).
/// </summary>
public sealed record OrderFacts(
    string OrderId,
    [property: JsonConverter(typeof(SagaOrderStatusConverter))] OrderStatus Status,
    bool CashOnDelivery,
    DateTimeOffset PaymentDueBy,
    string? ReservationId,
    string? AuthorizationId,
    string? ShipmentId,
    bool RefundRequested,
    bool RefundCompleted,
    bool HasPromotions,
    int SellerCount = 1,
    bool Paid = false,
    IReadOnlyList<string>? ChildOrderIds = null,
    bool ReplacementPending = false,
    int ShipmentAttempt = 0,
    string? BuyerId = null,
    bool StockRequested = false)
{
    /// <summary>
    /// The facts of <paramref name="order"/>, loaded: those of its state (<see cref="OfState"/>, one mapping for both)
    /// with the reservation and authorization ids only the history holds; <paramref name="refundId"/>: the refund a
    /// refund saga runs for.
    /// </summary>
    public static OrderFacts Of(Order order, string? refundId = null)
    {
        ArgumentNullException.ThrowIfNull(order);
        var refund = refundId is null ? null : order.Refunds.FirstOrDefault(r => r.RefundId == refundId);
        return OfState(OrderView.From(order, withHistory: false)) with
        {
            ReservationId = order.ReservationId,
            AuthorizationId = order.PaymentAuthorizationId,
            RefundRequested = refund is not null,
            RefundCompleted = refund?.IsCompleted == true,
        };
    }

    /// <summary>
    /// The facts of an order's stored state (<see cref="Application.Ports.Outbound.IOrderStore.ReadStateAsync"/>, the
    /// document its last save wrote beside the history: a point read, no history to load and verify). The state
    /// document does not hold the reservation and authorization ids, so <see cref="ReservationId"/> and
    /// <see cref="AuthorizationId"/> are null here: the checkout and fulfillment sagas, which read their facts so, do
    /// not use them; the refund saga, which releases the reservation, has its facts loaded (<see cref="Of(Order, string?)"/>).
    /// </summary>
    public static OrderFacts OfState(OrderView state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new OrderFacts(state.OrderId.Value, state.Status, state.Type == OrderType.CashOnDelivery, state.PaymentDueBy,
            ReservationId: null, AuthorizationId: null, state.Shipment?.ShipmentId, RefundRequested: false, RefundCompleted: false,
            state.Pricing.Promotions.Count > 0, state.Sellers.Count, state.Payment is not null,
            // A document saved before split children and lost parcels were part of the state has neither list: none.
            [.. (state.SplitInto ?? []).Select(c => c.OrderId.Value)],
            ReplacementPending: state.Shipment?.AwaitsReplacement == true,
            ShipmentAttempt: (state.LostShipments?.Count ?? 0) + (state.Shipment?.AwaitsReplacement == true ? 1 : 0),
            BuyerId: state.BuyerId.Value);
    }

    /// <summary>
    /// Whether a checkout that loads these facts asks for the stock next: a created order of one seller (a split
    /// order, one already past its checkout or a cart of several sellers takes another path). The one rule
    /// <see cref="BeginCheckoutStep"/> acts on and the saga follows (revision 3).
    /// </summary>
    [JsonIgnore]
    public bool ReservesStockNext => Status == OrderStatus.Created && SellerCount <= 1;
}

/// <summary>The children a split produced (empty when refused: see <see cref="RejectionCode"/>).</summary>
public sealed record SplitResult(IReadOnlyList<string> ChildOrderIds, string? RejectionCode = null);

public sealed record LoadOrderRequest(string OrderId, string? RefundId = null);

/// <summary>A checkout's first step (revision 3): the order's facts, and the stock asked for with this key when it is next.</summary>
public sealed record BeginCheckoutRequest(string OrderId, string ReserveStockKey);

/// <summary>
/// A notice to the buyer sent by the activity that records the fact it tells of (saga revisions of decision 0031),
/// instead of a <see cref="NotifyBuyer"/> activity of its own. Best effort, like that activity; sent only when the fact
/// was recorded. <see cref="BuyerId"/>, when known from the saga's facts, saves a read of the order.
/// </summary>
public sealed record BuyerNotice(string Template, string? Detail = null, string? BuyerId = null);

/// <summary>
/// The outcome of a command an activity applied: done (or an exact replay) with the order's status after it, or
/// refused with a code. Crosses Durable's history like <see cref="OrderFacts"/>, under the same rules.
/// <see cref="Unchanged"/>: done, but the order already said so and nothing was recorded (a cancellation of an order
/// its buyer or the auto-cancel job had cancelled; the saga's own step re-run after a crash); written only when true.
/// </summary>
public sealed record StepResult(bool Ok, [property: JsonConverter(typeof(SagaOrderStatusConverter))] OrderStatus? Status,
    string? RejectionCode = null, string? Message = null)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Unchanged { get; init; }

    public static StepResult From<T>(Result<T> result, Func<T, OrderStatus> status) =>
        result.IsSuccess ? new(true, status(result.Value!)) : new(false, null, result.Rejection!.Code, result.Rejection.Message);
}

/// <summary>
/// A request to another domain, with its idempotency key (instance id and step). <see cref="OnlyIfShipping"/>: send
/// it only while the order is to ship (a dispatch from fulfillment revision 5); absent from older histories: false.
/// </summary>
public sealed record GatewayRequest(string OrderId, string IdempotencyKey, string? Reference = null, string? Reason = null)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool OnlyIfShipping { get; init; }
}

/// <summary>What every request to a <see cref="RecordingStep{TRequest}"/> carries: the order, the saga's causation id, and the buyer's notice if any.</summary>
public interface IRecordingRequest
{
    string OrderId { get; }

    string CausationId { get; }

    BuyerNotice? Notify { get; }
}

public sealed record ConfirmRequest(string OrderId, string ReservationId, string? AuthorizationId, string CausationId, BuyerNotice? Notify = null) : IRecordingRequest;

public sealed record CancelRequest(string OrderId, string Reason, string CausationId, BuyerNotice? Notify = null) : IRecordingRequest;

public sealed record ShipRequest(string OrderId, string ShipmentId, string Carrier, string TrackingNumber, string CausationId, BuyerNotice? Notify = null) : IRecordingRequest;

public sealed record DeliverRequest(string OrderId, string ShipmentId, string CausationId, BuyerNotice? Notify = null) : IRecordingRequest;

public sealed record RefundStepRequest(string OrderId, string RefundId, string CausationId, BuyerNotice? Notify = null) : IRecordingRequest;

public sealed record CloseRequest(string OrderId, string CausationId);

public sealed record SplitRequest(string OrderId, string CausationId);

public sealed record NotifyRequest(string OrderId, string Template, string? Detail = null);

public sealed record EscalateRequest(string OrderId, string Saga, string Problem, int Attempt);
