using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orders.Domain.ValueObjects;

/// <summary>Money on the wire: <c>{"minor":1999,"currency":"USD"}</c>. Integers only, never a float.</summary>
public sealed class MoneyJsonConverter : JsonConverter<Money>
{
    public override Money Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("Money must be an object.");
        long? minor = null;
        string? currency = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "minor": minor = reader.GetInt64(); break;
                case "currency": currency = reader.GetString(); break;
                default: throw new JsonException($"Unknown Money property '{name}'.");
            }
        }
        if (minor is null || currency is null) throw new JsonException("Money needs 'minor' and 'currency'.");
        return new Money(minor.Value, Currency.Of(currency));
    }

    public override void Write(Utf8JsonWriter writer, Money value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber("minor", value.Minor);
        writer.WriteString("currency", value.Currency.Code);
        writer.WriteEndObject();
    }
}
