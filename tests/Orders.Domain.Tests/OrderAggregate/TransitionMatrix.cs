using Orders.Domain.Events;
using Orders.Domain.OrderAggregate;
using Orders.Domain.Tests.TestSupport;
using Orders.Domain.ValueObjects;

namespace Orders.Domain.Tests.OrderAggregate;

/// <summary>The commands of the matrix, each sent with ids the order has never seen (never a replay).</summary>
public enum MatrixCommand
{
    Confirm,
    Cancel,
    MarkPaid,
    Ship,

    /// <summary>Deliver naming the order's own shipment (a fresh id when it has none).</summary>
    DeliverIts,

    /// <summary>Deliver naming a shipment that is not the order's.</summary>
    DeliverOther,

    /// <summary>RecordCashCollected for the order's total.</summary>
    Cash,

    /// <summary>RequestRefund of the order's total.</summary>
    RefundFull,

    /// <summary>RequestRefund of 10.00 (a sixth of the total).</summary>
    RefundPart,

    /// <summary>RecordRefund of the pending refund if there is one, otherwise of a refund id never requested.</summary>
    RecordRefund,

    /// <summary>Close, 30 days after the stage was reached (after any return window).</summary>
    Close,
    Split,

    /// <summary>ChangeShippingAddress to an address the order does not have.</summary>
    Address,
}

/// <summary>What one cell of the matrix expects.</summary>
public abstract record Outcome
{
    /// <summary>Accepted: exactly one new history entry with the command's event, ending in <paramref name="To"/>.</summary>
    public sealed record Recorded(OrderStatus To) : Outcome;

    /// <summary>Refused with this code; nothing changes.</summary>
    public sealed record Refused(string Code) : Outcome;

    /// <summary>Already true (cancel a cancelled order, close a closed one, deliver a delivered shipment, split a split
    /// order): null, and nothing changes.</summary>
    public sealed record AlreadyDone : Outcome;
}

/// <summary>
/// The expected outcome of every command in every stage, for prepaid and for cash-on-delivery orders (all of them
/// multi-seller, so that a CREATED order may split). A status name: accepted, ending in that status. "=": already
/// done. Anything else: refused with the code "order.{cell}".
/// </summary>
public static class TransitionMatrix
{
    private const string PrepaidTable = """
        stage                  | Confirm           | Cancel          | MarkPaid     | Ship            | DeliverIts      | DeliverOther      | Cash                 | RefundFull          | RefundPart          | RecordRefund   | Close          | Split          | Address
        Created                | Confirmed         | Cancelled       | not-payable  | not-shippable   | not-deliverable | not-deliverable   | not-cash-on-delivery | not-refundable      | not-refundable      | refund-unknown | not-closable   | Split          | Created
        Confirmed              | already-confirmed | Cancelled       | Paid         | not-shippable   | not-deliverable | not-deliverable   | not-cash-on-delivery | not-refundable      | not-refundable      | refund-unknown | not-closable   | not-splittable | Confirmed
        Paid                   | already-confirmed | not-cancellable | already-paid | Shipped         | not-deliverable | not-deliverable   | not-cash-on-delivery | Paid                | Paid                | refund-unknown | not-closable   | not-splittable | Paid
        PaidRefundPending      | already-confirmed | not-cancellable | already-paid | refund-pending  | not-deliverable | not-deliverable   | not-cash-on-delivery | refund-exceeds-paid | refund-exceeds-paid | Refunded       | not-closable   | not-splittable | Paid
        Shipped                | already-confirmed | not-cancellable | already-paid | already-shipped | Delivered       | shipment-mismatch | not-cash-on-delivery | refund-in-transit   | Shipped             | refund-unknown | not-closable   | not-splittable | not-modifiable
        Delivered              | already-confirmed | not-cancellable | already-paid | already-shipped | =               | shipment-mismatch | not-cash-on-delivery | Delivered           | Delivered           | refund-unknown | Closed         | not-splittable | not-modifiable
        DeliveredRefundPending | already-confirmed | not-cancellable | already-paid | already-shipped | =               | shipment-mismatch | not-cash-on-delivery | refund-exceeds-paid | refund-exceeds-paid | Refunded       | refund-pending | not-splittable | not-modifiable
        Closed                 | already-confirmed | not-cancellable | already-paid | already-shipped | =               | shipment-mismatch | not-cash-on-delivery | not-refundable      | not-refundable      | refund-unknown | =              | not-splittable | not-modifiable
        Cancelled              | not-confirmable   | =               | not-payable  | not-shippable   | not-deliverable | not-deliverable   | not-cash-on-delivery | not-refundable      | not-refundable      | refund-unknown | not-closable   | not-splittable | not-modifiable
        Refunded               | already-confirmed | not-cancellable | already-paid | not-shippable   | not-deliverable | not-deliverable   | not-cash-on-delivery | not-refundable      | not-refundable      | refund-unknown | Closed         | not-splittable | not-modifiable
        Split                  | not-confirmable   | not-cancellable | not-payable  | not-shippable   | not-deliverable | not-deliverable   | not-cash-on-delivery | not-refundable      | not-refundable      | refund-unknown | not-closable   | =              | not-modifiable
        """;

