using Orders.Contracts.Integration;

namespace Orders.Contracts.PublicEvents;

/// <summary>
/// What every public order event carries, besides its own facts: the order, the fact's place in the order's history
/// (<see cref="Sequence"/>, 1-based, gapless per order: consumers apply each order's events in sequence and ignore
/// one they have seen), when it happened, the status before and after (equal for facts that change no status;
/// <see cref="FromStatus"/> is null only for the creation), who caused it, and the command or event that caused it.
/// </summary>
public interface IPublicOrderEvent
{
    string OrderId { get; }

    long Sequence { get; }

    DateTimeOffset OccurredAt { get; }

    string? FromStatus { get; }

    string ToStatus { get; }

    ActorV1 Actor { get; }

    string CausationId { get; }
}

/// <summary>Who caused a fact: a kind (<see cref="PublicActorKind"/>) and an id (a buyer, seller or operator id, or a component name).</summary>
public sealed record ActorV1(string Kind, string Id);

/// <summary>
/// One line of an order: an immutable snapshot of the product as sold. <see cref="SnapshotHash"/> is
/// <c>sha256:v1:</c> + SHA-256 over the snapshot's canonical form (sku, product, seller, title, unit price, quantity
/// and the attributes; not the line number), so a consumer can check that a line is what was sold.
/// </summary>
public sealed record OrderItemV1(
    int Line,
    string Sku,
    string ProductId,
    string SellerId,
    string Title,
    MoneyAmount UnitPrice,
    int Quantity,
    IReadOnlyDictionary<string, string> Attributes,
    string SnapshotHash);

/// <summary>
/// The price of an order, frozen at creation: totals (<c>total = subtotal - discount + shipping</c>), each line's share
/// (discount and shipping allocated to lines to the minor unit; the lines sum to the totals) and the promotions applied.
/// </summary>
public sealed record OrderPricingV1(
    MoneyAmount Subtotal,
    MoneyAmount Discount,
    MoneyAmount Shipping,
    MoneyAmount Total,
    IReadOnlyList<LineAllocationV1> Lines,
    IReadOnlyList<AppliedPromotionV1> Promotions);

/// <summary>One line's share of the price: <c>net = gross - discount + shipping</c>.</summary>
public sealed record LineAllocationV1(int Line, MoneyAmount Gross, MoneyAmount Discount, MoneyAmount Shipping, MoneyAmount Net);

/// <summary>A promotion granted at creation and what it actually took off.</summary>
public sealed record AppliedPromotionV1(string Code, MoneyAmount Amount);

/// <summary>Where an order ships. <see cref="Line2"/> is null when there is none; the country is ISO 3166-1 alpha-2.</summary>
public sealed record ShippingAddressV1(string Recipient, string Line1, string? Line2, string City, string PostalCode, string CountryCode);

/// <summary>One child order created by a split: its id, its seller, its total.</summary>
public sealed record SplitChildV1(string OrderId, string SellerId, MoneyAmount Total);
