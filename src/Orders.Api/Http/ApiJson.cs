using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orders.Api.Http;

/// <summary>
/// JSON of the HTTP adapter. Requests are read strictly: camelCase names exactly, no unknown or duplicate members, no
/// numbers in strings, required members present, no nulls where the contract has none, enums by their exact names only.
/// Responses that carry application values (orders, receipts) use the application's own JSON, so stored receipts and
/// fresh answers are the same bytes.
/// </summary>
public static class ApiJson
{
    public static JsonSerializerOptions Requests { get; } = CreateRequests();

    /// <summary>Request members whose contract type includes 'null' (null there means "none"); anywhere else null is refused.</summary>
    public static IReadOnlySet<string> NullableMembers { get; } =
        new HashSet<string>(["line2", "refundId", "paymentAuthorizationId", "sellerId"], StringComparer.Ordinal);

    public static JsonSerializerOptions Responses { get; } = CreateResponses();

    private static JsonSerializerOptions CreateRequests()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNameCaseInsensitive = false,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            NumberHandling = JsonNumberHandling.Strict,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            AllowDuplicateProperties = false,
            AllowTrailingCommas = false,
            ReadCommentHandling = JsonCommentHandling.Disallow,
        };
        // Takes precedence over the enums' own [JsonConverter]: exactly "Prepaid", never "prepaid", "Prepaid " or 0.
        options.Converters.Add(new StrictEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private static JsonSerializerOptions CreateResponses()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            WriteIndented = false,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
