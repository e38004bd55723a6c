using Orders.Infrastructure.Sqlite;

namespace Orders.ReadModels.Tests;

/// <summary>What the SQLite stores keep of their own last saves: exact versions only, newest kept, bounded.</summary>
public sealed class LastSavedTests
{
    private sealed record Saved(string Key, long Version, string Text);

    private static LastSaved<Saved> Kept(int capacity = 3) => new(s => s.Key, s => s.Version, capacity);

    [Fact]
    public void AValue_IsGivenOnlyAtTheVersionItWasSavedAt()
    {
        var kept = Kept();
        kept.Saved(new Saved("o1", 2, "two"));

        Assert.Equal("two", kept.At("o1", 2)?.Text);
        Assert.Null(kept.At("o1", 1));
        Assert.Null(kept.At("o1", 3));
        Assert.Null(kept.At("o2", 2));
    }

    [Fact]
    public void ANewerSave_ReplacesTheKeptValue_AnOlderOneDoesNot()
    {
        var kept = Kept();
        kept.Saved(new Saved("o1", 2, "two"));
        kept.Saved(new Saved("o1", 3, "three"));
        kept.Saved(new Saved("o1", 1, "one, late"));

        Assert.Equal("three", kept.At("o1", 3)?.Text);
        Assert.Null(kept.At("o1", 2));
        Assert.Null(kept.At("o1", 1));
        Assert.Equal(1, kept.Count);
    }

    [Fact]
    public void PastItsCapacity_TheFirstSavedKeysAreDropped()
    {
        var kept = Kept(capacity: 3);
        foreach (var key in new[] { "a", "b", "c" }) kept.Saved(new Saved(key, 1, key));
        kept.Saved(new Saved("a", 2, "a again")); // a newer version of a kept key takes no new place
        kept.Saved(new Saved("d", 1, "d"));

        Assert.Equal(3, kept.Count);
        Assert.Null(kept.At("a", 2));
        Assert.Equal("b", kept.At("b", 1)?.Text);
        Assert.Equal("d", kept.At("d", 1)?.Text);
        Assert.Throws<ArgumentOutOfRangeException>(() => Kept(capacity: 0));
    }
}
