using Orders.Api.Problems;
using Orders.Application.UseCases.Commands;
using Orders.Domain.OrderAggregate;
using Orders.Domain.Services;
using Orders.Domain.ValueObjects;

namespace Orders.Api.Requests;

public sealed record OrderItemRequest(
    int Line,
    string Sku,
    string ProductId,
    string SellerId,
    string Title,
    MoneyRequest UnitPrice,
    int Quantity,
    string? Hash = null,
    IReadOnlyDictionary<string, string>? Attributes = null)
{
    /// <summary>
    /// The snapshot as sold. With a hash (the catalog's seal), a hash that does not match the content throws
    /// item.snapshot-tampered; without one, the snapshot is taken and sealed now.
    /// </summary>
    public OrderItem ToItem() => Hash is null
        ? OrderItem.Snapshot(Line, Sku, ProductId, Domain.ValueObjects.SellerId.From(SellerId), Title, UnitPrice.ToMoney(), Quantity, Attributes)
        : new(Line, Sku, ProductId, Domain.ValueObjects.SellerId.From(SellerId), Title, UnitPrice.ToMoney(), Quantity, Attributes, SnapshotHash.From(Hash));
}

public sealed record PromotionRequest(string Code, PromotionKind Kind, long Value, string? SellerId = null)
{
    public Promotion ToPromotion() =>
        new(Code, Kind, Value, SellerId is null ? null : Domain.ValueObjects.SellerId.From(SellerId));
}

public sealed record CreateOrderRequest(
    string BuyerId,
    OrderType Type,
    IReadOnlyList<OrderItemRequest> Items,
    MoneyRequest ShippingFee,
    ShippingAddressRequest ShippingAddress,
    IReadOnlyList<PromotionRequest>? Promotions = null,
    int? ReturnWindowDays = null,
    int? PaymentWindowMinutes = null)
{
    public const int MaxReturnWindowDays = 365;
    public const int MaxPaymentWindowMinutes = 7 * 24 * 60;

    /// <summary>The command; ranges are checked here, before any arithmetic on them (TimeSpan.FromDays overflows).</summary>
    public CreateOrderCommand ToCommand() =>
        ReturnWindowDays is < 0 or > MaxReturnWindowDays
            ? throw OutOfRange("returnWindowDays", 0, MaxReturnWindowDays)
            : PaymentWindowMinutes is < 1 or > MaxPaymentWindowMinutes
            ? throw OutOfRange("paymentWindowMinutes", 1, MaxPaymentWindowMinutes)
            : new(Domain.ValueObjects.BuyerId.From(BuyerId), Type,
            [.. NoNulls(Items, "items").Select(i => i.ToItem())],
            [.. NoNulls(Promotions ?? [], "promotions").Select(p => p.ToPromotion())],
            ShippingFee.ToMoney(), ShippingAddress.ToAddress(),
            ReturnWindowDays is { } days ? TimeSpan.FromDays(days) : null,
            PaymentWindowMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : null);

    private static ProblemException OutOfRange(string name, int min, int max) =>
        new(ProblemTypes.Codes.InvalidBody, $"{name} must be from {min} to {max}.", [$"$.{name}: must be from {min} to {max}."]);

    private static IReadOnlyList<T> NoNulls<T>(IReadOnlyList<T> list, string name) where T : class =>
        list.Any(x => x is null)
            ? throw new ProblemException(ProblemTypes.Codes.InvalidBody, $"{name} must not contain null.", [$"$.{name}: contains null."])
            : list;
}
