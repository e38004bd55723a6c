using Orders.Domain.ValueObjects;

namespace Orders.Application.Access;

/// <summary>Who is calling: a buyer, a seller, an operator, or the system itself (sagas, jobs, integrations).</summary>
public sealed record Caller(ActorKind Kind, string Id)
{
    public Actor Actor => new(Kind, Id);

    public static Caller Buyer(string id) => new(ActorKind.Buyer, id);

    public static Caller Seller(string id) => new(ActorKind.Seller, id);

    public static Caller Operator(string id) => new(ActorKind.Operator, id);

    public static Caller System(string component) => new(ActorKind.System, component);

    public override string ToString() => $"{Kind}:{Id}";
}
