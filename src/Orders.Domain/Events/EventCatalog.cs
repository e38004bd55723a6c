using System.Text.Json.Nodes;

namespace Orders.Domain.Events;

/// <summary>
/// Which record each stored event type decodes to, at which schema version events of that type are written today,
/// and how an event stored at an older version is upcast, one version at a time, to today's shape before it is
/// decoded. Upcasting changes what the code reads, never what is stored: the hash chain covers the stored bytes, so
/// an old entry verifies forever whatever the records look like now.
/// <para>
/// Changing an event: an added member with a default (an optional field) needs nothing — older entries simply lack it.
/// A renamed, removed or re-typed member raises the type's version and adds an upcaster from the previous version.
/// </para>
/// </summary>
public sealed class EventCatalog
{
    private readonly Dictionary<string, Registration> _types;

    public EventCatalog(IEnumerable<Registration> registrations)
    {
        ArgumentNullException.ThrowIfNull(registrations);
        _types = registrations.ToDictionary(r => r.TypeName, StringComparer.Ordinal);
    }

    /// <summary>Today's events, every one at schema version 1.</summary>
    public static EventCatalog Current { get; } = new(
    [
        Registration.Of<OrderCreated>(OrderCreated.TypeName),
        Registration.Of<OrderConfirmed>(OrderConfirmed.TypeName),
        Registration.Of<OrderCancelled>(OrderCancelled.TypeName),
        Registration.Of<OrderPaid>(OrderPaid.TypeName),
        Registration.Of<OrderShipped>(OrderShipped.TypeName),
        Registration.Of<OrderDelivered>(OrderDelivered.TypeName),
        Registration.Of<CashOnDeliveryCollected>(CashOnDeliveryCollected.TypeName),
        Registration.Of<RefundRequested>(RefundRequested.TypeName),
        Registration.Of<OrderRefunded>(OrderRefunded.TypeName),
        Registration.Of<OrderClosed>(OrderClosed.TypeName),
        Registration.Of<OrderSplit>(OrderSplit.TypeName),
        Registration.Of<ShippingAddressChanged>(ShippingAddressChanged.TypeName),
        Registration.Of<OperatorResolution>(OperatorResolution.TypeName),
    ]);

    public IReadOnlyCollection<Registration> Types => _types.Values;

    /// <summary>This catalog with one type's registration replaced (or added): how a new version is introduced.</summary>
    public EventCatalog With(Registration registration) =>
        new(_types.Values.Where(r => r.TypeName != registration.TypeName).Append(registration));

    public Registration For(string typeName) =>
        _types.TryGetValue(typeName, out var registration) ? registration
            : throw new Common.DomainException("history.unknown-event", $"Unknown event type '{typeName}'.");

    public Registration For(OrderEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var registration = For(@event.Type);
        return registration.ClrType == @event.GetType() ? registration
            : throw new InvalidOperationException($"Event type '{@event.Type}' is registered as {registration.ClrType.Name}, not {@event.GetType().Name}.");
    }

    /// <summary>
    /// One event type: its record, the version written today, and the upcasters: <c>Upcasters[v]</c> turns the
    /// members of a version-<c>v</c> event into version <c>v + 1</c>.
    /// </summary>
    public sealed record Registration(string TypeName, Type ClrType, int Version, IReadOnlyDictionary<int, Func<JsonObject, JsonObject>> Upcasters)
    {
        public static Registration Of<T>(string typeName) where T : OrderEvent => new(typeName, typeof(T), 1, new Dictionary<int, Func<JsonObject, JsonObject>>());

        /// <summary>The members of a stored event, brought from <paramref name="storedVersion"/> to <see cref="Version"/>.</summary>
        public JsonObject Upcast(JsonObject members, int storedVersion)
        {
            ArgumentNullException.ThrowIfNull(members);
            if (storedVersion < 1 || storedVersion > Version)
                throw new Common.DomainException("history.unknown-event-version",
                    $"Event type '{TypeName}' is stored at schema version {storedVersion}; this code reads versions 1 to {Version}.");
            for (var v = storedVersion; v < Version; v++)
            {
                if (!Upcasters.TryGetValue(v, out var upcast))
                    throw new Common.DomainException("history.no-upcaster", $"Event type '{TypeName}' has no upcaster from version {v}.");
                members = upcast(members);
            }
            return members;
        }
    }
}
