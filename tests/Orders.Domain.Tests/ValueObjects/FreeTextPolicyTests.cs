using Orders.Domain.Common;
using Orders.Domain.ValueObjects;

namespace Orders.Domain.Tests.ValueObjects;

/// <summary>The free-text policy (README "Free text"): refused characters are named, never stripped.</summary>
public sealed class FreeTextPolicyTests
{
    [Theory]
    [InlineData("a\u0000b", 1)]
    [InlineData("\u001B[31mred", 0)]
    [InlineData("tab\there", 3)]
    [InlineData("two\nlines", 3)]
    [InlineData("del\u007F", 3)]
    [InlineData("c1\u0085", 2)]
    [InlineData("abc\u202Eevil", 3)]
    [InlineData("\u2066isolate\u2069", 0)]
    [InlineData("bom\uFEFF", 3)]
    [InlineData("non\uFDD0char", 3)]
    [InlineData("non\uFFFF", 3)]
    [InlineData("plane1 non-character \U0001FFFE", 21)]
    public void RefusedCharacters_AreFoundAtTheirPosition(string text, int position) =>
        Assert.Equal(position, FreeText.FirstRefused(text));

    [Fact]
    public void UnpairedSurrogates_AreRefused()
    {
        // Built in code: attribute arguments cannot carry unpaired surrogates intact.
        Assert.Equal(4, FreeText.FirstRefused(new string(['l', 'o', 'n', 'e', '\uD800'])));
        Assert.Equal(4, FreeText.FirstRefused(new string(['l', 'o', 'n', 'e', '\uDC00', 'x'])));
        Assert.Equal(1, FreeText.FirstRefused(new string(['a', '\uD800', 'b'])));
        Assert.Null(FreeText.FirstRefused("pair \U0001F600"));
    }

    [Theory]
    [InlineData("Ada Lovelace")]
    [InlineData("Straße 5, 1. OG")]
    [InlineData("שלום\u200F עולם")]
    [InlineData("مرحبا\u061C")]
    [InlineData("👩‍👩‍👧 family")]
    [InlineData("zero\u200Cwidth\u200Bspace")]
    public void OrdinaryTextInAnyScript_IsAccepted(string text) =>
        Assert.Null(FreeText.FirstRefused(text));

    [Fact]
    public void AnAddressWithABidiOverride_IsRefusedWithTheFieldsCode()
    {
        var refused = Assert.Throws<DomainException>(() => new ShippingAddress("Ada \u202ELovelace", "1 Way", null, "London", "N1", "GB"));

        Assert.Equal("recipient.invalid-characters", refused.Code);
        Assert.Contains("U+202E", refused.Message, StringComparison.Ordinal);
    }
}
