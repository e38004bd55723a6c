using Orders.Domain.Common;
using Orders.Domain.Events;
using Orders.Domain.Services;
using Orders.Domain.ValueObjects;

namespace Orders.Domain.OrderAggregate;

/// <summary>
/// The order: a legal, financial and logistical contract. Its state is only ever the result of its history: every
/// change is an event, sealed into a hash-chained <see cref="HistoryEntry"/>, and applied by <see cref="Apply"/>,
/// which is also how an order is rebuilt from storage. Commands return a <see cref="Rejection"/> or null.
/// </summary>
public sealed partial class Order
{
    private readonly List<HistoryEntry> _history = [];
    private readonly List<OrderRefund> _refunds = [];
    private readonly List<SplitChild> _children = [];
    private readonly List<OrderShipment> _lostShipments = [];

    private Order() { }

    public OrderId Id { get; private set; } = null!;

    public BuyerId BuyerId { get; private set; } = null!;

    public OrderType Type { get; private set; }

    public OrderStatus Status { get; private set; }

    public IReadOnlyList<OrderItem> Items { get; private set; } = [];

    public OrderPricing Pricing { get; private set; } = null!;

    public ShippingAddress ShippingAddress { get; private set; } = null!;

    public TimeSpan ReturnWindow { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When an unconfirmed or unpaid order may be cancelled automatically.</summary>
    public DateTimeOffset PaymentDueBy { get; private set; }

    public OrderId? SplitFrom { get; private set; }

    public IReadOnlyList<SplitChild> SplitInto => _children;

    public string? ReservationId { get; private set; }

    public string? PaymentAuthorizationId { get; private set; }

    public OrderPayment? Payment { get; private set; }

    public OrderShipment? Shipment { get; private set; }

    public IReadOnlyList<OrderRefund> Refunds => _refunds;

    /// <summary>Shipments lost in transit and since replaced by <see cref="Shipment"/> (oldest first).</summary>
    public IReadOnlyList<OrderShipment> LostShipments => _lostShipments;

    public IReadOnlyList<HistoryEntry> History => _history;

    /// <summary>The sequence number of the last history entry: the order's version for optimistic concurrency.</summary>
    public long Version => _history.Count;

    /// <summary>The version the order had when it was loaded; entries after it are not yet stored.</summary>
    public long PersistedVersion { get; private set; }

    public IReadOnlyList<HistoryEntry> UncommittedEntries => _history.Skip((int)PersistedVersion).ToArray();

    public Currency Currency => Pricing.Total.Currency;

    public Money Total => Pricing.Total;

    public IReadOnlyCollection<SellerId> Sellers => Items.Select(i => i.SellerId).Distinct().Order().ToArray();

    public Money AmountPaid => Payment?.Amount ?? Money.Zero(Currency);

    public Money AmountRefunded => Money.Sum(_refunds.Where(r => r.IsCompleted).Select(r => r.Amount), Currency);

    public IEnumerable<OrderRefund> PendingRefunds => _refunds.Where(r => !r.IsCompleted);

    /// <summary>What may still be refunded: paid, less refunded, less refunds already requested.</summary>
    public Money RefundableAmount => AmountPaid - Money.Sum(_refunds.Select(r => r.Amount), Currency);

    public DateTimeOffset? DeliveredAt => Shipment?.DeliveredAt;

    public DateTimeOffset ReturnWindowEndsAt => DeliveredAt is { } delivered ? delivered + ReturnWindow : DateTimeOffset.MaxValue;

    public bool IsTerminal => OrderStateMachine.IsTerminal(Status);

    public HistoryVerification VerifyHistory() => OrderHistory.Verify(_history);

    /// <summary>Creates an order; it is CREATED, priced once and for all.</summary>
    public static Result<Order> Create(NewOrder order, CommandContext context) => Create(order, context, splitFrom: null, pricing: null, paymentDueBy: null);

    /// <summary>Rebuilds an order from its stored history, exactly as it was. The chain is not trusted: call <see cref="VerifyHistory"/>.</summary>
    public static Order FromHistory(IEnumerable<HistoryEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var order = new Order();
        foreach (var entry in entries)
        {
            if (order._history.Count == 0 && entry.Event is not OrderCreated)
                throw new DomainException("history.no-creation", "An order's history starts with its creation.");
            order.Apply(entry);
        }
        if (order._history.Count == 0) throw new DomainException("history.empty", "An order's history is never empty.");
        order.PersistedVersion = order.Version;
        return order;
    }

    /// <summary>The stored version now includes every entry (after a successful save).</summary>
    public void MarkPersisted() => PersistedVersion = Version;

    private static Result<Order> Create(NewOrder order, CommandContext context, OrderId? splitFrom, OrderPricing? pricing,
        DateTimeOffset? paymentDueBy)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(context);
        if (pricing is null && OrderValidationService.Validate(order) is { } invalid) return invalid;
        pricing ??= OrderPricingService.Price(order.Items, order.Promotions, order.ShippingFee);

        var created = new OrderCreated(order.OrderId, order.BuyerId, order.Type, order.Items, pricing, order.ShippingAddress,
            order.ReturnWindow, paymentDueBy ?? context.At + order.PaymentWindow, splitFrom);
        var result = new Order();
        result.Record(created, null, OrderStatus.Created, splitFrom is null ? "order created" : $"created by splitting {splitFrom}", context);
        return Result<Order>.Ok(result);
    }

