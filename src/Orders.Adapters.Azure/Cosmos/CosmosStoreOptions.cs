using Orders.Domain.OrderAggregate;

namespace Orders.Infrastructure.Cosmos;

/// <summary>
/// Where the Cosmos DB store lives. Binds from the <c>CosmosDb</c> configuration section (<c>CosmosDb__Endpoint</c>,
/// <c>CosmosDb__Database</c>, <c>CosmosDb__OrdersContainer</c>, <c>CosmosDb__LeasesContainer</c> in
/// local.settings.sample.json); other keys of that section belong to other adapters and are ignored.
/// </summary>
public sealed record CosmosStoreOptions
{
    /// <summary>The account endpoint, e.g. <c>https://orders-prod.documents.azure.com:443/</c>.</summary>
    public string? Endpoint { get; init; }

    /// <summary>
    /// An account key: for the emulator only. Without it the client signs in with <c>DefaultAzureCredential</c>
    /// (managed identity in Azure; the account has local authentication disabled).
    /// </summary>
    public string? Key { get; init; }

    public string Database { get; init; } = "orders";

    public string OrdersContainer { get; init; } = "orders";

    public string LeasesContainer { get; init; } = "leases";

    /// <summary>
    /// How long an idempotency record outlives its <c>ExpiresAt</c> before Cosmos DB's TTL deletes it. Callers
    /// already treat an expired record as expired; the grace only covers clock skew between this process and the
    /// service, and keeps a record written with an <c>ExpiresAt</c> in the past (a replayed request) readable.
    /// </summary>
    public TimeSpan IdempotencyTtlGrace { get; init; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Test seam: runs after the transactional batch is built and before it is sent. Cosmos DB applies a batch
    /// atomically on the server, so the client-side window before <c>ExecuteAsync</c> is this store's "written but
    /// not committed": a throw here must leave nothing behind, and does, because nothing has been sent.
    /// </summary>
    public Action<Order>? BeforeCommit { get; init; }
}
