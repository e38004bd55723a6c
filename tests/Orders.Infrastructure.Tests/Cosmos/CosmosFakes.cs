using System.Net;
using System.Reflection;
using Microsoft.Azure.Cosmos;
using Moq;

namespace Orders.Infrastructure.Tests.Cosmos;

/// <summary>Moq'd Cosmos SDK objects: the SDK's response types have protected constructors and virtual members.</summary>
internal static class CosmosFakes
{
    /// <summary>A real feed range (an effective partition key range: the whole key space).</summary>
    public const string WholeRange = """{"Range":{"min":"","max":"FF"}}""";

    public static Mock<TransactionalBatch> Batch(TransactionalBatchResponse response)
    {
        var batch = new Mock<TransactionalBatch>(MockBehavior.Strict);
        batch.Setup(b => b.CreateItem(It.IsAny<It.IsAnyType>(), It.IsAny<TransactionalBatchItemRequestOptions>())).Returns(() => batch.Object);
        batch.Setup(b => b.ReplaceItem(It.IsAny<string>(), It.IsAny<It.IsAnyType>(), It.IsAny<TransactionalBatchItemRequestOptions>())).Returns(() => batch.Object);
        batch.Setup(b => b.UpsertItem(It.IsAny<It.IsAnyType>(), It.IsAny<TransactionalBatchItemRequestOptions>())).Returns(() => batch.Object);
        batch.Setup(b => b.ExecuteAsync(It.IsAny<CancellationToken>())).ReturnsAsync(response);
        return batch;
    }

    /// <summary>A batch's answer; <paramref name="etags"/> are the operations' ETags, in order.</summary>
    public static TransactionalBatchResponse BatchResponse(HttpStatusCode status, params string[] etags)
    {
        var results = etags.Select(etag =>
        {
            var result = new Mock<TransactionalBatchOperationResult>();
            result.SetupGet(r => r.ETag).Returns(etag);
            result.SetupGet(r => r.StatusCode).Returns(status);
            return result.Object;
        }).ToArray();
        var response = new Mock<TransactionalBatchResponse>();
        response.SetupGet(r => r.StatusCode).Returns(status);
        response.SetupGet(r => r.IsSuccessStatusCode).Returns((int)status is >= 200 and < 300);
        response.SetupGet(r => r.ErrorMessage).Returns((int)status is >= 200 and < 300 ? null! : "refused");
        response.SetupGet(r => r.Count).Returns(results.Length);
        response.Setup(r => r[It.IsAny<int>()]).Returns((int i) => results[i]);
        return response.Object;
    }

    public static ItemResponse<T> Item<T>(T resource, string etag)
    {
        var response = new Mock<ItemResponse<T>>();
        response.SetupGet(r => r.Resource).Returns(resource);
        response.SetupGet(r => r.ETag).Returns(etag);
        response.SetupGet(r => r.StatusCode).Returns(HttpStatusCode.OK);
        return response.Object;
    }

    public static CosmosException NotFound() => new("not found", HttpStatusCode.NotFound, 0, "activity", 1);

    public static CosmosException Failed(HttpStatusCode status) => new("refused", status, 0, "activity", 1);

    public static FeedResponse<T> Page<T>(HttpStatusCode status, string? continuation, params T[] items)
    {
        var page = new Mock<FeedResponse<T>>();
        page.SetupGet(p => p.StatusCode).Returns(status);
        page.SetupGet(p => p.ContinuationToken).Returns(continuation!);
        page.SetupGet(p => p.Count).Returns(items.Length);
        page.SetupGet(p => p.Resource).Returns(items);
        page.Setup(p => p.GetEnumerator()).Returns(() => ((IEnumerable<T>)items).GetEnumerator());
        return page.Object;
    }

    /// <summary>An iterator over the given pages, in order; it reports more results until they are used up.</summary>
    public static FeedIterator<T> Iterator<T>(params FeedResponse<T>[] pages)
    {
        var queue = new Queue<FeedResponse<T>>(pages);
        var iterator = new Mock<FeedIterator<T>>();
        iterator.SetupGet(i => i.HasMoreResults).Returns(() => queue.Count > 0);
        iterator.Setup(i => i.ReadNextAsync(It.IsAny<CancellationToken>())).ReturnsAsync(() => queue.Dequeue());
        return iterator.Object;
    }

    /// <summary>
    /// Where a <see cref="ChangeFeedStartFrom"/> starts: "beginning", or the continuation token it resumes from. The
    /// SDK keeps both in non-public types; tests read them to check which position the store asked for, and fail
    /// loudly if the SDK's shape changes.
    /// </summary>
    public static string StartOf(ChangeFeedStartFrom from)
    {
        ArgumentNullException.ThrowIfNull(from);
        var type = from.GetType();
        if (type.Name == "ChangeFeedStartFromBeginning") return "beginning";
        var property = type.GetProperty("Continuation", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
        return property?.GetValue(from) as string ?? throw new InvalidOperationException($"Unknown start: {type.FullName}.");
    }

    /// <summary>The feed range a <see cref="ChangeFeedStartFrom"/> covers (also a non-public member), as JSON.</summary>
    public static string? RangeOf(ChangeFeedStartFrom from)
    {
        ArgumentNullException.ThrowIfNull(from);
        var property = typeof(ChangeFeedStartFrom).GetProperty("FeedRange", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
        return (property?.GetValue(from) as FeedRange)?.ToJsonString();
    }

    public static IEnumerable<IInvocation> Operations(this Mock<TransactionalBatch> batch) =>
        batch.Invocations.Where(i => i.Method.Name is "CreateItem" or "ReplaceItem" or "UpsertItem" or "PatchItem" or "DeleteItem");
}
