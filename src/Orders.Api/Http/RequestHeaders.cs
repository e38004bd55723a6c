using System.Globalization;
using Microsoft.AspNetCore.Http;
using Orders.Api.Problems;
using Orders.Application;
using Orders.Application.Idempotency;
using static Orders.Api.Problems.ProblemTypes.Codes;

namespace Orders.Api.Http;

/// <summary>The headers of the API's contract: Idempotency-Key and If-Match in, ETag and Location out.</summary>
public static class RequestHeaders
{
    public const string IdempotencyKey = "Idempotency-Key";
    public const string IfMatch = "If-Match";
    public const string IdempotentReplayed = "Idempotent-Replayed";
    public const string RefundId = "Refund-Id";

    /// <summary>On a 200 to a command that changed nothing (the order already said so): <c>Order-Unchanged: true</c>.</summary>
    public const string OrderUnchanged = "Order-Unchanged";

    /// <summary>The Idempotency-Key, or null when none was sent; a malformed key is refused.</summary>
    public static string? OptionalIdempotencyKey(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var values = request.Headers[IdempotencyKey];
        if (values.Count == 0) return null;
        if (values.Count > 1 || !IdempotencyScope.IsValidKey(values[0]))
            throw new ProblemException(KeyInvalid, $"An Idempotency-Key is one value of 1–{IdempotencyScope.MaxKeyLength} printable ASCII characters.");
        return values[0];
    }

    public static string RequiredIdempotencyKey(HttpRequest request) =>
        OptionalIdempotencyKey(request)
        ?? throw new ProblemException(ApplicationRejections.Codes.KeyMissing, "This request needs an Idempotency-Key header.");

    /// <summary>The order version named by If-Match (<c>"3"</c>); 428 without it.</summary>
    public static long RequiredIfMatch(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var values = request.Headers[IfMatch];
        if (values.Count == 0 || string.IsNullOrWhiteSpace(values[0]))
            throw new ProblemException(IfMatchRequired, "Send If-Match with the order's ETag (its version), e.g. If-Match: \"3\".");
        var value = values.Count == 1 ? values[0]!.Trim() : "";
        if (value.Length < 3 || value[0] != '"' || value[^1] != '"'
            || !long.TryParse(value.AsSpan(1, value.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            throw new ProblemException(IfMatchInvalid, $"If-Match must be one strong ETag of the order's version, e.g. \"3\"; got {value}.");
        return version;
    }

    public static string ETag(long version) => "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";
}
