using Orders.Application.Views;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;

namespace Orders.Application.ReadModels;

/// <summary>
/// The order detail as the projection keeps it: the view readers get, and the history entries it was folded from
/// (the projection's own state: the next entry is folded onto them).
/// </summary>
public sealed record OrderDetailRecord(OrderView View, IReadOnlyList<HistoryEntry> Entries)
{
    public OrderId OrderId => View.OrderId;

    /// <summary>The last sequence applied.</summary>
    public long Sequence => LastSequence(Entries);

    /// <summary>The sequence of the last of <paramref name="entries"/>, or 0 when there are none.</summary>
    public static long LastSequence(IReadOnlyList<HistoryEntry> entries) => entries.Count == 0 ? 0 : entries[^1].Sequence;
}

/// <summary>
/// One order in one seller's list, with what that seller's dashboard aggregates: the seller's share of the order's
/// value and, while the order waits for the seller to ship it, since when.
/// </summary>
public sealed record SellerOrderRecord(SellerId SellerId, OrderListItem Item, Money SellerValue, DateTimeOffset? ReadySince)
{
    /// <summary>The last sequence applied.</summary>
    public long Sequence => Item.Version;
}
