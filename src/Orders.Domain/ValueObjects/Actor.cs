using System.Text.Json.Serialization;
using Orders.Domain.Common;

namespace Orders.Domain.ValueObjects;

[JsonConverter(typeof(JsonStringEnumConverter<ActorKind>))]
public enum ActorKind
{
    Buyer,
    Seller,
    Operator,

    /// <summary>A saga, a job or an integration acting on the order's behalf.</summary>
    System,
}

/// <summary>Who caused a change: recorded in every history entry.</summary>
public sealed record Actor
{
    [JsonConstructor]
    public Actor(ActorKind kind, string id)
    {
        Kind = kind;
        Id = Guard.Identifier(id, "actor-id");
    }

    public ActorKind Kind { get; }

    public string Id { get; }

    public static Actor Buyer(BuyerId id) => new(ActorKind.Buyer, id.Value);

    public static Actor Seller(SellerId id) => new(ActorKind.Seller, id.Value);

    public static Actor Operator(string id) => new(ActorKind.Operator, id);

    public static Actor System(string component) => new(ActorKind.System, component);

    public override string ToString() => $"{Kind}:{Id}";
}
