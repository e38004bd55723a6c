using System.Text.Json.Serialization;

namespace Orders.Domain.ValueObjects;

/// <summary>
/// How the order is paid, fixed at creation. The seed's third type, "split", is not a way of paying: a multi-seller
/// order is prepaid or COD like any other and <em>becomes</em> split (status <see cref="OrderStatus.Split"/>, with
/// child orders that point back to it). See src/Orders.Domain/README.md.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<OrderType>))]
public enum OrderType
{
    Prepaid,
    CashOnDelivery,
}
