using System.Text.Json;
using Azure.Core;
using Microsoft.Azure.Cosmos;
using Moq;
using Orders.Application.Idempotency;
using Orders.Domain.ValueObjects;
using Orders.Infrastructure.Cosmos;
using static Orders.Application.Tests.TestData;
using Orders.Application.Persistence;

namespace Orders.Infrastructure.Tests.Cosmos;

/// <summary>The stored shapes, the container definitions, the checkpoint format and the client the factory builds.</summary>
public sealed class CosmosSchemaTests
{
    private static string[] Names(object document) =>
        [.. JsonDocument.Parse(JsonSerializer.Serialize(document, CosmosJson.Options)).RootElement.EnumerateObject().Select(p => p.Name)];

    [Fact]
    public void TheOrderDocument_IsCamelCase_WithoutHistory_AndNeverWritesAnETag()
    {
        var order = NewOrder();
        order.Confirm("res-1", "auth-1", Context());

        var document = CosmosOrderStore.OrderDocument(order);

        Assert.Equal(["id", "orderId", "version", "status", "buyerId", "createdAt", "updatedAt", "paymentDueBy", "document", "type"], Names(document));
        Assert.Equal(0, document.Document.GetProperty("history").GetArrayLength());
        Assert.Equal("CONFIRMED", document.Document.GetProperty("status").GetString());
    }

    [Fact]
    public void TheOrderDocument_ReadsBackAsWritten()
    {
        var document = CosmosOrderStore.OrderDocument(NewOrder());
        var stored = JsonSerializer.SerializeToNode(document, CosmosJson.Options)!.AsObject();
        stored.Add("_rid", "abc");
        stored.Add("_ts", 1_700_000_000);
        stored.Add("_etag", "\"e\"");
        var json = stored.ToJsonString();

        var back = JsonSerializer.Deserialize<CosmosOrderDocument>(json, CosmosJson.Options)!;

        Assert.Equal((document.Id, document.Version, document.Status, document.CreatedAt, document.PaymentDueBy, "order", "\"e\""),
            (back.Id, back.Version, back.Status, back.CreatedAt, back.PaymentDueBy, back.Type, back.ETag));
        Assert.True(JsonElement.DeepEquals(document.Document, back.Document));
    }

    [Fact]
    public void ATypicalOrdersDocuments_StayWithinTheSizesTheCostModelAssumes()
    {
        // The README's RU estimates rest on these sizes (two line items, measured here): keep them honest.
        var order = NewOrder();
        order.Confirm("res-1", "auth-1", Context(T0.AddMinutes(1)));
        order.MarkPaid("pay-1", order.Total, Context(T0.AddMinutes(2)));
        int Size(object document) => JsonSerializer.SerializeToUtf8Bytes(document, CosmosJson.Options).Length;
        var record = new IdempotencyRecord(order.Id, "idem-" + new string('a', 40), new string('b', 64), "{\"orderId\":\"ord-1\",\"version\":3}", T0, T0.AddDays(1));

        Assert.InRange(Size(CosmosOrderStore.OrderDocument(order)), 1_000, 4_096);
        Assert.InRange(Size(CosmosOrderStore.EventDocument(order.Id, order.History[0])), 1_000, 4_096);
        Assert.All(order.History.Skip(1), e => Assert.InRange(Size(CosmosOrderStore.EventDocument(order.Id, e)), 300, 1_536));
        Assert.InRange(Size(CosmosOrderStore.IdempotencyDocument(record, T0, TimeSpan.FromDays(1))), 200, 1_024);
    }

    [Fact]
    public void AnEventDocument_KeepsTheEntryExactlyAsTheHashChainCoversIt()
    {
        var order = NewOrder();
        var document = CosmosOrderStore.EventDocument(order.Id, order.History[0]);
        var json = JsonSerializer.Serialize(document, CosmosJson.Options);

        var back = JsonSerializer.Deserialize<CosmosEventDocument>(json, CosmosJson.Options)!;

        Assert.Equal(["id", "orderId", "sequence", "eventType", "at", "entry", "type"], Names(document));
        Assert.Equal(("ord-1:0000000001", 1L, order.History[0].Event.Type), (back.Id, back.Sequence, back.EventType));
        Assert.Equal(order.History[0], StoredJson.ReadEntry(back.Entry));
        Assert.Equal(order.History[0].Hash, StoredJson.ReadEntry(back.Entry).ComputeHash());
    }

