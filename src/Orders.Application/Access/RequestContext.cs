using Orders.Domain.OrderAggregate;

namespace Orders.Application.Access;

/// <summary>
/// Everything a use case needs besides the command: who calls, the time of the request (the domain has no clock),
/// the causing command or event id, and an optional idempotency key.
/// </summary>
public sealed record RequestContext(Caller Caller, DateTimeOffset Now, string CausationId, string? IdempotencyKey = null)
{
    public CommandContext ToCommandContext() => new(Caller.Actor, Now, CausationId);
}
