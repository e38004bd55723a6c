using System.Text.Json.Serialization;
using Microsoft.DurableTask;
using Orders.Domain.Common;

namespace Orders.Orchestrations;

/// <summary>
/// Deadlines and retries of the sagas. Passed in each saga's input (never read from configuration inside an
/// orchestrator, which must replay identically), so a running saga keeps the terms it started with.
/// </summary>
public sealed record SagaOptions
{
    public TimeSpan InventoryTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan PaymentTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How long checkout waits for the promotions domain to redeem the order's codes.</summary>
    public TimeSpan PromotionsTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan ShipmentTimeout { get; init; } = TimeSpan.FromHours(24);

    public TimeSpan DeliveryTimeout { get; init; } = TimeSpan.FromDays(10);

    public TimeSpan ReversalTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How often a fulfillment holding a parcel (the order refused to ship it while a refund was pending, revision 3)
    /// looks at the order again without being told the refund settled: the signal from the reaction to order.refunded
    /// normally wakes it at once; this re-check is for a signal that never came. Zero (the local host accepts it for
    /// every duration) would make the hold spin through its looks at once, so the saga uses 15 minutes instead.
    /// </summary>
    public TimeSpan RefundHoldRecheck { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How many times a missing answer is escalated (each followed by another wait) before the saga gives up.</summary>
    public int MaxEscalations { get; init; } = 3;

    public int MaxAttempts { get; init; } = 5;

    /// <summary>
    /// How long a saga waits for an answer before it sends its (idempotent) request again; doubled after each re-send.
    /// An answer can be lost with the process that was to deliver it (a crash of the orders service, a simulator or
    /// consumer that died): the request, sent again with the same idempotency key, is acted on once and answered again.
    /// Chosen against the host's recovery time (a SIGKILLed Functions host is serving again, its Durable partitions
    /// re-leased, within about a minute here), so that a crash costs one or two re-sends, never the order.
    /// </summary>
    public TimeSpan ResendAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many times a request is sent again while the saga waits for its answer (bounded).</summary>
    public int MaxResends { get; init; } = 4;

    public TimeSpan FirstRetryInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Transient faults (I/O, timeouts) are retried with exponential back-off; a <see cref="DomainException"/> is a
    /// bug or bad data and is not. Expected refusals are not exceptions at all: activities return them as values.
    /// </summary>
    public TaskOptions Retry() => TaskOptions.FromRetryPolicy(new RetryPolicy(MaxAttempts, FirstRetryInterval, 2.0, TimeSpan.FromMinutes(5))
    {
        HandleFailure = failure => !failure.IsCausedBy<DomainException>() && !failure.IsCausedBy<ArgumentException>(),
    });
}

/// <summary>What a saga reports while it runs (its custom status): the step and a word about it.</summary>
public sealed record SagaStatus(string Step, string? Detail = null);

/// <summary>How a saga ended (the instance's output in Durable's history: <c>{"Result":"confirmed","Reason":null}</c>).</summary>
public sealed record SagaOutcome(SagaResult Result, string? Reason = null);

/// <summary>
/// A checkout's input. <see cref="Version"/> is the saga's behaviour revision the instance was started with: a saga
/// started before a step was added (1: no promotions step) replays exactly as it ran, whatever the current code
/// (decisions 0022, 0025). Missing from an old instance's input, it reads as 1.
/// </summary>
public sealed record CheckoutInput(string OrderId, SagaOptions Options, int Version = 1)
{
    /// <summary>
    /// 2: the order's promotion codes are redeemed after the stock is reserved, before the payment. 3: the first step
    /// loads the facts and asks for the stock (one activity, not two); the buyer's notices go with the step that records
    /// the fact; a cash-on-delivery order's fulfillment is started by the reaction table alone (decision 0031).
    /// 4: when the order was cancelled while the checkout waited (its buyer, an operator, the auto-cancel job), the
    /// next ask (codes, payment) is not sent and the checkout gives back what it holds at once, rather than waiting
    /// for the answer to a request nobody sent; a multi-seller order its buyer split while its codes were asked for
    /// has its children cancelled when the codes are refused (decision 0041).
    /// </summary>
    public const int Current = 4;

