using Orders.Domain.ValueObjects;

namespace Orders.Application.UseCases;

/// <summary>What a successful command answers: the order, its status and version after the command.</summary>
public sealed record CommandReceipt(OrderId OrderId, OrderStatus Status, long Version, IReadOnlyList<OrderId> ChildOrderIds)
{
    public bool Equals(CommandReceipt? other) =>
        other is not null && OrderId == other.OrderId && Status == other.Status && Version == other.Version
        && ChildOrderIds.SequenceEqual(other.ChildOrderIds);

    public override int GetHashCode() => HashCode.Combine(OrderId, Status, Version);
}

/// <summary>
/// A receipt with its exact serialised form. <see cref="Json"/> is what was stored with the idempotency record, so a
/// replay answers byte for byte what the first request answered. <see cref="Replayed"/> says which it was.
/// <see cref="Unchanged"/> says that the command was applied to the order as it stood and recorded nothing new: an
/// exact repetition of what the order already says (closing a closed order, the same payment or shipment again).
/// </summary>
public sealed record CommandReply(CommandReceipt Receipt, string Json, bool Replayed, bool Unchanged = false);
