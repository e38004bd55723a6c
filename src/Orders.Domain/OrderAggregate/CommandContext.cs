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
        : this(actor, at, causationId, null)
    {
    }

    /// <summary>A context for replaying a fact imported from a legacy system: its causation id says where it came from.</summary>
    public CommandContext(Actor actor, DateTimeOffset at, ImportOrigin origin)
        : this(actor, at, (origin ?? throw new ArgumentNullException(nameof(origin))).CausationId, origin)
    {
    }

    private CommandContext(Actor actor, DateTimeOffset at, string causationId, ImportOrigin? origin)
    {
        ImportedFrom = origin;
        Actor = actor ?? throw new ArgumentNullException(nameof(actor));
        At = at.ToUniversalTime();
        CausationId = Guard.Text(causationId, "causationId", 200);
    }

    public Actor Actor { get; }

    public DateTimeOffset At { get; }

    public string CausationId { get; }

    /// <summary>Set when the fact is replayed from a legacy system's history (see <see cref="ImportOrigin"/>).</summary>
    public ImportOrigin? ImportedFrom { get; }
}
