using System.Text.Json.Serialization;
using Orders.Domain.Common;
using Orders.Domain.ValueObjects;

namespace Orders.Domain.Services;

[JsonConverter(typeof(JsonStringEnumConverter<PromotionKind>))]
public enum PromotionKind
{
    /// <summary><see cref="Promotion.Value"/> is an amount in the order currency's minor units.</summary>
    AmountOff,

    /// <summary><see cref="Promotion.Value"/> is in basis points (1,000 = 10%).</summary>
    PercentOff,
}

/// <summary>
/// A promotion as data, decided by the promotions domain before the order exists and frozen into it at creation.
/// Optionally scoped to one seller's lines.
/// </summary>
public sealed record Promotion
{
    [JsonConstructor]
    public Promotion(string code, PromotionKind kind, long value, SellerId? sellerId = null)
    {
        Code = Guard.Identifier(code, "promotion-code");
        if (value <= 0) throw new DomainException("promotion.value-invalid", $"Promotion {code}: the value must be positive.");
        if (kind == PromotionKind.PercentOff && value > 10_000)
            throw new DomainException("promotion.value-invalid", $"Promotion {code}: at most 10,000 basis points.");
        Kind = kind;
        Value = value;
        SellerId = sellerId;
    }

    public string Code { get; }

    public PromotionKind Kind { get; }

    public long Value { get; }

    public SellerId? SellerId { get; }
}
