using Orders.Domain.Common;
using Orders.Domain.ValueObjects;

namespace Orders.Domain.OrderAggregate;

/// <summary>
/// Who asks, when, and because of what (a command id, an integration event id): everything a history entry needs
/// besides the fact itself. The domain has no clock; time comes in here.
/// </summary>
public sealed record CommandContext
{
    public CommandContext(Actor actor, DateTimeOffset at, string causationId)
    {
        Actor = actor ?? throw new ArgumentNullException(nameof(actor));
        At = at.ToUniversalTime();
        CausationId = Guard.Text(causationId, "causationId", 200);
    }

    public Actor Actor { get; }

    public DateTimeOffset At { get; }

    public string CausationId { get; }
}
