using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Azure.Cosmos;
using Moq;
using Orders.Application;
using Orders.Application.ReadModels;
using Orders.Application.Views;
using Orders.Domain.ValueObjects;
using Orders.Infrastructure.Cosmos;
using Orders.Infrastructure.Cosmos.ReadModels;
using static Orders.Application.Tests.TestData;
using static Orders.Infrastructure.Tests.Cosmos.CosmosFakes;

namespace Orders.Infrastructure.Tests.Cosmos.ReadModels;

/// <summary>
/// What <see cref="CosmosReadModelStore"/> sends to Cosmos DB, over strict Moq'd containers: the partition keys, the
/// ETag conditions, what a lost race does, and the exact query texts, parameters and options.
/// </summary>
public sealed partial class CosmosReadModelStoreTests
{
    private static readonly BuyerId Buyer = BuyerId.From("buyer-1");
    private static readonly SellerId SellerA = SellerId.From("seller-a");

    private readonly Mock<Container> _container = new(MockBehavior.Strict);

    private CosmosReadModelStore Store(ReadModelOptions? options = null) => new(_container.Object, options);

    private static OrderListItem ListItem(string id = "ord-1", long version = 2, OrderStatus status = OrderStatus.Confirmed, DateTimeOffset? created = null) =>
        new(OrderId.From(id), Buyer, [SellerA], status, OrderType.Prepaid, Money.Of(3000, Currency.USD), 3, created ?? T0, T0.AddMinutes(1), version);

    private static SellerOrderRecord SellerRecord(long version = 2, DateTimeOffset? readySince = null) =>
        new(SellerA, ListItem(version: version), Money.Of(2500, Currency.USD), readySince);

    private static OrderDetailRecord Detail()
    {
        var order = NewOrder();
        order.Confirm("res-1", "auth-1", Context(T0.AddMinutes(1)));
        return new OrderDetailRecord(OrderView.From(order), order.History);
    }

