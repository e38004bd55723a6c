using Orders.Application.Ports.Outbound;

namespace Orders.Application.Outbox;

/// <summary>What one relay pass did: how many events it published and how old the oldest of them was.</summary>
/// <param name="Relayed">Events published and checkpointed; 0 means the relay is caught up.</param>
/// <param name="OldestAge">
/// How long the oldest event of the batch waited between its commit and this pass (the relay's lag, measured on the
/// events themselves, so it needs no extra read); null when nothing was relayed.
/// </param>
public sealed record RelayReport(int Relayed, TimeSpan? OldestAge)
{
    public static RelayReport Idle { get; } = new(0, null);
}

/// <summary>
/// Publishes committed order events (the outbox: the change log) to the outside world, as the named change-log
/// consumer <see cref="Consumer"/>.
/// <para>
/// One pass reads a batch, hands all of it to <see cref="IEventPublisher"/> in change-log order (which is commit
/// order within each order), and only then commits the checkpoint. If publishing throws, nothing is committed and the
/// next pass reads and publishes the same events again: delivery is at least once, and the duplicates are absorbed
/// downstream because each message id is the event id (Service Bus duplicate detection, then idempotent consumers).
/// </para>
/// <para>
/// Passes must not overlap (one relay per change log): the function app runs it from one timer trigger, the local
/// host from one loop. An event the publisher can never publish (no public mapping, larger than a message may be)
/// stops the relay at that event, visibly and without skipping it, until the code is fixed.
/// </para>
/// </summary>
public sealed class OutboxRelay(IOrderChangeLog changeLog, IEventPublisher publisher, TimeProvider? time = null)
{
    public const string Consumer = "relay";

    private readonly IOrderChangeLog _changeLog = changeLog ?? throw new ArgumentNullException(nameof(changeLog));
    private readonly IEventPublisher _publisher = publisher ?? throw new ArgumentNullException(nameof(publisher));
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Relays at most <paramref name="maxEvents"/> events; returns how many were relayed (0: caught up).</summary>
    public async Task<int> RunOnceAsync(int maxEvents, CancellationToken cancellationToken = default) =>
        (await RelayOnceAsync(maxEvents, cancellationToken).ConfigureAwait(false)).Relayed;

    /// <summary>Relays at most <paramref name="maxEvents"/> events and reports how far behind the relay was.</summary>
    public async Task<RelayReport> RelayOnceAsync(int maxEvents, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEvents);
        var batch = await _changeLog.ReadAsync(Consumer, maxEvents, cancellationToken).ConfigureAwait(false);
        if (batch.Events.Count == 0) return RelayReport.Idle;

        await _publisher.PublishAsync(batch.Events, cancellationToken).ConfigureAwait(false);
        // The checkpoint only moves past events that were published; a cancellation after publishing and before this
        // line republishes them next time, which duplicate detection absorbs.
        await _changeLog.CommitAsync(Consumer, batch.Checkpoint, cancellationToken).ConfigureAwait(false);

        var now = _time.GetUtcNow();
        foreach (var stored in batch.Events) Telemetry.OrdersTelemetry.RecordLag(Telemetry.OrdersTelemetry.RelayLag, stored.Entry.At, now);
        var oldest = batch.Events.Min(e => e.Entry.At);
        var age = now - oldest;
        return new RelayReport(batch.Events.Count, age < TimeSpan.Zero ? TimeSpan.Zero : age);
    }

    /// <summary>
    /// Runs passes of <paramref name="batchSize"/> until one relays less than a full batch (caught up) or
    /// <paramref name="maxBatches"/> passes have run (so one timer tick stays bounded). Returns the total relayed and
    /// the largest lag seen.
    /// </summary>
    public async Task<RelayReport> RunUntilCaughtUpAsync(int batchSize, int maxBatches, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatches);
        var total = 0;
        TimeSpan? lag = null;
        for (var i = 0; i < maxBatches; i++)
        {
            var report = await RelayOnceAsync(batchSize, cancellationToken).ConfigureAwait(false);
            total += report.Relayed;
            if (report.OldestAge is { } age && (lag is null || age > lag)) lag = age;
            if (report.Relayed < batchSize) break;
        }
        return new RelayReport(total, lag);
    }
}
