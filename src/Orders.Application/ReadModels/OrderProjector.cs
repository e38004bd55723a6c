using Orders.Application.Ports.Outbound;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;

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
    /// <para>
    /// The batch is folded per order: one read of each order's detail, every entry of the batch folded onto it, one
    /// write of its views (issue 14: one read and one write per order and batch, where there were one read and three
    /// or more writes per event). The rules per entry are unchanged (see the class). At a gap, what was folded before it
    /// is written, then the gap is thrown and nothing is committed.
    /// </para>
    /// </summary>
    public async Task<int> RunOnceAsync(int maxEvents, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEvents);
        var batch = await changeLog.ReadAsync(Consumer, maxEvents, cancellationToken).ConfigureAwait(false);
        if (batch.Events.Count == 0) return 0;

        var ids = batch.Events.Select(e => e.OrderId).Distinct().ToArray();
        var details = await store.GetDetailsAsync(ids, cancellationToken).ConfigureAwait(false);
        var folds = new Dictionary<OrderId, Fold>(ids.Length);
        ChangeLogGapException? gap = null;
        var handled = 0;
        foreach (var stored in batch.Events)
        {
            if (!folds.TryGetValue(stored.OrderId, out var fold))
                folds[stored.OrderId] = fold = new Fold(details.TryGetValue(stored.OrderId, out var current) ? current.Entries : []);

            // A later entry is already in, and applying it rewrote every view (if that was cut short, the later entry
            // is itself still ahead of the checkpoint and comes again).
            if (stored.Sequence < fold.Applied) { handled++; continue; }
            if (stored.Sequence > fold.Applied + 1)
            {
                gap = new ChangeLogGapException(stored.OrderId, fold.Applied, stored.Sequence);
                break;
            }
            // The next entry is folded in; the entry last applied is not, but a crash may have fallen before the views
            // were written after it: they are written again (the conditional puts make this a no-op when they were).
            if (stored.Sequence == fold.Applied + 1)
            {
                fold.Entries.Add(stored.Entry);
                fold.DetailChanged = true;
            }
            fold.Touched = true;
            handled++;
        }

        var views = new List<OrderViews>(folds.Count);
        foreach (var fold in folds.Values.Where(f => f.Touched))
        {
            var order = Order.FromHistory(fold.Entries);
            views.Add(new OrderViews(fold.DetailChanged ? OrderProjection.Detail(order) : null,
                OrderProjection.ListItem(order), OrderProjection.SellerRecords(order)));
        }
        if (views.Count > 0) await store.PutViewsAsync(views, cancellationToken).ConfigureAwait(false);
        foreach (var stored in batch.Events.Take(handled))
            Telemetry.OrdersTelemetry.RecordLag(Telemetry.OrdersTelemetry.ReadModelLag, stored.Entry.At, now);
        if (gap is not null) throw gap;

        await changeLog.CommitAsync(Consumer, batch.Checkpoint, cancellationToken).ConfigureAwait(false);
        return batch.Events.Count;
    }

    /// <summary>One order's entries as the batch folds them.</summary>
    private sealed class Fold(IReadOnlyList<HistoryEntry> entries)
    {
        public List<HistoryEntry> Entries { get; } = [.. entries];

        public long Applied => OrderDetailRecord.LastSequence(Entries);

        public bool DetailChanged { get; set; }

        public bool Touched { get; set; }
    }
}