    private void Stored<T>(string id, string partition, T document, string etag) =>
        _container.Setup(c => c.ReadItemAsync<T>(id, new PartitionKey(partition), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Item(document, etag));

    private void Missing<T>(string id, string partition) =>
        _container.Setup(c => c.ReadItemAsync<T>(id, new PartitionKey(partition), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(NotFound());

    // ----- Puts ----------------------------------------------------------------------------------------------------

    [Fact]
    public async Task AFirstDetail_IsCreatedInTheOrdersPartition()
    {
        var detail = Detail();
        Missing<CosmosOrderDetailDocument>("ord-1", "order:ord-1");
        CosmosOrderDetailDocument? written = null;
        _container.Setup(c => c.CreateItemAsync(It.IsAny<CosmosOrderDetailDocument>(), new PartitionKey("order:ord-1"),
                It.Is<ItemRequestOptions>(o => o.IfMatchEtag == null && o.EnableContentResponseOnWrite == false), It.IsAny<CancellationToken>()))
            .Callback((CosmosOrderDetailDocument d, PartitionKey? _, ItemRequestOptions _, CancellationToken _) => written = d)
            .ReturnsAsync(Item<CosmosOrderDetailDocument>(null!, "\"e1\""));

        Assert.True(await Store().PutDetailAsync(detail));

        Assert.NotNull(written);
        Assert.Equal(("ord-1", "order:ord-1", "ord-1", 2L, "order-detail"), (written.Id, written.PartitionKey, written.OrderId, written.Sequence, written.Type));
        Assert.Equal(ApplicationJson.Serialize(detail.View), written.View);
        Assert.Equal(detail.Entries.Select(e => e.Hash), CosmosReadModelStore.DetailRecord(written).Entries.Select(e => e.Hash));
    }

    [Fact]
    public async Task ANewerBuyerItem_ReplacesTheStoredOne_UnderItsETag()
    {
        var older = CosmosReadModelStore.BuyerDocument(ListItem(version: 1));
        Stored("ord-1", "buyer:buyer-1", older, "\"e1\"");
        _container.Setup(c => c.ReplaceItemAsync(It.Is<CosmosBuyerOrderDocument>(d => d.Version == 2 && d.PartitionKey == "buyer:buyer-1" && d.Status == "CONFIRMED"),
                "ord-1", new PartitionKey("buyer:buyer-1"),
                It.Is<ItemRequestOptions>(o => o.IfMatchEtag == "\"e1\"" && o.EnableContentResponseOnWrite == false), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Item<CosmosBuyerOrderDocument>(null!, "\"e2\""));

        Assert.True(await Store().PutBuyerItemAsync(ListItem(version: 2)));

        _container.Verify(c => c.ReplaceItemAsync(It.IsAny<CosmosBuyerOrderDocument>(), It.IsAny<string>(), It.IsAny<PartitionKey?>(),
            It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task ASellerItemNoNewerThanTheStoredOne_WritesNothing(long stored)
    {
        Stored("ord-1", "seller:seller-a", CosmosReadModelStore.SellerDocument(SellerRecord(version: stored)), "\"e1\"");

        Assert.False(await Store().PutSellerItemAsync(SellerRecord(version: 2)));

        // Strict mock: any create or replace would have thrown.
        Assert.Single(_container.Invocations);
    }

    [Fact]
    public async Task ALostReplace_ReadsAgain_AndStopsWhenTheWinnerIsNewer()
    {
        _container.SetupSequence(c => c.ReadItemAsync<CosmosBuyerOrderDocument>("ord-1", new PartitionKey("buyer:buyer-1"), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Item(CosmosReadModelStore.BuyerDocument(ListItem(version: 1)), "\"e1\""))
            .ReturnsAsync(Item(CosmosReadModelStore.BuyerDocument(ListItem(version: 3)), "\"e3\""));
        _container.Setup(c => c.ReplaceItemAsync(It.IsAny<CosmosBuyerOrderDocument>(), "ord-1", new PartitionKey("buyer:buyer-1"),
                It.Is<ItemRequestOptions>(o => o.IfMatchEtag == "\"e1\""), It.IsAny<CancellationToken>()))
            .ThrowsAsync(Failed(HttpStatusCode.PreconditionFailed));

        Assert.False(await Store().PutBuyerItemAsync(ListItem(version: 2)));

        Assert.Equal(3, _container.Invocations.Count); // read, refused replace, read
    }

    [Fact]
    public async Task ALostCreate_ReadsAgain_AndReplacesAnOlderWinnerUnderItsETag()
    {
        _container.SetupSequence(c => c.ReadItemAsync<CosmosSellerOrderDocument>("ord-1", new PartitionKey("seller:seller-a"), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(NotFound())
            .ReturnsAsync(Item(CosmosReadModelStore.SellerDocument(SellerRecord(version: 1)), "\"e1\""));
        _container.Setup(c => c.CreateItemAsync(It.IsAny<CosmosSellerOrderDocument>(), new PartitionKey("seller:seller-a"), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(Failed(HttpStatusCode.Conflict));
        _container.Setup(c => c.ReplaceItemAsync(It.Is<CosmosSellerOrderDocument>(d => d.Version == 2), "ord-1", new PartitionKey("seller:seller-a"),
                It.Is<ItemRequestOptions>(o => o.IfMatchEtag == "\"e1\""), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Item<CosmosSellerOrderDocument>(null!, "\"e2\""));

        Assert.True(await Store().PutSellerItemAsync(SellerRecord(version: 2)));
    }

    [Fact]
    public async Task APutThatKeepsLosing_GivesUpAfterItsAttempts_WithTheLastRefusalInside()
    {
        var reads = 0;
        _container.Setup(c => c.ReadItemAsync<CosmosBuyerOrderDocument>("ord-1", new PartitionKey("buyer:buyer-1"), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => Item(CosmosReadModelStore.BuyerDocument(ListItem(version: 1)), $"\"e{++reads}\""));
        _container.Setup(c => c.ReplaceItemAsync(It.IsAny<CosmosBuyerOrderDocument>(), "ord-1", new PartitionKey("buyer:buyer-1"), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(Failed(HttpStatusCode.PreconditionFailed));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Store().PutBuyerItemAsync(ListItem(version: 2)));

        Assert.Equal(CosmosReadModelStore.MaxWriteAttempts, reads);
        Assert.Equal(HttpStatusCode.PreconditionFailed, Assert.IsType<CosmosException>(error.InnerException).StatusCode);
        Assert.Contains("buyer:buyer-1", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.Forbidden)]
    public async Task AnyOtherFailure_IsNotARace_AndPropagatesAtOnce(HttpStatusCode status)
    {
        Missing<CosmosBuyerOrderDocument>("ord-1", "buyer:buyer-1");
        _container.Setup(c => c.CreateItemAsync(It.IsAny<CosmosBuyerOrderDocument>(), It.IsAny<PartitionKey?>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(Failed(status));

        var error = await Assert.ThrowsAsync<CosmosException>(() => Store().PutBuyerItemAsync(ListItem()));

        Assert.Equal(status, error.StatusCode);
        Assert.Equal(2, _container.Invocations.Count);
    }

    [Fact]
    public async Task AnotherWriterBetweenReadAndWrite_IsDetectedByTheETag_InTheFake()
    {
        var fake = CosmosReadModelConformanceTests.Container();
        var store = new CosmosReadModelStore(fake.Object);
        await store.PutBuyerItemAsync(ListItem(version: 1));
        // Between this put's read and its replace, a newer projection lands.
        fake.BeforeNextWrite = () => store.PutBuyerItemAsync(ListItem(version: 5, status: OrderStatus.Paid)).GetAwaiter().GetResult();

        Assert.False(await store.PutBuyerItemAsync(ListItem(version: 3)));

        Assert.Equal(5, (await store.GetBuyerItemAsync(Buyer, OrderId.From("ord-1")))?.Version);
    }

    // ----- Reads ---------------------------------------------------------------------------------------------------

    [Fact]
    public async Task ReadsArePointReads_InThePartitionOfTheirReader()
    {
        Missing<CosmosOrderDetailDocument>("ord-1", "order:ord-1");
        Missing<CosmosBuyerOrderDocument>("ord-1", "buyer:buyer-1");
        Stored("ord-1", "seller:seller-a", CosmosReadModelStore.SellerDocument(SellerRecord(readySince: T0.AddMinutes(2))), "\"e\"");
        var store = Store();

        Assert.Null(await store.GetDetailAsync(OrderId.From("ord-1")));
        Assert.Null(await store.GetOrderDetailAsync(OrderId.From("ord-1")));
        Assert.Null(await store.GetBuyerItemAsync(Buyer, OrderId.From("ord-1")));
        var seller = await store.GetSellerItemAsync(SellerA, OrderId.From("ord-1"));

        Assert.Equal(SellerRecord(readySince: T0.AddMinutes(2)) with { Item = seller!.Item }, seller);
        Assert.Equal(ApplicationJson.Serialize(ListItem()), ApplicationJson.Serialize(seller.Item));
    }

    // ----- Queries -------------------------------------------------------------------------------------------------

    [Fact]
    public async Task AListPage_IsOneQueryInTheBuyersPartition_NewestFirst_OneMoreThanThePage()
    {
        var fake = CosmosReadModelConformanceTests.Container();

        await new CosmosReadModelStore(fake.Object).ListBuyerOrdersAsync(Buyer, null, 20, null);

        var (text, parameters, options) = Assert.Single(fake.Queries);
        Assert.Equal("SELECT TOP @take VALUE c.item FROM c WHERE c.type = @type ORDER BY c.createdAt DESC, c.orderId ASC", text);
        Assert.Equal([("@take", (object)21), ("@type", "buyer-order")], parameters);
        Assert.Equal(new PartitionKey("buyer:buyer-1"), options.PartitionKey);
        Assert.Equal(21, options.MaxItemCount);
    }

    [Fact]
    public async Task ANextPageOfASellersListByStatus_ResumesAfterTheTokensKey()
    {
        var fake = CosmosReadModelConformanceTests.Container();
        var token = ReadModelPaging.Encode(new ListKey(T0.AddTicks(1234567).UtcTicks, "ord-7"));

        await new CosmosReadModelStore(fake.Object).ListSellerOrdersAsync(SellerA, OrderStatus.Paid, 5, token);

        var (text, parameters, options) = Assert.Single(fake.Queries);
        Assert.Equal("SELECT TOP @take VALUE c.item FROM c WHERE c.type = @type AND c.status IN (@status, @statusLegacy)" +
                     " AND (c.createdAt < @afterCreatedAt OR (c.createdAt = @afterCreatedAt AND c.orderId > @afterOrderId))" +
                     " ORDER BY c.createdAt DESC, c.orderId ASC", text);
        Assert.Equal([("@take", (object)6), ("@type", "seller-order"), ("@status", "PAID"), ("@statusLegacy", "Paid"),
            ("@afterCreatedAt", "2026-01-01T12:00:00.1234567Z"), ("@afterOrderId", "ord-7")], parameters);
        Assert.Equal(new PartitionKey("seller:seller-a"), options.PartitionKey);
    }

    [Fact]
    public async Task TheDashboard_IsThreeQueriesInTheSellersPartition()
    {
        var fake = CosmosReadModelConformanceTests.Container();
        var now = T0.AddDays(3);

        await new CosmosReadModelStore(fake.Object, new ReadModelOptions { ShippingServiceLevel = TimeSpan.FromHours(10), MaxAwaitingShipments = 7 })
            .GetSellerDashboardAsync(SellerA, now);

        Assert.Equal(3, fake.Queries.Count);
        Assert.All(fake.Queries, q => Assert.Equal(new PartitionKey("seller:seller-a"), q.Options.PartitionKey));
        Assert.Equal("SELECT c.status, c.currency, COUNT(1) AS orders, SUM(c.valueMinor) AS valueMinor FROM c WHERE c.type = @type GROUP BY c.status, c.currency",
            fake.Queries[0].Text);
        Assert.Equal([("@type", (object)"seller-order")], fake.Queries[0].Parameters);
        Assert.Equal("SELECT TOP @max c.orderId, c.version, c.readySince FROM c WHERE c.type = @type AND IS_DEFINED(c.readySince) ORDER BY c.readySince ASC, c.orderId ASC",
            fake.Queries[1].Text);
        Assert.Equal([("@max", (object)7), ("@type", "seller-order")], fake.Queries[1].Parameters);
        Assert.Equal("SELECT VALUE COUNT(1) FROM c WHERE c.type = @type AND c.readySince < @lateBefore", fake.Queries[2].Text);
        Assert.Equal([("@type", (object)"seller-order"), ("@lateBefore", "2026-01-04T02:00:00.0000000Z")], fake.Queries[2].Parameters);
    }

    [Fact]
    public async Task DashboardTotals_ThatComeBackAsFractions_AreRefused()
    {
        _container.Setup(c => c.GetItemQueryIterator<CosmosSellerTotalRow>(It.IsAny<QueryDefinition>(), It.IsAny<string>(), It.IsAny<QueryRequestOptions>()))
            .Returns(Iterator(Page(HttpStatusCode.OK, null, new CosmosSellerTotalRow("PAID", "USD", 2, 1500.5m))));
        _container.Setup(c => c.GetItemQueryIterator<CosmosAwaitingRow>(It.IsAny<QueryDefinition>(), It.IsAny<string>(), It.IsAny<QueryRequestOptions>()))
            .Returns(Iterator(Page<CosmosAwaitingRow>(HttpStatusCode.OK, null)));
        _container.Setup(c => c.GetItemQueryIterator<long>(It.IsAny<QueryDefinition>(), It.IsAny<string>(), It.IsAny<QueryRequestOptions>()))
            .Returns(Iterator(Page(HttpStatusCode.OK, null, 0L)));

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store().GetSellerDashboardAsync(SellerA, T0));
    }

    [Fact]
    public void TheTotalsRow_ReadsASumWrittenAsADouble()
    {
        var row = JsonSerializer.Deserialize<CosmosSellerTotalRow>("""{"status":"PAID","currency":"USD","orders":2,"valueMinor":3000.0}""", CosmosJson.Options)!;

        Assert.Equal(3000m, row.ValueMinor);
    }

    // ----- Shapes and indexes --------------------------------------------------------------------------------------

    [Fact]
    public void TheStoredShapes_AreCamelCase_AndAnOrderNotWaitingHasNoReadySinceAtAll()
    {
        static string[] Names(object document) =>
            [.. JsonDocument.Parse(JsonSerializer.Serialize(document, CosmosJson.Options)).RootElement.EnumerateObject().Select(p => p.Name)];

        Assert.Equal(["id", "partitionKey", "orderId", "sequence", "view", "entries", "type"], Names(CosmosReadModelStore.DetailDocument(Detail())));
        Assert.Equal(["id", "partitionKey", "orderId", "buyerId", "version", "status", "createdAt", "item", "type"],
            Names(CosmosReadModelStore.BuyerDocument(ListItem())));
        Assert.Equal(["id", "partitionKey", "orderId", "sellerId", "version", "status", "createdAt", "currency", "valueMinor", "item", "type"],
            Names(CosmosReadModelStore.SellerDocument(SellerRecord())));
        Assert.Contains("readySince", Names(CosmosReadModelStore.SellerDocument(SellerRecord(readySince: T0))));
    }

    /// <summary>Every query text the read-model store and the stuck-order log send.</summary>
    public static TheoryData<string> QueryTexts() =>
    [
        CosmosReadModelStore.ListQuery("buyer-order", OrderStatus.Paid, new ListKey(1, "o"), 2).QueryText,
        CosmosReadModelStore.TotalsQuery,
        CosmosReadModelStore.AwaitingQuery,
        CosmosReadModelStore.LateQuery,
        CosmosStuckOrderLog.ListQuery,
    ];

    [Theory, MemberData(nameof(QueryTexts))]
    public void EveryPathAQueryFiltersOrSortsOn_IsIndexed_AndEachMultiPropertySortHasItsCompositeIndex(string query)
    {
        // The filter: from WHERE to GROUP BY or ORDER BY (grouping needs no index; sorting is checked below).
        var where = query.Contains(" WHERE ", StringComparison.Ordinal) ? query[query.IndexOf(" WHERE ", StringComparison.Ordinal)..] : "";
        foreach (var clause in new[] { " GROUP BY ", " ORDER BY " })
            if (where.Contains(clause, StringComparison.Ordinal)) where = where[..where.IndexOf(clause, StringComparison.Ordinal)];
        var paths = Path().Matches(where).Select(m => $"/{m.Groups[1].Value}/?").Distinct();

        Assert.All(paths, p => Assert.Contains(p, CosmosReadModelContainer.IncludedPaths));
        var orderBy = query.Contains("ORDER BY", StringComparison.Ordinal) ? query[(query.IndexOf("ORDER BY", StringComparison.Ordinal) + 8)..] : null;
        if (orderBy is null) return;
        var sort = orderBy.Split(',').Select(s => s.Trim().Split(' ')).Select(s =>
            ("/" + s[0]["c.".Length..], s.Length > 1 && s[1] == "DESC" ? CompositePathSortOrder.Descending : CompositePathSortOrder.Ascending)).ToArray();
        Assert.Contains(CosmosReadModelContainer.CompositeIndexes, c => c.SequenceEqual(sort));
    }

    [Fact]
    public void TheContainerDefinition_IsPartitionedByPartitionKey_AndIndexesOnlyThosePaths()
    {
        var properties = CosmosReadModelContainer.Properties("read-models");

        Assert.Equal("/partitionKey", properties.PartitionKeyPath);
        Assert.Equal(["/*"], properties.IndexingPolicy.ExcludedPaths.Select(p => p.Path));
        Assert.Equal(CosmosReadModelContainer.IncludedPaths, properties.IndexingPolicy.IncludedPaths.Select(p => p.Path));
        Assert.Equal(3, properties.IndexingPolicy.CompositeIndexes.Count);
        Assert.Equal([("/createdAt", CompositePathSortOrder.Descending), ("/orderId", CompositePathSortOrder.Ascending)],
            properties.IndexingPolicy.CompositeIndexes[0].Select(p => (p.Path, p.Order)));
    }

    [GeneratedRegex(@"\bc\.([A-Za-z_]+)")]
    private static partial Regex Path();
}
