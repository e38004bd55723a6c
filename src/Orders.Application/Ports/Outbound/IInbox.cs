namespace Orders.Application.Ports.Outbound;

/// <summary>
/// Remembers which inbound integration events were handled, so a redelivered message is recognised and ignored, and
/// keeps the answers that arrived before the fact they depend on (a payment capture before the order's confirmation
/// is recorded, a courier's cash report before the shipment) until that fact is recorded, however long it takes.
/// Handled is recorded after handling: a crash in between means the event is handled again, which every handler
/// tolerates. A parked answer is removed only after it has been handled, so a crash never loses it either.
/// </summary>
public interface IInbox
{
    Task<bool> WasHandledAsync(string eventId, CancellationToken cancellationToken = default);

    Task MarkHandledAsync(string eventId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Keeps an answer that cannot apply yet. Parking the same event again changes nothing.</summary>
    Task ParkAsync(ParkedAnswer answer, CancellationToken cancellationToken = default);

    /// <summary>The answers parked for one order, oldest first.</summary>
    Task<IReadOnlyList<ParkedAnswer>> ParkedForAsync(string orderId, CancellationToken cancellationToken = default);

    /// <summary>Forgets a parked answer once it has been handled. Unknown ids change nothing.</summary>
    Task UnparkAsync(string orderId, string eventId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The payment capture kept for an order, or null: one that came before the order could take it (before its
    /// confirmation, or for an order cancelled meanwhile), or that it could not record.
    /// </summary>
    async Task<ParkedAnswer?> KeptCaptureAsync(string orderId, CancellationToken cancellationToken = default) =>
        (await ParkedForAsync(orderId, cancellationToken).ConfigureAwait(false)).FirstOrDefault(p => p.Type == Contracts.Integration.InboundEventTypes.PaymentCaptured);
}

/// <summary>
/// An inbound integration event kept until it can apply: its CloudEvents id, type and time, its <c>data</c> as the
/// contract's JSON, when and why it was parked.
/// </summary>
public sealed record ParkedAnswer(string EventId, string OrderId, string Type, DateTimeOffset Time, string DataJson, DateTimeOffset ParkedAt, string Reason);
