using System.Text.Json;
using Orders.Domain.Common;

namespace Orders.Application;

/// <summary>The JSON the application stores and answers with: the domain's shape (camelCase, exact money).</summary>
public static class ApplicationJson
{
    public static JsonSerializerOptions Options => DomainJson.Options;

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"Expected a {typeof(T).Name}.");

    /// <summary>From UTF-8 as stored (no UTF-16 string in between).</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize<T>(utf8Json, Options) ?? throw new JsonException($"Expected a {typeof(T).Name}.");
}
