using Orders.Infrastructure.Durable;

namespace Orders.Durable.Tests;

/// <summary>The in-memory engine's index of instance ids: prefix reads as the store matches them, and drops only what the store no longer holds.</summary>
public sealed class InstanceIdIndexTests
{
    private static InstanceIdIndex With(params string[] ids)
    {
        var index = new InstanceIdIndex();
        foreach (var id in ids) index.Add(id);
        return index;
    }

    [Fact]
    public void APrefix_FindsTheIdsThatStartWithIt_IgnoringCase_InOrder_UpToTheMaximum()
    {
        var index = With("refund-o-1-b", "refund-o-1-a", "REFUND-O-1-C", "refund-o-10-a", "refund-o-2-a", "checkout-o-1");

        Assert.Equal(["refund-o-1-a", "refund-o-1-b", "REFUND-O-1-C"], index.StartingWith("refund-o-1-", 10));
        Assert.Equal(["refund-o-1-a", "refund-o-1-b", "REFUND-O-1-C", "refund-o-10-a"], index.StartingWith("Refund-O-1", 10));
        Assert.Equal(["refund-o-1-a", "refund-o-1-b"], index.StartingWith("refund-o-1-", 2));
        Assert.Empty(index.StartingWith("refund-o-3", 10));
        Assert.Throws<ArgumentException>(() => index.StartingWith("", 10));
    }

    [Fact]
    public void AnId_IsDroppedOnlyWhenTheStoreNoLongerHoldsIt()
    {
        var store = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "a-1", "a-2", "a-3" };
        var index = With("a-1", "a-2", "a-3");

        Assert.False(index.RemoveIfGone("a-1", store.Contains)); // still held (created again, say): kept
        store.Remove("a-1");
        Assert.True(index.RemoveIfGone("a-1", store.Contains));
        Assert.Equal(["a-2", "a-3"], index.StartingWith("a-", 10));

        store.Remove("a-3");
        Assert.Equal(1, index.Prune(store.Contains));
        Assert.Equal(["a-2"], index.StartingWith("a-", 10));
        Assert.Equal(1, index.Count);
    }
}
