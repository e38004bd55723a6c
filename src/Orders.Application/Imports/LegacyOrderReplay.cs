using Orders.Contracts.Imports;
using Orders.Contracts.Integration;
using Orders.Contracts.PublicEvents;
using Orders.Domain.Common;
using Orders.Domain.OrderAggregate;
using Orders.Domain.Services;
using Orders.Domain.ValueObjects;
using static Orders.Contracts.Imports.LegacyOrderFormat;

namespace Orders.Application.Imports;

/// <summary>
/// Rebuilds a legacy order by replaying its history through the <see cref="Order"/> aggregate's own commands, each at
/// the time and by the actor the legacy system recorded: the order is created (validated and priced once by the
/// domain), then confirmed, paid, shipped, delivered, refunded, cancelled or closed exactly as a native order would
/// be. Every rule is the domain's; this class only translates the record and checks what the domain cannot know:
/// that the legacy system's own claims (totals, statuses, time order, references) agree with the replay.
/// The result is a new, unsaved order whose entries are all uncommitted and chained from genesis.
/// </summary>
public static class LegacyOrderReplay
{
    /// <summary>An order is saved with all its entries in one transaction (a Cosmos DB batch holds at most 100 operations).</summary>
    public const int MaxFacts = 90;

    public static OrderId OrderIdOf(LegacySourceV1 source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return OrderId.From($"{source.System}-{source.OrderId}");
    }

