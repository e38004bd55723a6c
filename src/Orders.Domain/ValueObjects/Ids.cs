using System.Text.Json;
using System.Text.Json.Serialization;
using Orders.Domain.Common;

namespace Orders.Domain.ValueObjects;

/// <summary>An identifier that is a validated string on the wire.</summary>
public interface IStringId<TSelf> where TSelf : IStringId<TSelf>
{
    string Value { get; }

    static abstract TSelf From(string value);
}

/// <summary>Serialises every <see cref="IStringId{TSelf}"/> as its plain string.</summary>
public sealed class StringIdConverter<T> : JsonConverter<T> where T : class, IStringId<T>
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        T.From(reader.GetString() ?? throw new JsonException($"{typeof(T).Name} must be a string."));

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}

[JsonConverter(typeof(StringIdConverter<OrderId>))]
public sealed record OrderId : IStringId<OrderId>
{
    private OrderId(string value) => Value = Guard.Identifier(value, "order-id");

    public string Value { get; }

    public static OrderId From(string value) => new(value);

    /// <summary>The id of the n-th child (1-based) of a split order: deterministic, so a replayed split collides.</summary>
    public OrderId Child(int ordinal) => new($"{Value}-s{ordinal}");

    public override string ToString() => Value;
}

[JsonConverter(typeof(StringIdConverter<BuyerId>))]
public sealed record BuyerId : IStringId<BuyerId>
{
    private BuyerId(string value) => Value = Guard.Identifier(value, "buyer-id");

    public string Value { get; }

    public static BuyerId From(string value) => new(value);

    public override string ToString() => Value;
}

[JsonConverter(typeof(StringIdConverter<SellerId>))]
public sealed record SellerId : IStringId<SellerId>, IComparable<SellerId>
{
    private SellerId(string value) => Value = Guard.Identifier(value, "seller-id");

    public string Value { get; }

    public static SellerId From(string value) => new(value);

    public int CompareTo(SellerId? other) => string.CompareOrdinal(Value, other?.Value);

    public override string ToString() => Value;
}
