using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Orders.Application.Persistence;

namespace Orders.Infrastructure.Cosmos;

/// <summary>
/// The JSON of the documents this adapter stores: System.Text.Json, camelCase, nulls omitted, unknown members (the
/// service's <c>_rid</c>, <c>_self</c>, <c>_ts</c>, …) ignored. Not <see cref="Orders.Domain.Common.DomainJson"/>:
/// that refuses unknown members, and every document Cosmos DB returns carries system properties. Domain values that
/// the history hash covers are stored as strings in the domain's own JSON (<see cref="StoredJson"/>), so these options
/// never touch a hashed byte.
/// </summary>
public static class CosmosJson
{
    /// <summary>
    /// The stored form of instants: UTC, fixed width, so that string order is time order (range filters and
    /// ORDER BY on <c>createdAt</c> and <c>expiresAt</c> rely on it) and ticks round-trip exactly. Numbers would not:
    /// Cosmos DB keeps numbers as doubles, which cannot hold .NET ticks.
    /// </summary>
    public const string InstantFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static JsonSerializerOptions Options { get; } = Create();

    public static string Instant(DateTimeOffset value) => value.UtcDateTime.ToString(InstantFormat, CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseInstant(string value) =>
        new(DateTime.SpecifyKind(DateTime.ParseExact(value, InstantFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), DateTimeKind.Utc));

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