    public static Result<Order> Replay(LegacyOrderV1 record)
    {
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            return ReplayUnchecked(record);
        }
        catch (DomainException invalid)
        {
            return Refuse(ImportCodes.InvalidValue, $"{invalid.Code}: {invalid.Message}");
        }
    }

    private static Result<Order> ReplayUnchecked(LegacyOrderV1 r)
    {
        var system = r.Source.System;
        var orderId = OrderIdOf(r.Source);
        var currency = Currency.Of(r.ShippingFee.Currency);

        var items = new List<OrderItem>(r.Items.Count);
        foreach (var i in r.Items)
        {
            var item = OrderItem.Snapshot(i.Line, i.Sku, i.ProductId, SellerId.From(i.SellerId), i.Title, MoneyOf(i.UnitPrice), i.Quantity, i.Attributes);
            if (i.SnapshotHash is { } claimed && claimed != item.Hash.ToString())
                return Refuse(ImportCodes.InvalidValue, $"item.snapshot-tampered: line {i.Line}'s snapshotHash is not the hash of its content.");
            items.Add(item);
        }
        var promotions = r.Discounts.Select(d => MoneyOf(d.Amount) is var amount && amount.Currency != currency
                ? throw new CurrencyMismatchException(amount.Currency.Code, currency.Code)
                : new Promotion(d.Code, PromotionKind.AmountOff, amount.Minor, d.SellerId is null ? null : SellerId.From(d.SellerId)))
            .ToArray();
        var type = r.OrderType switch
        {
            "PREPAID" => OrderType.Prepaid,
            "CASH_ON_DELIVERY" => OrderType.CashOnDelivery,
            _ => throw new DomainException("order-type.invalid", $"Unknown order type '{r.OrderType}'."),
        };

        if (r.History.Count > MaxFacts)
            return Refuse(ImportCodes.InvalidRecord, $"The history has {r.History.Count} facts; at most {MaxFacts} are saved in one transaction.");
        if (r.History.Count == 0 || r.History[0].Event != Events.Created || r.History[0].At != r.CreatedAt)
            return Refuse(ImportCodes.HistoryStart, "The history must start with a CREATED fact at the order's createdAt.");

        var payments = r.Payments.ToDictionary(p => p.PaymentId, StringComparer.Ordinal);
        var shipments = r.Shipments.ToDictionary(s => s.ShipmentId, StringComparer.Ordinal);
        var refunds = r.Refunds.ToDictionary(f => f.RefundId, StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);

        var created = Order.Create(
            new NewOrder(orderId, BuyerId.From(r.BuyerId), type, items, promotions, MoneyOf(r.ShippingFee), AddressOf(r.ShippingAddress),
                TimeSpan.FromDays(r.ReturnWindowDays), NewOrder.DefaultPaymentWindow),
            Context(system, r.History[0]));
        if (!created.IsSuccess) return Refuse(created.Rejection!.Code, $"{Where(r.History[0])}: {Describe(created.Rejection)}");
        var order = created.Value!;

        var pricing = order.Pricing;
        if (!SameMoney(r.Totals.Subtotal, pricing.Subtotal) || !SameMoney(r.Totals.Discount, pricing.Discount)
            || !SameMoney(r.Totals.Shipping, pricing.Shipping) || !SameMoney(r.Totals.Total, pricing.Total))
            return Refuse(ImportCodes.TotalsMismatch,
                $"The recorded totals (subtotal {r.Totals.Subtotal.Minor}, discount {r.Totals.Discount.Minor}, shipping {r.Totals.Shipping.Minor}, total {r.Totals.Total.Minor}) " +
                $"are not what the items, discounts and fee add up to (subtotal {pricing.Subtotal}, discount {pricing.Discount}, shipping {pricing.Shipping}, total {pricing.Total}).");
        if (CheckStatus(order, r.History[0]) is { } first) return first;

        for (var index = 1; index < r.History.Count; index++)
        {
            var fact = r.History[index];
            if (fact.At < r.History[index - 1].At)
                return Refuse(ImportCodes.HistoryOutOfOrder, $"{Where(fact)} is earlier than the fact before it ({r.History[index - 1].At:O}).");
            var context = Context(system, fact);
            var version = order.Version;

            Rejection? rejection;
            switch (fact.Event)
            {
                case Events.Confirmed:
                    var card = r.Payments.FirstOrDefault(p => p.Method == Methods.Card);
                    if (card is not null) used.Add("payment:" + card.PaymentId);
                    rejection = order.Confirm(r.ReservationId ?? $"legacy:{system}:{r.Source.OrderId}",
                        type == OrderType.Prepaid ? card?.AuthorizationId : null, context);
                    break;
                case Events.Paid or Events.CashCollected:
                    var method = fact.Event == Events.Paid ? Methods.Card : Methods.CashOnDelivery;
                    if (fact.PaymentId is null || !payments.TryGetValue(fact.PaymentId, out var payment) || payment.Method != method)
                        return Refuse(ImportCodes.UnknownReference, $"{Where(fact)} names no {method} payment listed in payments ('{fact.PaymentId}').");
                    used.Add("payment:" + payment.PaymentId);
                    rejection = fact.Event == Events.Paid
                        ? order.MarkPaid(payment.PaymentId, MoneyOf(payment.Amount), context)
                        : order.RecordCashCollected(payment.PaymentId, MoneyOf(payment.Amount), context);
                    break;
                case Events.Shipped or Events.Delivered:
                    if (fact.ShipmentId is null || !shipments.TryGetValue(fact.ShipmentId, out var shipment))
                        return Refuse(ImportCodes.UnknownReference, $"{Where(fact)} names no shipment listed in shipments ('{fact.ShipmentId}').");
                    used.Add("shipment:" + shipment.ShipmentId);
                    rejection = fact.Event == Events.Shipped
                        ? order.Ship(shipment.ShipmentId, shipment.Carrier, shipment.TrackingNumber, context)
                        : order.Deliver(shipment.ShipmentId, context);
                    break;
                case Events.RefundRequested or Events.Refunded:
                    if (fact.RefundId is null || !refunds.TryGetValue(fact.RefundId, out var refund))
                        return Refuse(ImportCodes.UnknownReference, $"{Where(fact)} names no refund listed in refunds ('{fact.RefundId}').");
                    used.Add("refund:" + refund.RefundId);
                    rejection = fact.Event == Events.RefundRequested
                        ? order.RequestRefund(refund.RefundId, MoneyOf(refund.Amount), refund.Reason, context)
                        : order.RecordRefund(refund.RefundId, context);
                    break;
                case Events.Cancelled:
                    rejection = order.Cancel(fact.Reason ?? "cancelled in the legacy system", context);
                    break;
                case Events.Closed:
                    rejection = order.Close(context);
                    break;
                case Events.AddressChanged when fact.ShippingAddress is { } address:
                    rejection = order.ChangeShippingAddress(AddressOf(address), context);
                    break;
                default:
                    return Refuse(ImportCodes.InvalidRecord, $"{Where(fact)}: a {fact.Event} fact cannot appear here or lacks what it needs.");
            }
            if (rejection is not null) return Refuse(rejection.Code, $"{Where(fact)}: {Describe(rejection)}");
            if (order.Version == version)
                return Refuse(ImportCodes.DuplicateFact, $"{Where(fact)} repeats a fact the order already recorded.");
            if (CheckStatus(order, fact) is { } mismatch) return mismatch;
        }

        if (StatusOf(r.Status) != order.Status)
            return Refuse(ImportCodes.StatusMismatch, $"The order's status is {r.Status} but its history ends at {Name(order.Status)}.");
        var unused = r.Payments.Select(p => "payment:" + p.PaymentId).Concat(r.Shipments.Select(s => "shipment:" + s.ShipmentId))
            .Concat(r.Refunds.Select(f => "refund:" + f.RefundId)).Where(k => !used.Contains(k)).ToArray();
        if (unused.Length > 0)
            return Refuse(ImportCodes.UnusedReference, $"No fact of the history accounts for {string.Join(", ", unused)}.");
        return Result<Order>.Ok(order);
    }

    private static Rejection? CheckStatus(Order order, LegacyFactV1 fact) =>
        StatusOf(fact.Status) == order.Status
            ? null
            : new Rejection(ImportCodes.StatusMismatch, $"{Where(fact)} claims the order became {fact.Status}; replayed, it is {Name(order.Status)}.");

    private static CommandContext Context(string system, LegacyFactV1 fact) =>
        new(ActorOf(fact.Actor), fact.At, new ImportOrigin(system, fact.SourceEventId, fact.Reason));

    private static Actor ActorOf(ActorV1 actor) => actor.Kind switch
    {
        PublicActorKind.Buyer => new Actor(ActorKind.Buyer, actor.Id),
        PublicActorKind.Seller => new Actor(ActorKind.Seller, actor.Id),
        PublicActorKind.Operator => new Actor(ActorKind.Operator, actor.Id),
        PublicActorKind.System => new Actor(ActorKind.System, actor.Id),
        _ => throw new DomainException("actor-kind.invalid", $"Unknown actor kind '{actor.Kind}'."),
    };

    private static OrderStatus StatusOf(string status) => status switch
    {
        "CREATED" => OrderStatus.Created,
        "CONFIRMED" => OrderStatus.Confirmed,
        "PAID" => OrderStatus.Paid,
        "SHIPPED" => OrderStatus.Shipped,
        "DELIVERED" => OrderStatus.Delivered,
        "CLOSED" => OrderStatus.Closed,
        "CANCELLED" => OrderStatus.Cancelled,
        "REFUNDED" => OrderStatus.Refunded,
        _ => throw new DomainException("status.invalid", $"Unknown status '{status}'."),
    };

    private static string Name(OrderStatus status) => status.ToString().ToUpperInvariant();

    private static Money MoneyOf(MoneyAmount amount) => Money.Of(amount.Minor, Currency.Of(amount.Currency));

    private static bool SameMoney(MoneyAmount claimed, Money actual) => claimed.Minor == actual.Minor && claimed.Currency == actual.Currency.Code;

    private static ShippingAddress AddressOf(ShippingAddressV1 a) => new(a.Recipient, a.Line1, a.Line2, a.City, a.PostalCode, a.CountryCode);

    private static string Where(LegacyFactV1 fact) => $"fact {fact.SourceEventId} ({fact.Event} at {fact.At.ToUniversalTime():O})";

    private static Rejection Refuse(string code, string message) => new(code, message);

    private static string Describe(Rejection rejection) =>
        rejection.Errors.Count == 0 ? rejection.Message : $"{rejection.Message} ({string.Join("; ", rejection.Errors)})";
}
