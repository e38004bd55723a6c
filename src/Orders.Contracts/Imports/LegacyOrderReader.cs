using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Unicode;
using Orders.Contracts.Integration;

namespace Orders.Contracts.Imports;

/// <summary>What reading one line gave: the record and a digest of its content, or why it could not be read.</summary>
public sealed record LegacyOrderReading(LegacyOrderV1? Order, string? ContentHash, string? ErrorCode, string? Error)
{
    public bool IsValid => Order is not null;
}

/// <summary>
/// Reads one line of a legacy-order file strictly (the shape of <c>imports/legacy-order.v1.json</c>: camelCase
/// members exactly, no unknown or missing members, no nulls where the schema has none, integers only). It never
/// throws on bad input: invalid UTF-8, malformed or truncated JSON and records of the wrong shape come back as
/// errors with a stable code. The rules the schema cannot state (the state machine, the money laws, references)
/// are the import's: it replays the record through the domain.
/// </summary>
public static class LegacyOrderReader
{
    public static class Codes
    {
        public const string InvalidEncoding = "import.invalid-encoding";
        public const string MalformedJson = "import.malformed-json";
        public const string InvalidRecord = "import.invalid-record";
        public const string UnknownFormat = "import.unknown-format";
    }

    public static LegacyOrderReading Read(ReadOnlySpan<byte> line)
    {
        if (!Utf8.IsValid(line))
            return Fail(Codes.InvalidEncoding, "The line is not valid UTF-8.");
        if (line.StartsWith("\uFEFF"u8)) line = line[3..];

        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
            if (!JsonDocument.TryParseValue(ref reader, out var document))
                return Fail(Codes.MalformedJson, "The line is empty.");
            using (document)
            {
                if (reader.BytesConsumed != line.Length && !IsWhitespace(line[(int)reader.BytesConsumed..]))
                    return Fail(Codes.MalformedJson, "The line holds more than one JSON value.");
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                    return Fail(Codes.InvalidRecord, "The line must be a JSON object.");
                if (!document.RootElement.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String
                    || format.GetString() != LegacyOrderFormat.V1)
                    return Fail(Codes.UnknownFormat, $"The line's \"format\" must be \"{LegacyOrderFormat.V1}\".");
                // The serializer's nullable checks do not reach list elements: a null item is refused here, never replayed.
                if (NullItem(document.RootElement, "$") is { } path)
                    return Fail(Codes.InvalidRecord, $"The record does not match {LegacyOrderFormat.SchemaPath} at {path}: a list item is null.");
            }
        }
        catch (JsonException e)
        {
            return Fail(Codes.MalformedJson, $"The line is not well-formed JSON (byte {e.BytePositionInLine + 1}): it may be truncated.");
        }

        LegacyOrderV1? order;
        try
        {
            order = JsonSerializer.Deserialize<LegacyOrderV1>(line, ContractJson.Options);
        }
        catch (JsonException e)
        {
            return Fail(Codes.InvalidRecord, $"The record does not match {LegacyOrderFormat.SchemaPath} at {e.Path ?? "$"}.");
        }
        if (order is null) return Fail(Codes.InvalidRecord, "The record is null.");

        // Same content, same digest, whatever the exporter's spacing or member order within the record's shape.
        var canonical = JsonSerializer.SerializeToUtf8Bytes(order, ContractJson.Options);
        return new LegacyOrderReading(order, Convert.ToHexStringLower(SHA256.HashData(canonical)), null, null);
    }

    private static string? NullItem(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                    if (NullItem(member.Value, $"{path}.{member.Name}") is { } inner) return inner;
                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    var itemPath = $"{path}[{index++}]";
                    if (item.ValueKind == JsonValueKind.Null) return itemPath;
                    if (NullItem(item, itemPath) is { } inner) return inner;
                }
                return null;
            default:
                return null;
        }
    }

    private static bool IsWhitespace(ReadOnlySpan<byte> rest)
    {
        foreach (var b in rest)
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return false;
        return true;
    }

    private static LegacyOrderReading Fail(string code, string message) => new(null, null, code, message);
}