    private const string CashOnDeliveryTable = """
        stage                  | Confirm           | Cancel          | MarkPaid     | Ship            | DeliverIts      | DeliverOther      | Cash         | RefundFull          | RefundPart          | RecordRefund   | Close              | Split          | Address
        Created                | Confirmed         | Cancelled       | not-payable  | not-shippable   | not-deliverable | not-deliverable   | not-payable  | not-refundable      | not-refundable      | refund-unknown | not-closable       | Split          | Created
        Confirmed              | already-confirmed | Cancelled       | not-payable  | Shipped         | not-deliverable | not-deliverable   | not-payable  | not-refundable      | not-refundable      | refund-unknown | not-closable       | not-splittable | Confirmed
        Shipped                | already-confirmed | not-cancellable | not-payable  | already-shipped | Delivered       | shipment-mismatch | Shipped      | not-refundable      | not-refundable      | refund-unknown | not-closable       | not-splittable | not-modifiable
        Delivered              | already-confirmed | not-cancellable | not-payable  | already-shipped | =               | shipment-mismatch | Delivered    | not-refundable      | not-refundable      | refund-unknown | cash-not-collected | not-splittable | not-modifiable
        DeliveredCashCollected | already-confirmed | not-cancellable | already-paid | already-shipped | =               | shipment-mismatch | already-paid | Delivered           | Delivered           | refund-unknown | Closed             | not-splittable | not-modifiable
        DeliveredRefundPending | already-confirmed | not-cancellable | already-paid | already-shipped | =               | shipment-mismatch | already-paid | refund-exceeds-paid | refund-exceeds-paid | Refunded       | refund-pending     | not-splittable | not-modifiable
        Closed                 | already-confirmed | not-cancellable | already-paid | already-shipped | =               | shipment-mismatch | already-paid | not-refundable      | not-refundable      | refund-unknown | =                  | not-splittable | not-modifiable
        Cancelled              | not-confirmable   | =               | not-payable  | not-shippable   | not-deliverable | not-deliverable   | not-payable  | not-refundable      | not-refundable      | refund-unknown | not-closable       | not-splittable | not-modifiable
        Refunded               | already-confirmed | not-cancellable | already-paid | already-shipped | =               | shipment-mismatch | already-paid | not-refundable      | not-refundable      | refund-unknown | Closed             | not-splittable | not-modifiable
        Split                  | not-confirmable   | not-cancellable | not-payable  | not-shippable   | not-deliverable | not-deliverable   | not-payable  | not-refundable      | not-refundable      | refund-unknown | not-closable       | =              | not-modifiable
        """;

    /// <summary>The one event each accepted command appends.</summary>
    public static string EventOf(MatrixCommand command) => command switch
    {
        MatrixCommand.Confirm => OrderConfirmed.TypeName,
        MatrixCommand.Cancel => OrderCancelled.TypeName,
        MatrixCommand.MarkPaid => OrderPaid.TypeName,
        MatrixCommand.Ship => OrderShipped.TypeName,
        MatrixCommand.DeliverIts or MatrixCommand.DeliverOther => OrderDelivered.TypeName,
        MatrixCommand.Cash => CashOnDeliveryCollected.TypeName,
        MatrixCommand.RefundFull or MatrixCommand.RefundPart => RefundRequested.TypeName,
        MatrixCommand.RecordRefund => OrderRefunded.TypeName,
        MatrixCommand.Close => OrderClosed.TypeName,
        MatrixCommand.Split => OrderSplit.TypeName,
        MatrixCommand.Address => ShippingAddressChanged.TypeName,
        _ => throw new ArgumentOutOfRangeException(nameof(command)),
    };

    public static IReadOnlyDictionary<Stage, Outcome[]> Prepaid { get; } = Parse(PrepaidTable);

    public static IReadOnlyDictionary<Stage, Outcome[]> CashOnDelivery { get; } = Parse(CashOnDeliveryTable);

    public static IReadOnlyDictionary<Stage, Outcome[]> For(OrderType type) => type == OrderType.Prepaid ? Prepaid : CashOnDelivery;

    public static Outcome Expected(OrderType type, Stage stage, MatrixCommand command) => For(type)[stage][(int)command];

    public static IEnumerable<(OrderType Type, Stage Stage, MatrixCommand Command)> Cells() =>
        from type in new[] { OrderType.Prepaid, OrderType.CashOnDelivery }
        from stage in For(type).Keys
        from command in Enum.GetValues<MatrixCommand>()
        select (type, stage, command);

    private static Dictionary<Stage, Outcome[]> Parse(string table)
    {
        var rows = table.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries))
            .ToArray();
        var header = rows[0].Skip(1).Select(Enum.Parse<MatrixCommand>).ToArray();
        if (!header.SequenceEqual(Enum.GetValues<MatrixCommand>()))
            throw new InvalidOperationException("The matrix columns must be the MatrixCommand values in order.");
        return rows.Skip(1).ToDictionary(
            row => Enum.Parse<Stage>(row[0]),
            row => row.Skip(1).Select(Cell).ToArray() is { Length: var n } cells && n == header.Length
                ? cells
                : throw new InvalidOperationException($"Row {row[0]} has the wrong number of cells."));
    }

    private static Outcome Cell(string text)
    {
        if (text == "=") return new Outcome.AlreadyDone();
        if (Enum.TryParse<OrderStatus>(text, out var status)) return new Outcome.Recorded(status);
        var code = "order." + text;
        return OrderRejections.AllCodes.Contains(code)
            ? new Outcome.Refused(code)
            : throw new InvalidOperationException($"'{text}' is neither a status, '=', nor a rejection code.");
    }
}