    public bool RedeemsPromotions => Version >= 2;

    /// <summary>Revision 3's fewer steps (see <see cref="Current"/>).</summary>
    [JsonIgnore]
    public bool CombinesSteps => Version >= 3;

    /// <summary>Revision 4's stop on a cancellation made while it waited (see <see cref="Current"/>).</summary>
    [JsonIgnore]
    public bool StopsWhenCancelled => Version >= 4;

    /// <summary>Revision 4's cancellation of the children of a split made while the codes were asked for (see <see cref="Current"/>).</summary>
    [JsonIgnore]
    public bool CancelsChildrenOfALateSplit => Version >= 4;
}

/// <summary>
/// A fulfillment's input. <see cref="Version"/>: the behaviour revision it was started with (decision 0025); inputs
/// written before it existed read as 1, today's behaviour.
/// </summary>
public sealed record FulfillmentInput(string OrderId, SagaOptions Options, int Version = 1)
{
    /// <summary>
    /// 1: create the shipment, dispatch it, await the delivery (escalating missing answers). 2: the buyer's notices go
    /// with the step that records the shipment or the delivery, not in activities of their own (decision 0031).
    /// 3: a parcel the order refuses to ship because a refund is pending is held until the refund settles, then
    /// shipped (a partial refund) or cancelled (the order was refunded), instead of being cancelled at once and the
    /// saga ended with the order still paid and nothing to ship it (decision 0035).
    /// 4: a parcel the order refuses as not shippable (it will not ship: refunded in full or closed since, or a
    /// cash-on-delivery order cancelled) is cancelled without flagging the order for a person, held first or not.
    /// Revision 3 spared only a held parcel, so a full refund that settled while the parcel was prepared flagged the
    /// order (decision 0038).
    /// 5: a parcel is not handed to the carrier for an order that will not ship any more (a cash-on-delivery order
    /// cancelled while its parcel was prepared): it is cancelled instead, quietly (decision 0041). Answers are matched
    /// to the parcel they are about: a late or repeated answer about a lost parcel (its creation, its pick-up, its
    /// outcome) is ignored while its replacement is prepared or travels, rather than taken as the replacement's.
    /// </summary>
    public const int Current = 5;

    /// <summary>Revision 2's notices (see <see cref="Current"/>).</summary>
    [JsonIgnore]
    public bool CombinesSteps => Version >= 2;

    /// <summary>Revision 3's hold of a parcel while a refund is pending (see <see cref="Current"/>).</summary>
    [JsonIgnore]
    public bool HoldsForRefunds => Version >= 3;

    /// <summary>Revision 4's quiet cancellation of a parcel for an order that will not ship (see <see cref="Current"/>).</summary>
    [JsonIgnore]
    public bool StopsUnshippableParcelsQuietly => Version >= 4;

    /// <summary>Revision 5's parcel cancelled rather than dispatched for an order that will not ship (see <see cref="Current"/>).</summary>
    [JsonIgnore]
    public bool StopsParcelsBeforeDispatch => Version >= 5;

    /// <summary>Revision 5's answers matched to the parcel they are about (see <see cref="Current"/>).</summary>
    [JsonIgnore]
    public bool MatchesShipmentIds => Version >= 5;
}

/// <summary>
/// A refund's input. <see cref="Version"/>: the behaviour revision it was started with (decision 0025); inputs written
/// before it existed read as 1, today's behaviour.
/// </summary>
public sealed record RefundInput(string OrderId, string RefundId, SagaOptions Options, int Version = 1)
{
    /// <summary>
    /// 1: reverse the payment, record the refund, and for a full one release unshipped stock and close. 2: the buyer's
    /// notice goes with the step that records the refund, not in an activity of its own (decision 0031).
    /// </summary>
    public const int Current = 2;

    /// <summary>Revision 2's notice (see <see cref="Current"/>).</summary>
    [JsonIgnore]
    public bool CombinesSteps => Version >= 2;
}
