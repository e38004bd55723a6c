using Orders.Application.Persistence;

namespace Orders.Application.Tests.Persistence;

public sealed class DigestCacheTests
{
    private readonly List<string> _decoded = [];

    private object Decode(string text)
    {
        _decoded.Add(text);
        return new object();
    }

    [Fact]
    public void TheSameText_IsDecodedOnce_AndAnswersWithTheSameValue()
    {
        var cache = new DigestCache<object>(generationSize: 4);

        var first = cache.GetOrDecode("{\"hash\":\"ab\"}", Decode);
        var second = cache.GetOrDecode(new string("{\"hash\":\"ab\"}".AsSpan()), Decode);

        Assert.Same(first, second);
        Assert.Single(_decoded);
    }

    [Fact]
    public void ATextThatDiffersInOneCharacter_IsDecodedAfresh()
    {
        var cache = new DigestCache<object>(generationSize: 4);

        var stored = cache.GetOrDecode("{\"amount\":100}", Decode);
        var edited = cache.GetOrDecode("{\"amount\":900}", Decode);
        var reordered = cache.GetOrDecode("{\"amount\":001}", Decode);

        Assert.NotSame(stored, edited);
        Assert.NotSame(stored, reordered);
        Assert.Equal(["{\"amount\":100}", "{\"amount\":900}", "{\"amount\":001}"], _decoded);
    }

    [Fact]
    public void AnEntryReadAgainIsKept_OneNotReadForTwoGenerationsIsDecodedAgain()
    {
        var cache = new DigestCache<object>(generationSize: 2);
        cache.GetOrDecode("a", Decode);
        cache.GetOrDecode("b", Decode);
        cache.GetOrDecode("c", Decode); // a and b are now the old generation
        cache.GetOrDecode("a", Decode); // found there: moves to the young one (c, a)
        cache.GetOrDecode("d", Decode); // young full: (c, a) become old, b is dropped

        cache.GetOrDecode("a", Decode);
        cache.GetOrDecode("b", Decode);

        Assert.Equal(["a", "b", "c", "d", "b"], _decoded);
        Assert.True(cache.Count <= 4);
    }

    [Fact]
    public void TextsThatAnEncodingWouldMerge_AreDifferentKeys()
    {
        var cache = new DigestCache<object>(generationSize: 4);

        // UTF-8 turns a lone surrogate into U+FFFD: the digest is over the text's own UTF-16 units.
        var loneSurrogate = cache.GetOrDecode("{\"reason\":\"\uD800\"}", Decode);
        var replacement = cache.GetOrDecode("{\"reason\":\"\uFFFD\"}", Decode);

        Assert.NotSame(loneSurrogate, replacement);
        Assert.Equal(2, _decoded.Count);
    }

    [Fact]
    public void ALongText_IsKeyedLikeAShortOne()
    {
        var cache = new DigestCache<object>(generationSize: 4);
        var longText = new string('x', 10_000);

        var sameTextAnotherString = string.Concat(longText.AsSpan(0, 5_000), longText.AsSpan(5_000));
        Assert.NotSame(longText, sameTextAnotherString);
        Assert.Same(cache.GetOrDecode(longText, Decode), cache.GetOrDecode(sameTextAnotherString, Decode));
        Assert.NotSame(cache.GetOrDecode(longText, Decode), cache.GetOrDecode(longText + "y", Decode));
        Assert.Equal(2, _decoded.Count);
    }
}