    [Fact]
    public void DocumentsFromTheService_ReadDespiteItsSystemProperties()
    {
        const string Json = """{"id":"relay","continuation":"[]","_rid":"x","_self":"y","_etag":"\"e\"","_attachments":"a/","_ts":1700000000}""";

        var lease = JsonSerializer.Deserialize<CosmosLeaseDocument>(Json, CosmosJson.Options)!;

        Assert.Equal(new CosmosLeaseDocument("relay", "[]") { ETag = "\"e\"" }, lease);
    }

    [Fact]
    public void AnIdempotencyRecord_RoundTripsItsInstantsExactly_AndItsIdCannotBeTheOrders()
    {
        var record = new IdempotencyRecord(OrderId.From("ord-1"), "ord-1", "h", "{}", T0.AddTicks(1234567), T0.AddHours(24).ToOffset(TimeSpan.FromHours(2)));

        var document = CosmosOrderStore.IdempotencyDocument(record, T0, TimeSpan.Zero);

        Assert.Equal("idempotency:ord-1", document.Id);
        Assert.Equal(record.CreatedAt, CosmosJson.ParseInstant(document.CreatedAt));
        Assert.Equal(record.ExpiresAt, CosmosJson.ParseInstant(document.ExpiresAt));
        Assert.Equal("2026-01-02T12:00:00.0000000Z", document.ExpiresAt);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a?b")]
    [InlineData("a#b")]
    [InlineData("a\\b")]
    public void ARecordIdCosmosCannotStore_IsRefused(string recordId) =>
        Assert.Throws<ArgumentException>(() => CosmosOrderStore.IdempotencyId(recordId));

    [Fact]
    public void StoredInstants_SortAsStringsInTimeOrder()
    {
        DateTimeOffset[] instants = [T0.AddYears(-3), T0.AddTicks(-1), T0, T0.AddTicks(1), T0.AddDays(400), T0.ToOffset(TimeSpan.FromHours(-8)).AddHours(1)];

        var sorted = instants.Select(CosmosJson.Instant).Order(StringComparer.Ordinal).Select(CosmosJson.ParseInstant);

        Assert.Equal(instants.Order(), sorted);
    }

    [Fact]
    public void TheOrdersContainer_IsPartitionedByOrder_IndexesOnlyQueriedPaths_AndHonoursPerItemTtl()
    {
        var container = CosmosContainers.Orders("orders");

        Assert.Equal("/orderId", container.PartitionKeyPath);
        Assert.Equal(-1, container.DefaultTimeToLive);
        Assert.Equal(["/buyerId/?", "/createdAt/?", "/expiresAt/?", "/orderId/?", "/sequence/?", "/status/?", "/type/?"],
            container.IndexingPolicy.IncludedPaths.Select(p => p.Path).Order(StringComparer.Ordinal));
        Assert.Equal(["/*"], container.IndexingPolicy.ExcludedPaths.Select(p => p.Path));
        var composite = Assert.Single(container.IndexingPolicy.CompositeIndexes);
        Assert.Equal([("/createdAt", CompositePathSortOrder.Ascending), ("/orderId", CompositePathSortOrder.Ascending)], composite.Select(p => (p.Path, p.Order)));
    }

    [Fact]
    public void TheLeasesContainer_IsPartitionedById_IndexesNothing_AndHonoursPerItemTtl()
    {
        var container = CosmosContainers.Leases("leases");

        Assert.Equal("/id", container.PartitionKeyPath);
        Assert.Empty(container.IndexingPolicy.IncludedPaths);
        Assert.Equal(["/*"], container.IndexingPolicy.ExcludedPaths.Select(p => p.Path));
        Assert.Equal(-1, container.DefaultTimeToLive);
    }

    [Fact]
    public void ACheckpoint_MergesRangeByRange_AndNeverMovesOneBack()
    {
        var stored = new ChangeFeedCheckpoint([new("r1", "t-9", 9), new("r2", null, 0)]);
        var incoming = new ChangeFeedCheckpoint([new("r1", "t-5", 5), new("r2", "t-3", 3), new("r3", "t-1", 1)]);

        var merged = stored.Merge(incoming);

        Assert.Equal([new("r1", "t-9", 9), new("r2", "t-3", 3), new ChangeFeedPosition("r3", "t-1", 1)], merged.Ranges);
        Assert.True(merged.Merge(stored).SameAs(merged));
        Assert.Equal(merged, ChangeFeedCheckpoint.Parse(merged.ToString()), new CheckpointComparer());
    }

    [Theory]
    [InlineData("42")]
    [InlineData("[{\"continuation\":\"t\",\"lsn\":1}]")]
    [InlineData("not json")]
    public void ACheckpointFromAnotherStore_IsRefused(string checkpoint) =>
        Assert.ThrowsAny<Exception>(() => ChangeFeedCheckpoint.Parse(checkpoint));

    [Fact]
    public void TheClient_UsesSystemTextJsonWithTheDocumentOptions()
    {
        var options = CosmosClientFactory.ClientOptions(new Uri("https://orders.documents.azure.com:443/"), usesKey: false);

        Assert.Same(CosmosJson.Options, options.UseSystemTextJsonSerializerWithOptions);
        Assert.Equal(ConnectionMode.Direct, options.ConnectionMode);
        Assert.Null(options.ServerCertificateCustomValidationCallback);
    }

    [Fact]
    public void TheEmulator_IsReachedThroughItsGateway_AndOnlyALoopbackEndpointSkipsCertificateChecks()
    {
        var emulator = CosmosClientFactory.ClientOptions(new Uri("https://localhost:8081"), usesKey: true);
        var keyedRemote = CosmosClientFactory.ClientOptions(new Uri("https://orders.documents.azure.com:443/"), usesKey: true);

        Assert.Equal((ConnectionMode.Gateway, true), (emulator.ConnectionMode, emulator.LimitToEndpoint));
        Assert.NotNull(emulator.ServerCertificateCustomValidationCallback);
        Assert.Null(keyedRemote.ServerCertificateCustomValidationCallback);
    }

    [Fact]
    public void WithoutAKey_TheClientSignsInWithTheGivenCredential()
    {
        var credential = new Mock<TokenCredential>(MockBehavior.Strict).Object;

        using var client = CosmosClientFactory.Create(new CosmosStoreOptions { Endpoint = "https://orders.documents.azure.com:443/" }, credential);

        Assert.Equal(new Uri("https://orders.documents.azure.com:443/"), client.Endpoint);
        Assert.Same(CosmosJson.Options, client.ClientOptions.UseSystemTextJsonSerializerWithOptions);
    }

    [Fact]
    public void WithoutAnEndpoint_TheFactorySaysWhatIsMissing()
    {
        var error = Assert.Throws<InvalidOperationException>(() => CosmosClientFactory.Create(new CosmosStoreOptions()));
        Assert.Contains("CosmosDb:Endpoint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDefaults_AreTheSampleSettings()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "local.settings.sample.json"))) folder = folder.Parent;
        Assert.NotNull(folder);
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.FullName, "local.settings.sample.json")));
        var values = sample.RootElement.GetProperty("Values");
        var options = new CosmosStoreOptions();

        Assert.Equal(values.GetProperty("CosmosDb__Database").GetString(), options.Database);
        Assert.Equal(values.GetProperty("CosmosDb__OrdersContainer").GetString(), options.OrdersContainer);
        Assert.Equal(values.GetProperty("CosmosDb__LeasesContainer").GetString(), options.LeasesContainer);
    }

    private sealed class CheckpointComparer : IEqualityComparer<ChangeFeedCheckpoint>
    {
        public bool Equals(ChangeFeedCheckpoint? x, ChangeFeedCheckpoint? y) => x is not null && y is not null && x.SameAs(y);

        public int GetHashCode(ChangeFeedCheckpoint obj) => obj.Ranges.Count;
    }
}
