using Microsoft.Extensions.Logging;
using Orders.Application.Integration;
using Orders.Application.Jobs;
using Orders.Application.Ports.Outbound;
using Orders.Application.Telemetry;
using Orders.Application.Views;
using Orders.Domain.Events;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;

namespace Orders.Application.Reactions;

/// <summary>
/// The one place that decides what follows a recorded fact. The change log (the store's ordered record of every
/// fact, the Cosmos DB change feed in Azure) drives it: the change-feed pump (the function app's timer, the local
/// host's loop woken by every commit) reads each new fact and runs the reactions below, so a fact committed just
/// before a crash still gets its reaction afterwards. Commands only record facts; nobody else starts sagas or
/// compensates after a fact.
/// <code>
/// fact (change log)              reaction                         when the order, as it is now,
/// ─────────────────────────────  ───────────────────────────────  ──────────────────────────────────────────────
/// every fact                     relay to the order-events topic  always (OutboxRelay, its own consumer)
/// every fact                     project into the read models     always (OrderProjector, its own consumer)
/// order.created                  start the checkout saga          still waits on its checkout, before its payment
///                                                                 deadline; not a split child (its parent's
///                                                                 checkout starts it, after redeeming the cart's codes)
/// order.confirmed                start the fulfillment saga       cash on delivery (ships unpaid), waits on it; a
///                                                                 prepaid order's starts on order.paid only
/// order.paid                     start the fulfillment saga       waits on it (a refund pending too: the saga holds
///                                                                 the parcel until it settles, decision 0036)
/// order.refund-requested         start that refund's saga         the refund is still pending
/// order.refunded                 start the fulfillment saga       a paid order (partly refunded) that waits on it;
///                                                                 normally its holding saga runs and the start is
///                                                                 refused; it covers a fulfillment never started
/// order.refunded                 tell the fulfillment saga        always (a parcel it holds while the refund was
///                                                                 pending ships, or is cancelled if refunded)
/// order.cancelled                compensate: release stock, void  always (keys shared with the checkout saga's own
///                                the authorisation, release codes compensation, so nothing is given back twice)
/// order.confirmed, .shipped,     apply the answers parked for     always (parked answers wait for these facts)
///   .delivered, .cancelled       the order (signals to its saga)
/// </code>
/// "Waits on" is <see cref="SagaExpectations"/>, the rule detect-stuck and reconcile use too; reconcile restarts a
/// missing saga through <see cref="Restart"/> and <see cref="StartAsync"/>, the same rule and the same start.
/// Every reaction is idempotent (saga instance ids are derived from the order, starts ignore an existing instance,
/// compensations and parked answers carry idempotency keys), so a fact read twice changes nothing more.
/// <para>
/// Not here, on purpose: answers from other domains (stock reserved, payment captured…) are signals to a running saga,
/// not facts in the log, and stay in <see cref="IntegrationEventHandler"/>; a saga's own next step (a split parent
/// starting its children's checkouts) stays in the saga; operator commands that restart a finished saga (retry,
/// replace a lost parcel) restart it themselves. Decision record 0026.
/// </para>
/// </summary>
public sealed partial class OrderReactions(
    IOrderChangeLog changeLog,
    IOrderStore store,
    ISagaScheduler sagas,
    CancellationCompensator compensator,
    IntegrationEventHandler answers,
    TimeProvider time,
    ILogger<OrderReactions> logger)
{
    /// <summary>How many saga starts of one batch are in flight at once.</summary>
    public const int MaxConcurrentStarts = 16;

    /// <summary>The lanes in the order the pump runs them: saga starts first, they move orders on.</summary>
    public static IReadOnlyList<ReactionLane> Lanes { get; } = [ReactionLane.SagaStarts, ReactionLane.Compensation, ReactionLane.ParkedAnswers];

    /// <summary>The change-log consumer (and checkpoint) of a lane.</summary>
    public static string ConsumerOf(ReactionLane lane) => lane switch
    {
        ReactionLane.SagaStarts => "saga-starts",
        ReactionLane.Compensation => "cancellation-compensator",
        ReactionLane.ParkedAnswers => "parked-answers",
        _ => throw new ArgumentOutOfRangeException(nameof(lane), lane, "Not a reaction lane."),
    };

    /// <summary>The table: what a fact calls for, before looking at the order (see <see cref="Applies"/>).</summary>
    public static IReadOnlyList<Reaction> To(OrderEvent fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        var id = fact.OrderId;
        return fact switch
        {
            OrderCreated { SplitFrom: null } => [Checkout(id)],
            OrderCreated => [],
            OrderConfirmed => [Fulfillment(id), new ReplayParkedAnswers(id)],
            OrderPaid => [Fulfillment(id)],
            RefundRequested r => [new StartSaga(id, SagaNames.Refund, SagaNames.RefundId(id, r.RefundId), r.RefundId)],
            OrderRefunded r => [Fulfillment(id), new SignalRefundSettled(id, r.RefundId)],
            OrderCancelled c => [new CompensateCancellation(id, c.Reason), new ReplayParkedAnswers(id)],
            OrderShipped or OrderDelivered => [new ReplayParkedAnswers(id)],
            _ => [],
        };
    }

    /// <summary>
    /// Whether a reaction to <paramref name="fact"/> is still called for by the order as it is now: a saga is started
    /// only while the order waits on it, a checkout not after the payment deadline (auto-cancel ends such an order), a
    /// fulfillment on a confirmation only for cash on delivery (a prepaid order's starts on its payment), on a settled
    /// refund only for a paid order. The rest always apply.
    /// </summary>
    public static bool Applies(Reaction reaction, OrderEvent fact, Order? order, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(reaction);
        ArgumentNullException.ThrowIfNull(fact);
        return reaction switch
        {
            StartSaga start => order is not null && WhyNotStarted(SagaSubject.Of(order), start, fact, now) is null,
            CompensateCancellation => order is not null,
            _ => true,
        };
    }

    /// <summary>
    /// For the repair job: the start of a saga the order waits on that does not exist, by the same rule as
    /// <see cref="Applies"/> (a split child's checkout included: its parent's start was lost). Null with the reason
    /// when it is not to be started.
    /// </summary>
    internal static (StartSaga? Start, string? WhyNot) Restart(Order order, ExpectedSaga missing, DateTimeOffset now)
    {
        var start = new StartSaga(order.Id, missing.Saga, missing.InstanceId, missing.RefundId);
        return WhyNotStarted(SagaSubject.Of(order), start, fact: null, now) is { } why ? (null, why) : (start, null);
    }

    /// <summary>The one mapping from a saga to the port call that starts it (idempotent by instance id).</summary>
    public static Task StartAsync(ISagaScheduler sagas, StartSaga start, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sagas);
        ArgumentNullException.ThrowIfNull(start);
        return start.Saga switch
        {
            SagaNames.Checkout => sagas.StartCheckoutAsync(start.OrderId, cancellationToken),
            SagaNames.Fulfillment => sagas.StartFulfillmentAsync(start.OrderId, cancellationToken),
            SagaNames.Refund => sagas.StartRefundAsync(start.OrderId, start.RefundId ?? throw new ArgumentException("A refund saga names its refund.", nameof(start)),
                cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(start), start.Saga, "Not a saga."),
        };
    }

    /// <summary>
    /// Reads the lane's next batch of facts (at most <paramref name="maxEvents"/>), runs the reactions they call for
    /// (each once per batch; saga starts concurrently, the others in log order), then moves the lane's checkpoint. A failure leaves the checkpoint where it
    /// was: the batch is read again next run, and what already ran is a no-op then. Returns how many facts were read.
    /// </summary>
    public async Task<int> RunOnceAsync(ReactionLane lane, int maxEvents, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEvents);
        var consumer = ConsumerOf(lane);
        var batch = await changeLog.ReadAsync(consumer, maxEvents, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var states = new Dictionary<OrderId, OrderView?>();
        var orders = new Dictionary<OrderId, Order?>();
        var due = new List<(Reaction Reaction, StoredEvent Fact, Order? Order)>();
        var seen = new HashSet<Reaction>();
        foreach (var stored in batch.Events)
        {
            foreach (var reaction in To(stored.Entry.Event))
            {
                if (reaction.Lane != lane || seen.Contains(reaction)) continue;
                // Each order is read once per batch, and only as far as the reaction needs: whether a saga is awaited
                // is a question of the stored state (a point read, no history to rebuild); compensating a cancellation
                // loads the order; replaying parked answers needs neither.
                Order? order = null;
                bool applies;
                switch (reaction)
                {
                    case StartSaga start:
                        if (!states.TryGetValue(stored.OrderId, out var state))
                            states[stored.OrderId] = state = (await store.ReadStateAsync(stored.OrderId, cancellationToken).ConfigureAwait(false))?.View;
                        applies = state is not null && WhyNotStarted(SagaSubject.Of(state), start, stored.Entry.Event, now) is null;
                        break;
                    case CompensateCancellation:
                        if (!orders.TryGetValue(stored.OrderId, out order))
                            orders[stored.OrderId] = order = await store.LoadAsync(stored.OrderId, cancellationToken).ConfigureAwait(false);
                        applies = Applies(reaction, stored.Entry.Event, order, now);
                        break;
                    default:
                        applies = Applies(reaction, stored.Entry.Event, null, now);
                        break;
                }
                if (!applies) continue;
                seen.Add(reaction);
                due.Add((reaction, stored, order));
            }
        }
        if (lane == ReactionLane.SagaStarts)
        {
            // Starts are independent of each other (one instance each): a batch of new orders starts its sagas
            // together, as concurrent HTTP requests used to, instead of one engine round trip after another.
            await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentStarts, CancellationToken = cancellationToken },
                async (d, ct) => await RunAsync(d.Reaction, d.Fact, d.Order, ct).ConfigureAwait(false)).ConfigureAwait(false);
        }
        else
        {
            // In log order: a compensation or a parked answer may depend on what an earlier one did.
            foreach (var (reaction, fact, order) in due) await RunAsync(reaction, fact, order, cancellationToken).ConfigureAwait(false);
        }
        if (batch.Events.Count > 0) await changeLog.CommitAsync(consumer, batch.Checkpoint, cancellationToken).ConfigureAwait(false);
        return batch.Events.Count;
    }

    private async Task RunAsync(Reaction reaction, StoredEvent fact, Order? order, CancellationToken cancellationToken)
    {
        using var activity = OrderTrace.Start($"orders.reaction {NameOf(reaction)}", reaction.OrderId);
        activity?.SetTag("orders.fact", fact.Entry.Event.Type);
        activity?.SetTag("orders.fact_sequence", fact.Sequence);
        switch (reaction)
        {
            case StartSaga start:
                await StartAsync(sagas, start, cancellationToken).ConfigureAwait(false);
                break;
            case CompensateCancellation cancelled:
                await compensator.CompensateAsync(order!, cancelled.Reason, cancellationToken).ConfigureAwait(false);
                break;
            case ReplayParkedAnswers replay:
                await answers.ReplayParkedAsync(replay.OrderId.Value, cancellationToken).ConfigureAwait(false);
                break;
            case SignalRefundSettled settled:
                await answers.TellRefundSettledAsync(settled.OrderId, settled.RefundId, cancellationToken).ConfigureAwait(false);
                break;
        }
        LogReacted(logger, reaction.OrderId.Value, fact.Sequence, fact.Entry.Event.Type, NameOf(reaction));
    }

    /// <param name="fact">The fact the start reacts to; null for a repair, which starts what the order waits on.</param>
    private static string? WhyNotStarted(SagaSubject order, StartSaga start, OrderEvent? fact, DateTimeOffset now)
    {
        // A prepaid order waits on its fulfillment once paid. Its confirmation, read after the payment (the pump behind
        // under load), would find it waiting and start the fulfillment a second time, which the engine only refuses.
        if (fact is OrderConfirmed && start.Saga == SagaNames.Fulfillment && order.Type != OrderType.CashOnDelivery)
            return "a prepaid order's fulfillment starts on its payment (order.paid)";
        // A refund settled lets a paid order ship. Its fulfillment normally holds the parcel meanwhile (decision 0036),
        // so the start is refused; it starts one that never was (a payment read while a refund was pending before 0036).
        // Shipped, its fulfillment is running: a start would only be refused.
        if (fact is OrderRefunded && start.Saga == SagaNames.Fulfillment && order.Status != OrderStatus.Paid)
            return "only a paid order's fulfillment waits for its refunds to settle";
        if (!SagaExpectations.Awaits(order, start.Saga, start.InstanceId)) return $"the order ({OrderStatusNames.Of(order.Status)}) does not wait on {start.InstanceId}";
        if (start.Saga == SagaNames.Checkout && order.PaymentDueBy <= now)
            return $"the payment deadline {order.PaymentDueBy:O} has passed: left to auto-cancel";
        return null;
    }

    private static string NameOf(Reaction reaction) => reaction switch
    {
        StartSaga start => $"start {start.InstanceId}",
        CompensateCancellation => "compensate cancellation",
        ReplayParkedAnswers => "replay parked answers",
        SignalRefundSettled => "tell the fulfillment a refund settled",
        _ => reaction.GetType().Name,
    };

    private static StartSaga Checkout(OrderId id) => new(id, SagaNames.Checkout, SagaNames.CheckoutId(id));

    private static StartSaga Fulfillment(OrderId id) => new(id, SagaNames.Fulfillment, SagaNames.FulfillmentId(id));

    [LoggerMessage(Level = LogLevel.Debug, Message = "order {OrderId} #{Sequence} {Fact}: {Reaction}")]
    private static partial void LogReacted(ILogger logger, string orderId, long sequence, string fact, string reaction);
}
