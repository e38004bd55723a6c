using Orders.Application.ReadModels;

namespace Orders.ReadModels.Tests;

public sealed class ReadModelPagingTests
{
    [Fact]
    public void AToken_DecodesToTheKeyItWasMadeFrom()
    {
        var key = new ListKey(DateTimeOffset.MaxValue.UtcTicks, "order:with.every-allowed_char");

        Assert.Equal(key, ReadModelPaging.Decode(ReadModelPaging.Encode(key)));
    }

    [Fact]
    public void NoToken_IsTheFirstPage() => Assert.Null(ReadModelPaging.Decode(null));

    [Fact]
    public void ListOrder_IsNewestFirst_ThenByOrderId()
    {
        var newer = new ListKey(2, "z");
        var olderA = new ListKey(1, "a");
        var olderB = new ListKey(1, "b");

        Assert.True(ListKey.Compare(newer, olderA) < 0);
        Assert.True(ListKey.Compare(olderA, olderB) < 0);
        Assert.Equal(0, ListKey.Compare(olderB, olderB));
    }
}
