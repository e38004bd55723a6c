using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orders.Api.Http;

/// <summary>
/// Enums in requests exactly as the contract spells them: <c>"Prepaid"</c>, never <c>"prepaid"</c>, <c>"Prepaid "</c>,
/// <c>"0"</c>, <c>0</c> or <c>"Prepaid, CashOnDelivery"</c>. (The serializer's own enum converter is lenient about case,
/// whitespace and numbers, and a lenient reader accepts requests the contract says are invalid.)
/// </summary>
public sealed class StrictEnumConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert))!;

    /// <summary>The value named exactly <paramref name="text"/>, as the contract spells it.</summary>
    public static bool TryParseExact<TEnum>(string? text, out TEnum value) where TEnum : struct, Enum =>
        Converter<TEnum>.Names.TryGetValue(text ?? "", out value);

    private sealed class Converter<TEnum> : JsonConverter<TEnum> where TEnum : struct, Enum
    {
        internal static readonly FrozenDictionary<string, TEnum> Names =
            Enum.GetValues<TEnum>().ToFrozenDictionary(Name, v => v, StringComparer.Ordinal);

        // An order status has one spelling of its own (CREATED, …); every other enum is spelled as its member.
        private static string Name(TEnum value) => value is Orders.Domain.ValueObjects.OrderStatus status
            ? Orders.Domain.ValueObjects.OrderStatusNames.Of(status)
            : value.ToString();

        public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String) throw new JsonException($"Expected one of {string.Join(", ", Names.Keys)}.");
            var text = reader.GetString();
            return text is not null && Names.TryGetValue(text, out var value)
                ? value
                : throw new JsonException($"Expected one of {string.Join(", ", Names.Keys)}.");
        }

        public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            writer.WriteStringValue(Name(value));
        }
    }
}
