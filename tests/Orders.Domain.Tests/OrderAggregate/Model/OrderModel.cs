using System.Collections.Immutable;
using Orders.Domain.ValueObjects;
using static Orders.Domain.ValueObjects.OrderStatus;

namespace Orders.Domain.Tests.OrderAggregate.Model;

public enum CommandKind
{
    Confirm,
    Cancel,
    MarkPaid,
    Ship,
    Deliver,
    RecordCashCollected,
    RequestRefund,
    RecordRefund,
    Close,
    Split,
    ChangeShippingAddress,
}

/// <summary>A fully resolved command: the ids and amount the real order and the model both receive.</summary>
public sealed record ModelCommand(CommandKind Kind, string? Id = null, string? OtherId = null, long Amount = 0, int Address = 0)
{
    public override string ToString() => $"{Kind}({Id},{OtherId},{Amount},addr{Address})";
}

public enum Verdict
{
    /// <summary>Exactly one new fact.</summary>
    Recorded,

    /// <summary>An exact replay, or something already true: success, nothing recorded.</summary>
    AlreadyDone,

    Refused,
}

public sealed record ModelRefund(string Id, long Amount, bool Completed);

/// <summary>
/// What the order should be, written from DESIGN.md and the domain README rather than from the code: a transition
/// table and a handful of counters (paid, refunded, requested, delivered-at, cash recorded). Immutable, so a candidate
/// command can be tried without committing to it.
/// </summary>
public sealed record OrderModel(
    OrderType Type,
    long Total,
    int Sellers,
    TimeSpan ReturnWindow,
    OrderStatus Status,
    string? Reservation = null,
    string? Authorization = null,
    string? PaymentId = null,
    long Paid = 0,
    bool CashRecorded = false,
    string? ShipmentId = null,
    string? Tracking = null,
    DateTimeOffset? DeliveredAt = null,
    int Address = 0)
{
    /// <summary>The status changes, and the command that makes each. Every other status change is refused.</summary>
    public static readonly IReadOnlyDictionary<(OrderStatus From, CommandKind By), OrderStatus> Moves = new Dictionary<(OrderStatus, CommandKind), OrderStatus>
    {
        [(Created, CommandKind.Confirm)] = Confirmed,
        [(Created, CommandKind.Cancel)] = Cancelled,
        [(Created, CommandKind.Split)] = OrderStatus.Split,
        [(Confirmed, CommandKind.Cancel)] = Cancelled,
        [(Confirmed, CommandKind.MarkPaid)] = OrderStatus.Paid, // prepaid
        [(Confirmed, CommandKind.Ship)] = Shipped, // cash on delivery
        [(OrderStatus.Paid, CommandKind.Ship)] = Shipped, // prepaid
        [(OrderStatus.Paid, CommandKind.RecordRefund)] = OrderStatus.Refunded, // when it completes a full refund
        [(Shipped, CommandKind.Deliver)] = Delivered,
        [(Delivered, CommandKind.RecordRefund)] = OrderStatus.Refunded, // when it completes a full refund
        [(Delivered, CommandKind.Close)] = Closed,
        [(OrderStatus.Refunded, CommandKind.Close)] = Closed,
    };

    public ImmutableList<ModelRefund> Refunds { get; init; } = [];

    public long RefundedAmount => Refunds.Where(r => r.Completed).Sum(r => r.Amount);

    public long Requested => Refunds.Sum(r => r.Amount);

    public long Refundable => Paid - Requested;

    public bool RefundPending => Refunds.Any(r => !r.Completed);

    public bool Cod => Type == OrderType.CashOnDelivery;

    public DateTimeOffset? ReturnWindowEnds => DeliveredAt + ReturnWindow;

    public static OrderModel New(OrderType type, long total, int sellers, TimeSpan returnWindow) =>
        new(type, total, sellers, returnWindow, Created);

    /// <summary>The verdict on <paramref name="c"/> at <paramref name="now"/>, and the model after it.</summary>
    public (Verdict Verdict, OrderModel Next) Decide(ModelCommand c, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(c);
        switch (c.Kind)
        {
            case CommandKind.Confirm:
                if (Reservation is not null)
                    return Reservation == c.Id && Authorization == c.OtherId ? Done() : No();
                if (Status != Created || (Cod ? c.OtherId is not null : c.OtherId is null)) return No();
                return Move(c.Kind, this with { Reservation = c.Id, Authorization = c.OtherId });

            case CommandKind.Cancel:
                return Status == Cancelled ? Done() : Moves.ContainsKey((Status, c.Kind)) ? Move(c.Kind, this) : No();

            case CommandKind.MarkPaid:
                if (PaymentId is not null) return PaymentId == c.Id && Paid == c.Amount ? Done() : No();
                if (Cod || Status != Confirmed || c.Amount != Total) return No();
                return Move(c.Kind, this with { PaymentId = c.Id, Paid = c.Amount });

            case CommandKind.Ship:
                if (ShipmentId is not null) return ShipmentId == c.Id && Tracking == c.OtherId ? Done() : No();
                if (Status != (Cod ? Confirmed : OrderStatus.Paid) || RefundPending) return No();
                return Move(c.Kind, this with { ShipmentId = c.Id, Tracking = c.OtherId });

            case CommandKind.Deliver:
                if (ShipmentId is null || ShipmentId != c.Id) return No();
                if (DeliveredAt is not null) return Done();
                return Move(c.Kind, this with { DeliveredAt = now });

            case CommandKind.RecordCashCollected:
                if (!Cod) return No();
                if (PaymentId is not null) return PaymentId == c.Id && Paid == c.Amount ? Done() : No();
                if (Status is not (Shipped or Delivered) || c.Amount != Total) return No();
                return Note(this with { PaymentId = c.Id, Paid = c.Amount, CashRecorded = true });

            case CommandKind.RequestRefund:
                if (Refunds.Find(r => r.Id == c.Id) is { } existing) return existing.Amount == c.Amount ? Done() : No();
                if (Status is not (OrderStatus.Paid or Shipped or Delivered) || Paid == 0 || c.Amount == 0 || c.Amount > Refundable)
                    return No();
                if (Status == Delivered && now > ReturnWindowEnds) return No(); // the return window has closed
                if (Status == Shipped && c.Amount == Refundable) return No(); // a full refund waits for delivery
                return Note(this with { Refunds = Refunds.Add(new ModelRefund(c.Id!, c.Amount, false)) });

            case CommandKind.RecordRefund:
                var refund = Refunds.Find(r => r.Id == c.Id);
                if (refund is null) return No();
                if (refund.Completed) return Done();
                var next = this with { Refunds = Refunds.Replace(refund, refund with { Completed = true }) };
                return next.RefundedAmount == Paid && Moves.ContainsKey((Status, c.Kind)) ? Move(c.Kind, next) : Note(next);

            case CommandKind.Close:
                if (Status == Closed) return Done();
                if (!Moves.ContainsKey((Status, c.Kind)) || RefundPending) return No();
                if (Status == Delivered && ((Cod && !CashRecorded) || now < ReturnWindowEnds)) return No();
                return Move(c.Kind, this);

            case CommandKind.Split:
                if (Status == OrderStatus.Split) return Done();
                return Status == Created && Sellers > 1 ? Move(c.Kind, this) : No();

            case CommandKind.ChangeShippingAddress:
                if (Status is not (Created or Confirmed or OrderStatus.Paid)) return No();
                return c.Address == Address ? Done() : Note(this with { Address = c.Address });

            default:
                throw new ArgumentOutOfRangeException(nameof(c));
        }
    }

    private (Verdict, OrderModel) Move(CommandKind by, OrderModel next) =>
        (Verdict.Recorded, next with { Status = Moves[(Status, by)] });

    private static (Verdict, OrderModel) Note(OrderModel next) => (Verdict.Recorded, next);

    private (Verdict, OrderModel) Done() => (Verdict.AlreadyDone, this);

    private (Verdict, OrderModel) No() => (Verdict.Refused, this);
}
