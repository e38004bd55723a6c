using System.Net;
using Microsoft.Azure.Cosmos;
using Orders.Application.Ports.Outbound;
using Orders.Domain.ValueObjects;
using Orders.Application.Persistence;

namespace Orders.Infrastructure.Cosmos;

/// <summary>
/// <see cref="IOrderChangeLog"/> over the Cosmos DB change feed, pull model, latest-version mode, one continuation per
/// feed range (physical partition). Event documents are immutable, so latest-version mode loses none of them; order
/// documents and idempotency records pass through the feed and are skipped.
/// <para>
/// Ordering: Cosmos DB orders the change feed within a feed range only. Every document of an order lives in one
/// logical partition, hence one range, so an order's events always arrive in sequence; events of different orders
/// in different ranges have no common order (the embedded store's global order is stronger than this contract
/// needs). The documents one transactional batch wrote share an LSN and are never split across pages, so a read may
/// return up to one batch's events (at most 99) beyond <c>maxEvents</c>.
/// </para>
/// <para>
/// Checkpoints: a <see cref="ChangeFeedCheckpoint"/> (per range: token and highest <c>_lsn</c> seen), stored in the
/// leases container as document id = consumer name, field <c>continuation</c>. A commit merges range by range and
/// never moves a range back; it is an ETag-guarded create-or-replace, retried on a lost race.
/// </para>
/// </summary>
public sealed partial class CosmosOrderStore
{
    private const int MaxCommitAttempts = 10;

    public async Task<ChangeBatch> ReadAsync(string consumer, int maxEvents, CancellationToken cancellationToken = default)
    {
        var lease = await ReadLeaseAsync(consumer, cancellationToken).ConfigureAwait(false);
        var start = lease is null ? await InitialCheckpointAsync(cancellationToken).ConfigureAwait(false) : ChangeFeedCheckpoint.Parse(lease.Continuation);
        var positions = start.Ranges.ToArray();
        var caughtUp = new bool[positions.Length];
        var events = new List<StoredEvent>();

        // Two passes: first each range gets a fair share of maxEvents (so one busy range cannot starve the others),
        // then whatever is left goes to ranges that still have changes.
        var fairShare = positions.Length == 0 ? 0 : Math.Max(1, (maxEvents + positions.Length - 1) / positions.Length);
        for (var pass = 0; pass < 2 && events.Count < maxEvents; pass++)
        {
            for (var i = 0; i < positions.Length && events.Count < maxEvents; i++)
            {
                if (caughtUp[i]) continue;
                var budget = pass == 0 ? Math.Min(fairShare, maxEvents - events.Count) : maxEvents - events.Count;
                (positions[i], caughtUp[i]) = await ReadRangeAsync(positions[i], budget, events, cancellationToken).ConfigureAwait(false);
            }
        }
        return new ChangeBatch(events, new ChangeFeedCheckpoint(positions).ToString());
    }

    public async Task CommitAsync(string consumer, string checkpoint, CancellationToken cancellationToken = default)
    {
        var incoming = ChangeFeedCheckpoint.Parse(checkpoint);
        for (var attempt = 1; ; attempt++)
        {
            var lease = await ReadLeaseAsync(consumer, cancellationToken).ConfigureAwait(false);
            var current = lease is null ? null : ChangeFeedCheckpoint.Parse(lease.Continuation);
            var merged = current is null ? incoming : current.Merge(incoming);
            if (current is not null && merged.SameAs(current)) return;

            var document = new CosmosLeaseDocument(consumer, merged.ToString());
            try
            {
                if (lease is null)
                    await _leases.CreateItemAsync(document, new PartitionKey(consumer), cancellationToken: cancellationToken).ConfigureAwait(false);
                else
                    await _leases.ReplaceItemAsync(document, consumer, new PartitionKey(consumer),
                        new ItemRequestOptions { IfMatchEtag = lease.ETag }, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (CosmosException e) when (e.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed && attempt < MaxCommitAttempts)
            {
                // Another instance of the consumer committed in between: merge with what it wrote and try again.
            }
        }
    }

    /// <summary>Reads one range until <paramref name="budget"/> events are collected or the range has nothing new.</summary>
    private async Task<(ChangeFeedPosition Position, bool CaughtUp)> ReadRangeAsync(ChangeFeedPosition position, int budget,
        List<StoredEvent> events, CancellationToken cancellationToken)
    {
        var target = events.Count + budget;
        while (events.Count < target)
        {
            var from = position.Continuation is null
                ? ChangeFeedStartFrom.Beginning(FeedRange.FromJsonString(position.Range))
                : ChangeFeedStartFrom.ContinuationToken(position.Continuation);
            using var iterator = _orders.GetChangeFeedIterator<CosmosFeedDocument>(from, ChangeFeedMode.LatestVersion,
                new ChangeFeedRequestOptions { PageSizeHint = target - events.Count });
            var page = await iterator.ReadNextAsync(cancellationToken).ConfigureAwait(false);
            // 304: nothing new since this position; it stays exactly as it was.
            if (page.StatusCode == HttpStatusCode.NotModified) return (position, true);

            var lsn = position.Lsn;
            var found = new List<(long Lsn, StoredEvent Event)>();
            foreach (var document in page)
            {
                lsn = Math.Max(lsn, document.Lsn);
                if (document.Type != CosmosEventDocument.Kind) continue;
                // An event document without its order or entry is damage, not noise: stop rather than skip history.
                if (document is not { OrderId: { } orderId, Entry: { } entry })
                    throw new InvalidOperationException($"Event document {document.Id} has no orderId or entry.");
                found.Add((document.Lsn, new StoredEvent(OrderId.From(orderId), StoredJson.ReadEntry(entry))));
            }
            // Pages come in LSN order; one batch's documents share an LSN (and an order), so sequence breaks the tie.
            events.AddRange(found.OrderBy(f => f.Lsn).ThenBy(f => f.Event.Sequence).Select(f => f.Event));
            position = position with { Continuation = page.ContinuationToken ?? position.Continuation, Lsn = lsn };
            if (page.Count == 0) return (position, true);
        }
        return (position, false);
    }

    private async Task<ChangeFeedCheckpoint> InitialCheckpointAsync(CancellationToken cancellationToken)
    {
        var ranges = await _orders.GetFeedRangesAsync(cancellationToken).ConfigureAwait(false);
        return new ChangeFeedCheckpoint([.. ranges.Select(r => new ChangeFeedPosition(r.ToJsonString(), null, 0))]);
    }

    private async Task<CosmosLeaseDocument?> ReadLeaseAsync(string consumer, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        if (consumer.IndexOfAny(['/', '\\', '?', '#']) >= 0 || consumer.Length > 255)
            throw new ArgumentException("A consumer name is a Cosmos DB id: at most 255 characters without '/', '\\', '?' or '#'.", nameof(consumer));
        var response = await ReadAsync<CosmosLeaseDocument>(_leases, consumer, new PartitionKey(consumer), cancellationToken).ConfigureAwait(false);
        return response?.Resource is not { } lease ? null : lease with { ETag = response.ETag ?? lease.ETag };
    }
}
