using Orders.Contracts.Imports;

namespace Orders.Application.Imports;

/// <summary>
/// Why an imported line was refused. Besides these, a refused transition answers with the domain's own rejection code
/// (<c>order.not-payable</c>, <c>order.refund-exceeds-paid</c>, …): the state machine and the money laws speak for
/// themselves.
/// </summary>
public static class ImportCodes
{
    public const string InvalidEncoding = LegacyOrderReader.Codes.InvalidEncoding;
    public const string MalformedJson = LegacyOrderReader.Codes.MalformedJson;
    public const string InvalidRecord = LegacyOrderReader.Codes.InvalidRecord;
    public const string UnknownFormat = LegacyOrderReader.Codes.UnknownFormat;
    public const string LineTooLong = "import.line-too-long";

    /// <summary>A value no order can hold (an unknown currency, an id with forbidden characters, a negative amount).</summary>
    public const string InvalidValue = "import.invalid-value";

    /// <summary>The history does not start with CREATED at the order's createdAt.</summary>
    public const string HistoryStart = "import.history-start";

    /// <summary>A fact is earlier than the fact before it.</summary>
    public const string HistoryOutOfOrder = "import.history-out-of-order";

    /// <summary>A fact the order had already recorded (the same payment, shipment, refund again): it would record nothing.</summary>
    public const string DuplicateFact = "import.duplicate-fact";

    /// <summary>A fact names a payment, shipment or refund the line does not list, or of the wrong kind.</summary>
    public const string UnknownReference = "import.unknown-reference";

    /// <summary>A listed payment, shipment or refund that no fact names: history that does not account for it.</summary>
    public const string UnusedReference = "import.unused-reference";

    /// <summary>The recorded totals are not what the items, discounts and fee add up to.</summary>
    public const string TotalsMismatch = "import.totals-mismatch";

    /// <summary>A status the legacy system recorded is not where the replay is.</summary>
    public const string StatusMismatch = "import.status-mismatch";

    /// <summary>The source id was imported before with different content.</summary>
    public const string SourceIdConflict = "import.source-id-conflict";

    /// <summary>The order id derived from the source id belongs to an order that was not imported from it.</summary>
    public const string OrderIdTaken = "import.order-id-taken";

    public static IReadOnlyList<string> All { get; } =
    [
        InvalidEncoding, MalformedJson, InvalidRecord, UnknownFormat, LineTooLong, InvalidValue, HistoryStart,
        HistoryOutOfOrder, DuplicateFact, UnknownReference, UnusedReference, TotalsMismatch, StatusMismatch,
        SourceIdConflict, OrderIdTaken,
    ];
}
