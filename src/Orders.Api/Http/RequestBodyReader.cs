using System.Buffers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Orders.Api.Problems;
using static Orders.Api.Problems.ProblemTypes.Codes;

namespace Orders.Api.Http;

/// <summary>
/// Reads a JSON body into a request record, refusing with a 400 problem (never a 500) whatever is wrong with it:
/// too large, not JSON, not well-formed, unknown or missing members, wrong types.
/// </summary>
public sealed partial class RequestBodyReader(IOptions<OrdersApiOptions> options)
{
    private readonly int _maxBytes = options.Value.MaxBodyBytes;

    /// <summary>The body as <typeparamref name="T"/>; an empty body is <c>{}</c> when <paramref name="optional"/>.</summary>
    public async Task<T> ReadAsync<T>(HttpRequest request, bool optional = false) where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        var bytes = await ReadBytesAsync(request);
        if (bytes.Length == 0)
        {
            if (!optional) throw new ProblemException(InvalidBody, "A JSON body is required.");
            bytes = "{}"u8.ToArray();
        }
        else
        {
            RequireJsonInUtf8(request.ContentType);
            // A body labelled UTF-8 (or unlabelled) must be UTF-8: invalid bytes are refused, never replaced.
            if (!System.Text.Unicode.Utf8.IsValid(bytes))
                throw new ProblemException(MalformedJson, "The body is not valid UTF-8.", ["$: invalid UTF-8 bytes."]);
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            if (FirstForbiddenNull(document.RootElement, "$") is { } path)
                throw new ProblemException(InvalidBody, "The body does not match the request schema.", [$"{path}: must not be null."]);
        }
        catch (JsonException e)
        {
            throw new ProblemException(MalformedJson, "The body is not well-formed JSON.", [Describe(e)]);
        }

        try
        {
            return JsonSerializer.Deserialize<T>(bytes, ApiJson.Requests)
                ?? throw new ProblemException(InvalidBody, "The body must be a JSON object, not null.");
        }
        catch (JsonException e)
        {
            throw new ProblemException(InvalidBody, "The body does not match the request schema.", [Describe(e)]);
        }
    }

    /// <summary>
    /// Optional members are omitted, not null: JSON null is accepted only for the members whose type in the contract
    /// includes 'null' (<see cref="ApiJson.NullableMembers"/>; the hostile-input suite sends null to every member and fails on any it accepts).
    /// </summary>
    private static string? FirstForbiddenNull(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    var memberPath = $"{path}.{member.Name}";
                    if (member.Value.ValueKind == JsonValueKind.Null)
                    {
                        if (!ApiJson.NullableMembers.Contains(member.Name)) return memberPath;
                    }
                    else if (FirstForbiddenNull(member.Value, memberPath) is { } inner)
                    {
                        return inner;
                    }
                }
                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.Null && FirstForbiddenNull(item, $"{path}[{index}]") is { } inner) return inner;
                    index++;
                }
                return null;
            default:
                return null;
        }
    }

    private async Task<byte[]> ReadBytesAsync(HttpRequest request)
    {
        if (request.ContentLength > _maxBytes) throw TooLarge();
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var memory = buffer.GetMemory(4096);
            var read = await request.Body.ReadAsync(memory, request.HttpContext.RequestAborted);
            if (read == 0) break;
            buffer.Advance(read);
            if (buffer.WrittenCount > _maxBytes) throw TooLarge();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private ProblemException TooLarge() =>
        new(BodyTooLarge, $"The body must be at most {_maxBytes} bytes.");

    /// <summary>
    /// JSON is UTF-8 (RFC 8259 §8.1): a body labelled with any other charset (utf-16, latin1, …) is refused with 415
    /// rather than decoded, so that what the client meant and what is stored can never differ.
    /// </summary>
    private static void RequireJsonInUtf8(string? contentType)
    {
        if (contentType is null
            || !Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
            || !(media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                 || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)))
            throw new ProblemException(UnsupportedMediaType, $"Send the body as application/json, not '{contentType}'.");
        var charset = media.Charset.Value?.Trim('"');
        if (charset is not null && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
            throw new ProblemException(UnsupportedMediaType, $"JSON bodies are read as UTF-8 only; send charset=utf-8 (or none), not '{charset}'.");
    }

    // The serializer's messages name .NET types; clients get the JSON path and what kind of mismatch it is.
    private static string Describe(JsonException e)
    {
        var path = e.Path ?? "$";
        var message = e.Message;
        if (message.StartsWith("Expected one of", StringComparison.Ordinal))
            return $"{path}: must be {message["Expected ".Length..].Split(". Path:", 2)[0].TrimEnd('.')}, spelled exactly so.";
        if (message.Contains("could not be mapped", StringComparison.Ordinal))
            return $"{path}: unknown member{QuotedName(message)}.";
        if (message.Contains("missing required properties", StringComparison.Ordinal))
            return $"{path}: missing required member(s) {message[(message.IndexOf("including:", StringComparison.Ordinal) + 10)..].Trim().TrimEnd('.')}.";
        if (message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
            return $"{path}: duplicate member.";
        if (message.Contains("null", StringComparison.OrdinalIgnoreCase))
            return $"{path}: must not be null.";
        if (message.Contains("could not be converted", StringComparison.Ordinal))
            return $"{path}: wrong type or value.";
        if (e.LineNumber is { } line)
            return $"{path}: invalid JSON at line {line + 1}, byte {e.BytePositionInLine + 1}.";
        return $"{path}: invalid.";
    }

    private static string QuotedName(string message) =>
        PropertyName().Match(message) is { Success: true } m ? $" '{m.Groups[1].Value}'" : "";

    [GeneratedRegex("property '([^']*)'")]
    private static partial Regex PropertyName();
}
