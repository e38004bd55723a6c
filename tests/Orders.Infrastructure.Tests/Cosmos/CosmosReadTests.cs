using System.Net;
using Microsoft.Azure.Cosmos;
using Moq;
using Orders.Domain.ValueObjects;
using Orders.Infrastructure.Cosmos;
using static Orders.Application.Tests.TestData;
using static Orders.Infrastructure.Tests.Cosmos.CosmosFakes;

namespace Orders.Infrastructure.Tests.Cosmos;

/// <summary>Loads, idempotency look-ups, the jobs' status query and the purge: the requests sent and what comes back.</summary>
public sealed class CosmosReadTests
{
    [Fact]
    public async Task Load_ReadsTheEventsOfTheOrdersPartitionBySequence_AndRebuildsTheOrder()
    {
        var stored = NewOrder();
        stored.Confirm("res-1", "auth-1", Context(T0.AddMinutes(1)));
        var rig = new StoreRig().Holds(stored, "\"e\"");

        var loaded = await rig.Store().LoadAsync(stored.Id);

        Assert.NotNull(loaded);
        Assert.Equal((OrderStatus.Confirmed, 2L, 2L), (loaded.Status, loaded.Version, loaded.PersistedVersion));
        Assert.Equal(stored.History.Select(h => h.Hash), loaded.History.Select(h => h.Hash));
        Assert.True(loaded.VerifyHistory().IsIntact);
        var (query, options) = Assert.Single(rig.EventQueries);
        Assert.Equal("SELECT * FROM c WHERE c.type = 'event' ORDER BY c.sequence", query.QueryText);
        Assert.Equal(new PartitionKey("ord-1"), options.PartitionKey);
    }

    [Fact]
    public async Task Load_OfAnUnknownOrder_IsNull_WithoutAQuery()
    {
        var rig = new StoreRig().Lacks("nope");

        Assert.Null(await rig.Store().LoadAsync(OrderId.From("nope")));
        Assert.Empty(rig.EventQueries);
    }

