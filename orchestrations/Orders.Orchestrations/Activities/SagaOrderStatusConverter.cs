using System.Text.Json;
using System.Text.Json.Serialization;
using Orders.Domain.ValueObjects;

namespace Orders.Orchestrations.Activities;

/// <summary>
/// An order status as the sagas' activity results have always carried it in Durable's history: the C# member name
/// (<c>"Confirmed"</c>), which is what <c>order.Status.ToString()</c> wrote before the facts were typed. Kept, rather
/// than the public spelling (<c>"CONFIRMED"</c>, decision 0021), so that the bytes an activity writes are the same as
/// before: an instance in flight replays its recorded results, and a release rolled back reads new results, unchanged.
/// Reading also accepts the public spelling.
/// </summary>
public sealed class SagaOrderStatusConverter : JsonConverter<OrderStatus>
{
    public override OrderStatus Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && OrderStatusNames.TryParseStored(reader.GetString(), out var status)
            ? status
            : throw new JsonException($"Expected an order status: one of {string.Join(", ", Enum.GetNames<OrderStatus>())}.");

    public override void Write(Utf8JsonWriter writer, OrderStatus value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(Enum.IsDefined(value) ? value.ToString() : throw new JsonException($"{(int)value} is not an order status."));
    }
}
