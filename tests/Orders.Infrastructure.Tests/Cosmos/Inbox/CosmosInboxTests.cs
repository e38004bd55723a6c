using System.Net;
using Microsoft.Azure.Cosmos;
using Moq;
using Orders.Infrastructure.Cosmos.Inbox;
using static Orders.Infrastructure.Tests.Cosmos.CosmosFakes;

namespace Orders.Infrastructure.Tests.Cosmos.Inbox;

/// <summary>What <see cref="CosmosInbox"/> sends to the leases container: ids, partition keys, TTL, and what a 404 or 409 means.</summary>
public sealed class CosmosInboxTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly Mock<Container> _leases = new(MockBehavior.Strict);

    private void Reads(string id, HttpStatusCode status) =>
        _leases.Setup(c => c.ReadItemStreamAsync(id, new PartitionKey(id), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => new ResponseMessage(status));

    [Fact]
    public async Task AnEventNotRecorded_WasNotHandled_AndOneRecorded_Was()
    {
        Reads("inbox:evt-1", HttpStatusCode.NotFound);
        Reads("inbox:evt-2", HttpStatusCode.OK);
        var inbox = new CosmosInbox(_leases.Object);

        Assert.False(await inbox.WasHandledAsync("evt-1"));
        Assert.True(await inbox.WasHandledAsync("evt-2"));
    }

    [Fact]
    public async Task AFailedRead_IsNotTakenForAnAnswer()
    {
        Reads("inbox:evt-1", HttpStatusCode.ServiceUnavailable);

        await Assert.ThrowsAsync<CosmosException>(() => new CosmosInbox(_leases.Object).WasHandledAsync("evt-1"));
    }

    [Fact]
    public async Task Recording_CreatesOneDocumentKeyedByItsId_ThatExpiresAfterTheRetention()
    {
        CosmosInboxDocument? written = null;
        _leases.Setup(c => c.CreateItemAsync(It.IsAny<CosmosInboxDocument>(), new PartitionKey("inbox:evt-1"),
                It.Is<ItemRequestOptions>(o => o.EnableContentResponseOnWrite == false && o.IfMatchEtag == null), It.IsAny<CancellationToken>()))
            .Callback((CosmosInboxDocument d, PartitionKey? _, ItemRequestOptions _, CancellationToken _) => written = d)
            .ReturnsAsync(Item<CosmosInboxDocument>(null!, "\"e\""));

        await new CosmosInbox(_leases.Object).MarkHandledAsync("evt-1", At);

        Assert.Equal(new CosmosInboxDocument("inbox:evt-1", "evt-1", "2026-03-01T09:00:00.0000000Z", 15 * 24 * 3600), written);
        Assert.Equal("inbox", written!.Type);
    }

    [Fact]
    public async Task RecordingAnEventAlreadyRecorded_IsFine_ButOtherFailuresAreNot()
    {
        _leases.Setup(c => c.CreateItemAsync(It.Is<CosmosInboxDocument>(d => d.EventId == "dup"), It.IsAny<PartitionKey?>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(Failed(HttpStatusCode.Conflict));
        _leases.Setup(c => c.CreateItemAsync(It.Is<CosmosInboxDocument>(d => d.EventId == "busy"), It.IsAny<PartitionKey?>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(Failed(HttpStatusCode.TooManyRequests));
        var inbox = new CosmosInbox(_leases.Object, TimeSpan.FromHours(1));

        await inbox.MarkHandledAsync("dup", At);
        var error = await Assert.ThrowsAsync<CosmosException>(() => inbox.MarkHandledAsync("busy", At));

        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a?b")]
    [InlineData("a#b")]
    [InlineData("a\tb")]
    public void AnEventIdCosmosCannotTake_IsStoredUnderItsHash(string eventId)
    {
        var id = CosmosInbox.DocumentId(eventId);

        Assert.StartsWith("inbox:sha256:", id, StringComparison.Ordinal);
        Assert.Equal(13 + 64, id.Length);
        Assert.NotEqual(CosmosInbox.DocumentId(eventId + "x"), id);
    }

    [Fact]
    public void OnlyIdsUpToTheLimit_AreKeptAsTheyAre()
    {
        Assert.Equal("inbox:" + new string('e', 200), CosmosInbox.DocumentId(new string('e', 200)));
        Assert.StartsWith("inbox:sha256:", CosmosInbox.DocumentId(new string('e', 201)), StringComparison.Ordinal);
        Assert.Equal("inbox:3f2a-11:x.y_z", CosmosInbox.DocumentId("3f2a-11:x.y_z"));
    }

    [Fact]
    public void ARetentionUnderASecond_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosmosInbox(_leases.Object, TimeSpan.FromMilliseconds(10)));
}