    private void Record(OrderEvent @event, OrderStatus? from, OrderStatus to, string reason, CommandContext context)
    {
        if (from is { } f && f != to && !OrderStateMachine.IsAllowed(f, to))
            throw new InvalidOperationException($"Bug: {f} -> {to} is not in the state machine.");
        if (context.ImportedFrom is { } origin) reason = origin.Describe(reason);
        var previous = _history.Count == 0 ? HistoryEntry.Genesis : _history[^1].Hash;
        // An entry's time is when the order recorded it, and never before the entry it follows: a command whose clock
        // is behind (another host's, an orchestration's replayed time) is recorded at the previous entry's time.
        if (_history.Count > 0 && context.At < _history[^1].At) context = new CommandContext(context.Actor, _history[^1].At, context.CausationId);
        Apply(HistoryEntry.Seal(_history.Count + 1, from, to, context, reason, @event, previous));
    }

    private void Transition(OrderEvent @event, OrderStatus to, string reason, CommandContext context) =>
        Record(@event, Status, to, reason, context);

    private void Note(OrderEvent @event, string reason, CommandContext context) => Record(@event, Status, Status, reason, context);

    /// <summary>The only place state changes: by a new entry, or by a stored one during rehydration.</summary>
    private void Apply(HistoryEntry entry)
    {
        var at = entry.At;
        switch (entry.Event)
        {
            case OrderCreated e:
                (Id, BuyerId, Type, Items, Pricing, ShippingAddress, ReturnWindow, CreatedAt, PaymentDueBy, SplitFrom) =
                    (e.OrderId, e.BuyerId, e.OrderType, e.Items, e.Pricing, e.ShippingAddress, e.ReturnWindow, at, e.PaymentDueBy, e.SplitFrom);
                break;
            case OrderConfirmed e:
                (ReservationId, PaymentAuthorizationId) = (e.ReservationId, e.PaymentAuthorizationId);
                break;
            case OrderPaid e:
                Payment = new OrderPayment(e.PaymentId, e.Amount, CollectedOnDelivery: false, at);
                break;
            case CashOnDeliveryCollected e:
                Payment = new OrderPayment(e.PaymentId, e.Amount, CollectedOnDelivery: true, at);
                break;
            case OrderShipped e:
                if (e.Replaces is not null && Shipment is not null) _lostShipments.Add(Shipment);
                Shipment = new OrderShipment(e.ShipmentId, e.Carrier, e.TrackingNumber, at, null);
                break;
            case OrderDelivered:
                Shipment = Shipment! with { DeliveredAt = at };
                break;
            case RefundRequested e:
                if (e.LostShipmentId is not null)
                    Shipment = Shipment! with { LostAt = at, LostResolution = OrderShipment.ResolvedByRefund };
                if (e.CapturedPaymentId is not null) Payment = new OrderPayment(e.CapturedPaymentId, e.Amount, CollectedOnDelivery: false, at);
                _refunds.Add(new OrderRefund(e.RefundId, e.Amount, e.Reason, at, null));
                break;
            case OrderRefunded e:
                var index = _refunds.FindIndex(r => r.RefundId == e.RefundId);
                _refunds[index] = _refunds[index] with { CompletedAt = at };
                break;
            case OrderSplit e:
                _children.AddRange(e.Children);
                break;
            case ShippingAddressChanged e:
                ShippingAddress = e.ShippingAddress;
                break;
            case OperatorResolution { Action: OperatorResolution.Actions.ReplaceLostParcel }:
                Shipment = Shipment! with { LostAt = at, LostResolution = OrderShipment.ResolvedByReplacement };
                break;
            case OrderCancelled or OrderClosed or OperatorResolution:
                break;
            default:
                throw new DomainException("history.unknown-event", $"Unknown event {entry.Event.GetType().Name}.");
        }
        Status = entry.To;
        _history.Add(entry);
    }
}
