using Orders.Domain.ValueObjects;

namespace Orders.Application.ReadModels;

/// <summary>
/// The change log delivered an order's entry while an earlier one of the same order was never applied. The log is in
/// commit order within each order, so this is a lost entry or a defect, never a normal race: applying the entry out
/// of order would publish a view that never existed. The projector throws it so that the batch is abandoned (its
/// checkpoint is not committed) and read again; it keeps failing, visibly, until the log is repaired.
/// </summary>
public sealed class ChangeLogGapException : Exception
{
    public ChangeLogGapException(OrderId orderId, long appliedSequence, long deliveredSequence)
        : base($"The change log skipped entries of order {orderId}: the read models have applied it up to sequence " +
               $"{appliedSequence} and were given sequence {deliveredSequence}. Entries of one order arrive in commit order, " +
               "so an entry was lost; the batch was abandoned (checkpoint not committed) and will be read again.")
    {
        OrderId = orderId;
        AppliedSequence = appliedSequence;
        DeliveredSequence = deliveredSequence;
    }

    public OrderId OrderId { get; }

    public long AppliedSequence { get; }

    public long DeliveredSequence { get; }
}
