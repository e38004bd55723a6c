using Orders.Domain.ValueObjects;

namespace Orders.Application.Ports.Outbound;

/// <summary>
/// A store found an order's stored history but could not rebuild the order from it: an entry does not decode, an item
/// snapshot no longer matches its hash, the first entry is not a creation. It is a fact about that one order's data,
/// not a fault of the store: jobs report and flag the order and go on with the others, commands refuse it
/// (<c>order.history-broken</c>), and reads still answer its stored state with <c>historyIntact: false</c>.
/// </summary>
public sealed class OrderHistoryUnreadableException : Exception
{
    public OrderHistoryUnreadableException(OrderId orderId, long? sequence, string problem, Exception? innerException = null)
        : base($"Order {orderId?.Value}'s stored history cannot be read" + (sequence is null ? "" : $" at sequence {sequence}") + $": {problem}", innerException)
    {
        OrderId = orderId ?? throw new ArgumentNullException(nameof(orderId));
        Sequence = sequence;
        Problem = problem;
    }

    public OrderId OrderId { get; }

    /// <summary>The first entry that could not be read, when known.</summary>
    public long? Sequence { get; }

    /// <summary>What the decoder or the domain said: for logs and operators (the stuck list), not for an API answer.</summary>
    public string Problem { get; }

    /// <summary>Where, in words any caller may read: the entry, never the decoder's text about the stored bytes.</summary>
    public string PublicProblem => Sequence is { } at ? $"entry {at} cannot be read" : "its entries do not form a history this service accepts";
}
