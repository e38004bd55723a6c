using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Orders.Application.Integration;
using Orders.Application.Ports.Outbound;
using Orders.Application.Telemetry;
using Orders.Contracts.Integration;
using Orders.Domain.ValueObjects;
using static Orders.Infrastructure.Simulators.SimulatedFailure;

namespace Orders.Infrastructure.Simulators;

/// <summary>
/// In-process stand-ins for the payments, inventory, shipping and promotions domains (and notifications). They act once per
/// idempotency key (<see cref="SimulatorLedger"/>), answer through the same <see cref="IntegrationEventHandler"/> a
/// real Service Bus message would reach, after <see cref="SimulatorKnobs.AnswerDelay"/>, and fail on request.
/// A retried request is answered again with the same event id, exactly as a real domain redelivering would.
/// <para>
/// How an answer is delivered is the host's choice: straight into the handler (the local host, the saga test
/// harnesses), or through a function invocation of the Functions app (<c>deliver</c>), as a Service Bus message would.
/// </para>
/// </summary>
public sealed partial class SimulatedDomains(
    Func<InboundEvent, Task<InboundResult>> deliver,
    SimulatorKnobs knobs,
    SimulatorLedger ledger,
    TimeProvider clock,
    ILogger<SimulatedDomains> logger) : IInventoryPort, IPaymentsPort, IShippingPort, IPromotionsPort, INotificationPort
{
    public SimulatedDomains(Func<IntegrationEventHandler> handler, SimulatorKnobs knobs, SimulatorLedger ledger, TimeProvider clock, ILogger<SimulatedDomains> logger)
        : this(inbound => (handler ?? throw new ArgumentNullException(nameof(handler)))().HandleAsync(inbound), knobs, ledger, clock, logger)
    {
    }

    private readonly HashSet<Task> _pending = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _lostParcels = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<Notification> _notifications = new();

    public IReadOnlyCollection<Notification> Notifications => _notifications;

    // ---- inventory ----
    public Task ReserveAsync(ReserveStock request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        knobs.RememberSkus(request.OrderId, request.Lines.Select(l => l.Sku));
        if (knobs.Fails(request.OrderId, SilentInventory)) return Task.CompletedTask;
        if (knobs.Fails(request.OrderId, OutOfStock))
            return Answer(request.OrderId, request.IdempotencyKey, InboundEventTypes.StockReservationFailed, new StockReservationFailed(request.OrderId.Value, "out of stock"));
        var reservation = "res-" + Short(request.IdempotencyKey);
        ledger.TryRecord(request.IdempotencyKey, new LedgerEntry(request.OrderId.Value, "reservation", reservation, request.Lines.Sum(l => l.Quantity)));
        return Answer(request.OrderId, request.IdempotencyKey, InboundEventTypes.StockReserved, new StockReserved(request.OrderId.Value, reservation));
    }

    public Task ReleaseAsync(ReleaseStock request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ledger.TryRecord(request.IdempotencyKey, new LedgerEntry(request.OrderId.Value, "release", request.ReservationId ?? "(any)", 0));
        return Answer(request.OrderId, request.IdempotencyKey, InboundEventTypes.StockReleased, new StockReleased(request.OrderId.Value, request.ReservationId ?? "(any)"));
    }

    // ---- payments ----
    public async Task InitiateAsync(InitiatePayment request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (knobs.Fails(request.OrderId, SilentPayment)) return;
        if (knobs.Fails(request.OrderId, DeclineCard))
        {
            await Answer(request.OrderId, request.IdempotencyKey, InboundEventTypes.PaymentDeclined, new PaymentDeclined(request.OrderId.Value, "card declined")).ConfigureAwait(false);
            return;
        }
        var authorization = "auth-" + Short(request.IdempotencyKey);
        var amount = new MoneyAmount(request.Amount.Minor, request.Amount.Currency.Code);
        ledger.TryRecord(request.IdempotencyKey, new LedgerEntry(request.OrderId.Value, "authorization", authorization, request.Amount.Minor));
        await Answer(request.OrderId, request.IdempotencyKey, InboundEventTypes.PaymentAuthorized, new PaymentAuthorized(request.OrderId.Value, authorization, amount)).ConfigureAwait(false);
        if (knobs.Fails(request.OrderId, NoCapture)) return;
        // The payments domain captures an authorised payment once the order is confirmed; here, right after.
        var captureKey = request.IdempotencyKey + ":capture";
        var payment = "pay-" + Short(captureKey);
        ledger.TryRecord(captureKey, new LedgerEntry(request.OrderId.Value, "capture", payment, request.Amount.Minor));
        await Answer(request.OrderId, captureKey, InboundEventTypes.PaymentCaptured, new PaymentCaptured(request.OrderId.Value, payment, amount), extraDelay: true).ConfigureAwait(false);
    }

    public Task VoidAsync(VoidPayment request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ledger.TryRecord(request.IdempotencyKey, new LedgerEntry(request.OrderId.Value, "void", request.AuthorizationId ?? "(any)", 0));
        return Answer(request.OrderId, request.IdempotencyKey, InboundEventTypes.PaymentVoided, new PaymentVoided(request.OrderId.Value, request.AuthorizationId ?? "(any)"));
    }

    public Task ReverseAsync(ReversePayment request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (knobs.Fails(request.OrderId, SilentRefund)) return Task.CompletedTask;
        if (knobs.Fails(request.OrderId, FailRefund))
            return Answer(request.OrderId, request.IdempotencyKey, InboundEventTypes.RefundFailed, new RefundFailed(request.OrderId.Value, request.RefundId, "the card issuer refused the reversal"));
        ledger.TryRecord(request.IdempotencyKey, new LedgerEntry(request.OrderId.Value, "reversal", request.RefundId, request.Amount.Minor));
        return Answer(request.OrderId, request.IdempotencyKey, InboundEventTypes.PaymentReversed,
            new PaymentReversed(request.OrderId.Value, request.RefundId, request.PaymentId, new MoneyAmount(request.Amount.Minor, request.Amount.Currency.Code)));
    }

    // ---- shipping ----
    public Task CreateShipmentAsync(CreateShipment request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        knobs.RememberSkus(request.OrderId, request.Lines.Select(l => l.Sku));
        if (knobs.Fails(request.OrderId, SilentShipmentCreation)) return Task.CompletedTask;
        var shipment = "shp-" + Short(request.IdempotencyKey);
        ledger.TryRecord(request.IdempotencyKey, new LedgerEntry(request.OrderId.Value, request.CashOnDelivery ? "parcel-cod" : "parcel", shipment, request.CollectAmount.Minor, request.CollectAmount.Currency.Code));
        return Answer(request.OrderId, request.IdempotencyKey, InboundEventTypes.ShipmentCreated,
            new ShipmentCreated(request.OrderId.Value, shipment, "SIMCARRIER", "TRK" + Short(shipment)[..10].ToUpperInvariant()));
    }

    public async Task DispatchAsync(DispatchShipment request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (knobs.Fails(request.OrderId, SilentDispatch)) return;
        await Answer(request.OrderId, request.IdempotencyKey, InboundEventTypes.ShipmentDispatched, new ShipmentDispatched(request.OrderId.Value, request.ShipmentId)).ConfigureAwait(false);
        if (knobs.Fails(request.OrderId, SilentDelivery)) return;
        var outcomeKey = request.IdempotencyKey + ":outcome";
        // A lost parcel is the order's first: a replacement (another shipment) arrives.
        if (knobs.Fails(request.OrderId, LoseParcel) && _lostParcels.GetOrAdd(request.OrderId.Value, request.ShipmentId) == request.ShipmentId)
        {
            await Answer(request.OrderId, outcomeKey, InboundEventTypes.ShipmentLost, new ShipmentLost(request.OrderId.Value, request.ShipmentId, "lost in transit"), extraDelay: true).ConfigureAwait(false);
            return;
        }
        await Answer(request.OrderId, outcomeKey, InboundEventTypes.ShipmentDelivered, new ShipmentDelivered(request.OrderId.Value, request.ShipmentId), extraDelay: true).ConfigureAwait(false);
        if (request.CashOnDelivery)
        {
            var cashKey = request.IdempotencyKey + ":cash";
            var cash = "cash-" + Short(cashKey);
            ledger.TryRecord(cashKey, new LedgerEntry(request.OrderId.Value, "cash", cash, request.CollectAmount.Minor, request.CollectAmount.Currency.Code));
            await Answer(request.OrderId, cashKey, InboundEventTypes.CashCollected,
                new CashCollected(request.OrderId.Value, request.ShipmentId, cash, new MoneyAmount(request.CollectAmount.Minor, request.CollectAmount.Currency.Code)),
                extraDelay: true).ConfigureAwait(false);
        }
    }

    public Task CancelShipmentAsync(CancelShipment request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ledger.TryRecord(request.IdempotencyKey, new LedgerEntry(request.OrderId.Value, "parcel-cancelled", request.ShipmentId, 0));
        return Task.CompletedTask;
    }

    // ---- promotions ----
    public Task RedeemAsync(RedeemPromotions request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (knobs.Fails(request.OrderId, SilentPromotions)) return Task.CompletedTask;
        var codes = request.Promotions.Select(p => p.Code).ToArray();
        var refused = codes.Where(c => c.StartsWith(RefusedCodeMarker, StringComparison.Ordinal)).ToArray();
        if (knobs.Fails(request.OrderId, RefusePromotion) || refused.Length > 0)
            return Answer(request.OrderId, request.IdempotencyKey, InboundEventTypes.PromotionRedemptionRefused,
                new PromotionRedemptionRefused(request.OrderId.Value, "code no longer valid", refused.Length > 0 ? refused : codes));
        var redemption = "red-" + Short(request.IdempotencyKey);
        ledger.TryRecord(request.IdempotencyKey, new LedgerEntry(request.OrderId.Value, "redemption", redemption,
            request.Promotions.Sum(p => p.Amount.Minor), request.Promotions.FirstOrDefault()?.Amount.Currency.Code));
        return Answer(request.OrderId, request.IdempotencyKey, InboundEventTypes.PromotionsRedeemed, new PromotionsRedeemed(request.OrderId.Value, redemption, codes));
    }

    public Task ReleaseAsync(ReleasePromotions request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var redemption = request.RedemptionId ?? "(any)";
        ledger.TryRecord(request.IdempotencyKey, new LedgerEntry(request.OrderId.Value, "promotions-release", redemption, 0));
        return Answer(request.OrderId, request.IdempotencyKey, InboundEventTypes.PromotionsReleased, new PromotionsReleased(request.OrderId.Value, redemption));
    }

    /// <summary>A promotion code starting with this is refused by the simulated promotions domain.</summary>
    public const string RefusedCodeMarker = "sim-refuse-promotion";

    // ---- notifications ----
    public Task NotifyAsync(Notification notification, CancellationToken cancellationToken = default)
    {
        _notifications.Enqueue(notification);
        // The most recent ones only: a long-running local host must not keep every message it ever sent.
        while (_notifications.Count > MaxNotificationsKept && _notifications.TryDequeue(out _)) { }
        return Task.CompletedTask;
    }

    /// <summary>Waits for every answer still on its way (tests call it before asserting on the ledger).</summary>
    public async Task DrainAsync()
    {
        Task[] pending;
        lock (_lock) pending = [.. _pending];
        await Task.WhenAll(pending).ConfigureAwait(false);
    }

    private Task Answer(OrderId orderId, string idempotencyKey, string type, object data, bool extraDelay = false)
    {
        // The event id is derived from the request's key: the same request answered twice is the same event.
        var eventId = $"sim-{Short(idempotencyKey + "|" + type)}";
        // The simulated domain continues the order's trace as a real one continues the request's traceparent: its
        // answer carries the context of a span of its own, under the request that caused it.
        string traceParent;
        using (var activity = OrderTrace.Start($"simulated {type}", orderId, System.Diagnostics.ActivityKind.Producer))
        {
            activity?.SetTag("orders.idempotency_key", idempotencyKey);
            traceParent = OrderTrace.TraceParentFor(orderId);
        }
        // Duplicated answers: two or three copies (by the event id), each sent after its own extra delay, so copies
        // arrive concurrently and shuffled among themselves and among the order's other answers.
        var copies = knobs.Fails(orderId, DuplicateAnswers) ? 2 + (eventId[^1] % 2) : 1;
        var delay = extraDelay ? knobs.AnswerDelay * 2 : knobs.AnswerDelay;
        // With a file ledger the answer is kept until delivered, as a broker keeps a message: if this process dies
        // before it is delivered, another (or the restarted one) sends it after the lock (RedeliverLostAnswersAsync).
        if (ledger.IsPersistent)
            ledger.KeepAnswer(eventId, type, clock.GetUtcNow() + delay,
                JsonSerializer.Serialize(data, data.GetType(), ContractJson.Options), clock.GetUtcNow() + delay + AnswerLock);
        var stamped = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
        var task = Task.WhenAll(Enumerable.Range(0, copies).Select(copy => Task.Run(async () =>
        {
            if (delay > TimeSpan.Zero) await Task.Delay(delay, clock).ConfigureAwait(false);
            stamped.TrySetResult(clock.GetUtcNow()); // stamped when it is first sent, after the delay; copies are the same event
            if (copy > 0) await Task.Delay(TimeSpan.FromMilliseconds(Jitter(eventId, copy)), clock).ConfigureAwait(false);
            var inbound = new InboundEvent(eventId, type, await stamped.Task.ConfigureAwait(false), data, traceParent);
            // Delivered as a broker delivers a message: an answer that comes early is parked by the handler and the
            // message completed, never retried for that (the burst that dropped early captures after 200 retries is
            // why). Only a failed delivery (the handler threw, or the app did not answer) is redelivered, as a broker
            // redelivers an abandoned message: at most MaxDeliveries times, with a growing pause, then it is
            // dead-lettered (logged as an error).
            for (var delivery = 1; ; delivery++)
            {
                try
                {
                    var result = await deliver(inbound).ConfigureAwait(false);
                    LogAnswer(logger, type, orderId.Value, result.Outcome, result.Reason);
                    ledger.SettleAnswer(eventId);
                    return;
                }
#pragma warning disable CA1031 // a simulated domain keeps running whatever the handler does; the log shows it
                catch (Exception e)
#pragma warning restore CA1031
                {
                    if (delivery >= MaxDeliveries)
                    {
                        LogAnswerFailed(logger, type, orderId.Value, e);
                        return;
                    }
                    LogAnswerRedelivered(logger, type, orderId.Value, delivery, e.Message);
                    await Task.Delay(RedeliveryPause(delivery), clock).ConfigureAwait(false);
                }
            }
        })));
        lock (_lock) _pending.Add(task);
        _ = task.ContinueWith(done => { lock (_lock) _pending.Remove(done); }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return Task.CompletedTask;
    }

    /// <summary>How many notifications are kept for <see cref="Notifications"/> (the most recent).</summary>
    public const int MaxNotificationsKept = 10_000;

    /// <summary>How long a kept answer stays with its sender before another may deliver it (a broker's lock duration).</summary>
    public static readonly TimeSpan AnswerLock = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Delivers once more every kept answer whose sender's lock ran out unsettled — the process that was to deliver it
    /// died, or all its deliveries failed — as a broker redelivers an unsettled message. Only with a file ledger.
    /// Returns how many were delivered.
    /// </summary>
    public async Task<int> RedeliverLostAnswersAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var delivered = 0;
        foreach (var (eventId, type, time, dataJson) in ledger.ClaimLostAnswers(now, now + AnswerLock, MaxDeliveries))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var data = InboundEventReader.ReadData(type, dataJson);
            try
            {
                var result = await deliver(new InboundEvent(eventId, type, time, data)).ConfigureAwait(false);
                LogLostAnswerRedelivered(logger, type, eventId, result.Outcome);
                ledger.SettleAnswer(eventId);
                delivered++;
            }
#pragma warning disable CA1031 // not delivered: it stays kept and is claimed again after the lock
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogAnswerRedelivered(logger, type, eventId, 0, e.Message);
            }
        }
        return delivered;
    }

    /// <summary>How many times a failed delivery is attempted before the answer is dead-lettered (Service Bus's default).</summary>
    public const int MaxDeliveries = 10;

    /// <summary>250 ms, doubling, at most 5 s: about 25 s in all, longer than a host takes to restart.</summary>
    private static TimeSpan RedeliveryPause(int delivery) => TimeSpan.FromMilliseconds(Math.Min(5_000, 250 * (1 << Math.Min(delivery - 1, 5))));

    /// <summary>0–300 ms, fixed per (event, copy): reproducible shuffles.</summary>
    private static int Jitter(string eventId, int copy) => SHA256.HashData(Encoding.UTF8.GetBytes($"{eventId}#{copy}"))[0] * 300 / 255;

    private static string Short(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..16];

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulator answered {Type} for {OrderId}: {Outcome} {Reason}")]
    private static partial void LogAnswer(ILogger logger, string type, string orderId, InboundOutcome outcome, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Simulator answer {Type} for {OrderId} not delivered (attempt {Delivery}), redelivering: {Reason}")]
    private static partial void LogAnswerRedelivered(ILogger logger, string type, string orderId, int delivery, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Simulator answer {Type} {EventId}, left undelivered by its sender, delivered again: {Outcome}")]
    private static partial void LogLostAnswerRedelivered(ILogger logger, string type, string eventId, InboundOutcome outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "Simulator answer {Type} for {OrderId} dead-lettered after every delivery failed")]
    private static partial void LogAnswerFailed(ILogger logger, string type, string orderId, Exception exception);
}
