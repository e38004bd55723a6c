using Orders.Application.Ports.Outbound;
using Orders.Domain.OrderAggregate;

namespace Orders.Application.ReadModels;

/// <summary>
/// Keeps the read models up to date from the change log, as the named consumer <see cref="DefaultConsumer"/>.
/// <para>
/// Idempotent per (order, sequence): the detail remembers the last sequence folded into it; an entry at or below it
/// is not folded again, an entry right after it is, and an entry further on is a gap (<see cref="ChangeLogGapException"/>).
/// The list and dashboard records are then rewritten from the detail's state by conditional puts, so a crash between
/// two writes, a redelivered batch or a replay from checkpoint zero all converge on the same views.
/// </para>
/// <para>
/// The checkpoint is committed only after every event of the batch is applied: a failure anywhere abandons the batch
/// and the next run reads it again (at-least-once, made exactly-once in effect by the above).
/// </para>
/// </summary>
public sealed class OrderProjector(IOrderChangeLog changeLog, IReadModelStore store, string consumer)
{
    public const string DefaultConsumer = "read-models";

    public OrderProjector(IOrderChangeLog changeLog, IReadModelStore store) : this(changeLog, store, DefaultConsumer) { }

    public string Consumer { get; } = string.IsNullOrWhiteSpace(consumer) ? throw new ArgumentException("A consumer needs a name.", nameof(consumer)) : consumer;

    /// <summary>
    /// Reads one batch of at most <paramref name="maxEvents"/> events, applies it and commits the checkpoint. Returns
    /// how many events were read (including ones already applied); 0 means the projection is caught up.
    /// <paramref name="now"/> does not enter the views, which depend only on the events so that every replay converges;
    /// lateness is judged when a dashboard is read.
    /// </summary>
    public async Task<int> RunOnceAsync(int maxEvents, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEvents);
        var batch = await changeLog.ReadAsync(Consumer, maxEvents, cancellationToken).ConfigureAwait(false);
        foreach (var stored in batch.Events)
        {
            await ApplyAsync(stored, cancellationToken).ConfigureAwait(false);
            Telemetry.OrdersTelemetry.RecordLag(Telemetry.OrdersTelemetry.ReadModelLag, stored.Entry.At, now);
        }
        if (batch.Events.Count > 0)
            await changeLog.CommitAsync(Consumer, batch.Checkpoint, cancellationToken).ConfigureAwait(false);
        return batch.Events.Count;
    }

    private async Task ApplyAsync(StoredEvent stored, CancellationToken cancellationToken)
    {
        var current = await store.GetDetailAsync(stored.OrderId, cancellationToken).ConfigureAwait(false);
        var applied = current?.Sequence ?? 0;

        // A later entry is already in, and applying it rewrote every view (if that was cut short, the later entry is
        // itself still ahead of the checkpoint and comes again).
        if (stored.Sequence < applied) return;
        if (stored.Sequence > applied + 1) throw new ChangeLogGapException(stored.OrderId, applied, stored.Sequence);

        Order order;
        if (stored.Sequence == applied + 1)
        {
            order = Order.FromHistory([.. current?.Entries ?? [], stored.Entry]);
            await store.PutDetailAsync(OrderProjection.Detail(order), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // Folded already, but a crash may have fallen before the views below were written: write them again
            // (the conditional puts make this a no-op when they were).
            order = Order.FromHistory(current!.Entries);
        }

        await store.PutBuyerItemAsync(OrderProjection.ListItem(order), cancellationToken).ConfigureAwait(false);
        foreach (var record in OrderProjection.SellerRecords(order))
            await store.PutSellerItemAsync(record, cancellationToken).ConfigureAwait(false);
    }
}