    [Fact]
    public async Task AnIdempotencyRecord_IsAPointReadInTheOrdersPartition()
    {
        var rig = new StoreRig();
        var document = CosmosOrderStore.IdempotencyDocument(new(OrderId.From("ord-1"), "idem-1", "hash", "{\"ok\":true}", T0, T0.AddHours(24)), T0, TimeSpan.Zero);
        rig.Orders.Setup(c => c.ReadItemAsync<CosmosIdempotencyDocument>("idempotency:idem-1", new PartitionKey("ord-1"), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Item(document, "\"r\""));
        rig.Orders.Setup(c => c.ReadItemAsync<CosmosIdempotencyDocument>("idempotency:idem-2", new PartitionKey("ord-1"), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(NotFound());
        var store = rig.Store();

        var found = await store.FindIdempotencyRecordAsync(OrderId.From("ord-1"), "idem-1");

        Assert.Equal(new Application.Idempotency.IdempotencyRecord(OrderId.From("ord-1"), "idem-1", "hash", "{\"ok\":true}", T0, T0.AddHours(24)), found);
        Assert.Null(await store.FindIdempotencyRecordAsync(OrderId.From("ord-1"), "idem-2"));
    }

    [Fact]
    public void AnIdempotencyDocument_KeepsWhetherItsAnswerChangedNothing_AndOneWrittenBeforeItReadsAsChanged()
    {
        var record = new Application.Idempotency.IdempotencyRecord(OrderId.From("ord-1"), "idem-1", "hash", "{\"ok\":true}", T0, T0.AddHours(24), Unchanged: true);

        var json = System.Text.Json.JsonSerializer.Serialize(CosmosOrderStore.IdempotencyDocument(record, T0, TimeSpan.Zero), CosmosJson.Options);
        var older = System.Text.Json.JsonSerializer.Serialize(CosmosOrderStore.IdempotencyDocument(record with { Unchanged = false }, T0, TimeSpan.Zero), CosmosJson.Options);

        Assert.True(System.Text.Json.JsonSerializer.Deserialize<CosmosIdempotencyDocument>(json, CosmosJson.Options)!.Unchanged);
        Assert.DoesNotContain("unchanged", older, StringComparison.Ordinal); // as documents written before the field
        Assert.False(System.Text.Json.JsonSerializer.Deserialize<CosmosIdempotencyDocument>(older, CosmosJson.Options)!.Unchanged);
    }

    [Fact]
    public async Task FindByStatus_AsksForTheOrderDocumentsInThoseStatuses_OldestFirst_AtMostMax()
    {
        var rig = new StoreRig();
        QueryDefinition? sent = null;
        var row = new CosmosOrderSummaryRow("ord-a", "CREATED", 1, CosmosJson.Instant(T0), CosmosJson.Instant(T0.AddMinutes(2)), CosmosJson.Instant(T0.AddMinutes(30)));
        rig.Orders.Setup(c => c.GetItemQueryIterator<CosmosOrderSummaryRow>(It.IsAny<QueryDefinition>(), It.IsAny<string>(), It.IsAny<QueryRequestOptions>()))
            .Callback((QueryDefinition q, string _, QueryRequestOptions _) => sent = q)
            .Returns(Iterator(Page(HttpStatusCode.OK, "more", row, row with { OrderId = "ord-b" }), Page(HttpStatusCode.OK, null, row with { OrderId = "ord-c" })));

        var found = await rig.Store().FindByStatusAsync([OrderStatus.Created, OrderStatus.Cancelled], 2);

        Assert.Equal(["ord-a", "ord-b"], found.Select(o => o.OrderId.Value));
        Assert.Equal(new Application.Ports.Outbound.OrderSummary(OrderId.From("ord-a"), OrderStatus.Created, 1, T0, T0.AddMinutes(2), T0.AddMinutes(30)), found[0]);
        Assert.NotNull(sent);
        // Both spellings of each status: documents written before the one spelling say "Created".
        Assert.Contains("c.type = 'order' AND c.status IN (@s0, @s1, @s2, @s3)", sent.QueryText, StringComparison.Ordinal);
        Assert.Contains("ORDER BY c.createdAt, c.orderId", sent.QueryText, StringComparison.Ordinal);
        Assert.Equal([("@max", (object)2), ("@s0", "CREATED"), ("@s1", "Created"), ("@s2", "CANCELLED"), ("@s3", "Cancelled")],
            sent.GetQueryParameters().Select(p => (p.Name, p.Value)));
    }

    [Fact]
    public async Task ThePurge_DeletesTheExpiredRecordsItFound_EachOnlyIfUnchanged_AndCountsWhatItDeleted()
    {
        var rig = new StoreRig();
        QueryDefinition? sent = null;
        rig.Orders.Setup(c => c.GetItemQueryIterator<CosmosExpiredRecordRow>(It.IsAny<QueryDefinition>(), It.IsAny<string>(), It.IsAny<QueryRequestOptions>()))
            .Callback((QueryDefinition q, string _, QueryRequestOptions _) => sent = q)
            .Returns(Iterator(Page(HttpStatusCode.OK, null,
                new CosmosExpiredRecordRow("idempotency:a", "ord-1", "\"ea\""), new CosmosExpiredRecordRow("idempotency:b", "ord-2", "\"eb\""))));
        var conditions = new List<(string Id, PartitionKey Key, string? IfMatch)>();
        rig.Orders.Setup(c => c.DeleteItemStreamAsync(It.IsAny<string>(), It.IsAny<PartitionKey>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .Callback((string id, PartitionKey key, ItemRequestOptions options, CancellationToken _) => conditions.Add((id, key, options.IfMatchEtag)))
            .ReturnsAsync((string id, PartitionKey _, ItemRequestOptions _, CancellationToken _) =>
                new ResponseMessage(id == "idempotency:a" ? HttpStatusCode.NoContent : HttpStatusCode.PreconditionFailed));

        var purged = await rig.Store().PurgeExpiredIdempotencyRecordsAsync(T0.AddHours(24), 10);

        Assert.Equal(1, purged);
        Assert.Equal([("idempotency:a", new PartitionKey("ord-1"), (string?)"\"ea\""), ("idempotency:b", new PartitionKey("ord-2"), "\"eb\"")], conditions);
        Assert.NotNull(sent);
        Assert.Contains("c.type = 'idempotency' AND c.expiresAt <= @now", sent.QueryText, StringComparison.Ordinal);
        Assert.Contains(sent.GetQueryParameters(), p => p.Name == "@now" && (string)p.Value == "2026-01-02T12:00:00.0000000Z");
    }
}
