using Microsoft.Azure.Cosmos;

namespace Orders.Infrastructure.Cosmos;

/// <summary>
/// How the store reads what it decides on (decision 0042). The account stays at <b>Session</b> consistency, and every
/// read that a decision or an answer "as it is now" rests on asks for <see cref="ReadConsistencyStrategy.LatestCommitted"/>:
/// a quorum read that returns the latest version committed in the region, whichever instance wrote it. Session alone
/// does not give that across instances: each <see cref="CosmosClient"/> is its own session, and a read without the
/// writer's session token may be served by a replica that has not applied the write yet (known defect 11).
/// <para>
/// Reads with it: the order document and its events (loads, state reads, GET), idempotency records, the inbox and
/// parked answers, change-feed leases, the read models' point reads (the projector folds onto what it reads, so a
/// stale read would write a view that lies) and the stuck-order log, its list included. Reads without it (the
/// account's Session, one replica, half the RU): the read models' list and dashboard queries, documented as eventually
/// consistent, the jobs' cross-partition candidate queries, whose every candidate is loaded again before anything is
/// done to it, and the change feed.
/// </para>
/// <para>
/// A quorum read costs about twice a single-replica read (the RU model in this folder's README counts it). With one
/// region "latest committed in the region" is the latest acknowledged write; an account with read regions would need
/// <see cref="ReadConsistencyStrategy.LastCommittedSingleWriteRegion"/> here (the decision record says so).
/// </para>
/// </summary>
public static class CosmosReads
{
    /// <summary>The strategy of every deciding read.</summary>
    public const ReadConsistencyStrategy Deciding = ReadConsistencyStrategy.LatestCommitted;

    /// <summary>Options of a point read the store decides on (new each time: the SDK's options are mutable).</summary>
    public static ItemRequestOptions Latest() => new() { ReadConsistencyStrategy = Deciding };

    /// <summary>Options of a single-partition query the store decides on.</summary>
    public static QueryRequestOptions LatestIn(PartitionKey partitionKey) => new() { PartitionKey = partitionKey, ReadConsistencyStrategy = Deciding };
}
