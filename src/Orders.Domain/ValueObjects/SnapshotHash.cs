using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using Orders.Domain.Common;

namespace Orders.Domain.ValueObjects;

/// <summary>
/// SHA-256 over the canonical, versioned serialisation of an item snapshot (<see cref="OrderItem.CanonicalForm"/>),
/// written <c>sha256:v1:&lt;64 lower-case hex digits&gt;</c>. The version is part of the value so that a future
/// canonical form can coexist with stored v1 hashes. A golden-value test pins v1.
/// </summary>
[JsonConverter(typeof(StringIdConverter<SnapshotHash>))]
public sealed record SnapshotHash : IStringId<SnapshotHash>
{
    public const string Prefix = "sha256:v1:";

    private SnapshotHash(string value)
    {
        if (value is null || value.Length != Prefix.Length + 64 || !value.StartsWith(Prefix, StringComparison.Ordinal)
            || !value.AsSpan(Prefix.Length).ContainsOnlyHexLowerCase())
            throw new DomainException("snapshot-hash.invalid", $"A snapshot hash looks like '{Prefix}' followed by 64 lower-case hex digits.");
        Value = value;
    }

    public string Value { get; }

    public static SnapshotHash From(string value) => new(value);

    public static SnapshotHash Compute(string canonicalForm) =>
        new(Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalForm))));

    public override string ToString() => Value;
}

internal static class SpanHex
{
    public static bool ContainsOnlyHexLowerCase(this ReadOnlySpan<char> span)
    {
        foreach (var c in span)
            if (!(char.IsAsciiDigit(c) || c is >= 'a' and <= 'f')) return false;
        return true;
    }
}
