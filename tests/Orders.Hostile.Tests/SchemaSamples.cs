using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Orders.Hostile.Tests;

/// <summary>
/// Valid instances of the document's request schemas, and what each schema allows: the baseline every hostile request
/// starts from (so a mutation reaches the checks behind the first one). Values follow the schema; a few member names
/// get values the domain also accepts (a known currency, a country code, line numbers 1..n).
/// </summary>
public sealed class SchemaSamples(ContractOperations contract)
{
    public JsonNode Sample(JsonObject schema, string name = "", int index = 0)
    {
        schema = contract.Resolve(schema);
        if (schema["oneOf"] is JsonArray one) return Sample(one[0]!.AsObject(), name, index);
        if (schema["enum"] is JsonArray values) return values[0]!.DeepClone();
        var type = Types(schema).FirstOrDefault(t => t != "null") ?? "object";
        switch (type)
        {
            case "object":
                var result = new JsonObject();
                var required = Required(schema);
                foreach (var (property, propertySchema) in Properties(schema))
                    if (required.Contains(property) || property is "line2" or "attributes" or "promotions")
                        result[property] = Sample(propertySchema, property, index);
                return result;
            case "array":
                var items = contract.Resolve(schema["items"]!.AsObject());
                var count = Math.Max(1, (int?)schema["minItems"] ?? 1);
                if (name == "promotions") count = 0;
                return new JsonArray([.. Enumerable.Range(0, count).Select(i => Sample(items, name, i))]);
            case "integer":
                if (name == "line") return index + 1;
                return (long?)Number(schema["minimum"]) is { } min ? Math.Max(min, 1) : 1;
            case "number":
                return 1;
            case "boolean":
                return true;
            default:
                return StringSample(schema, name, index);
        }
    }

    private static JsonNode StringSample(JsonObject schema, string name, int index) => name switch
    {
        "currency" => "EUR",
        "countryCode" => "GB",
        "sellerId" => "seller-h",
        "buyerId" => "buyer-h",
        "sku" => $"sku-{index + 1}",
        _ when schema["pattern"] is not null => "id-" + name.ToLowerInvariant() + "-1",
        _ => $"{name} text",
    };

    public static IReadOnlyList<string> Types(JsonObject schema) => schema["type"] switch
    {
        JsonArray array => [.. array.Select(t => (string)t!)],
        JsonValue value => [(string)value!],
        _ => [],
    };

    public static HashSet<string> Required(JsonObject schema) =>
        [.. (schema["required"]?.AsArray() ?? []).Select(r => (string)r!)];

    public IEnumerable<(string Name, JsonObject Schema)> Properties(JsonObject schema) =>
        (schema["properties"]?.AsObject() ?? []).Select(p => (p.Key, contract.Resolve(p.Value!.AsObject())));

    public static decimal? Number(JsonNode? node)
    {
        if (node is not JsonValue) return null;
        using var parsed = System.Text.Json.JsonDocument.Parse(node.ToJsonString());
        return parsed.RootElement.ValueKind == System.Text.Json.JsonValueKind.Number && parsed.RootElement.TryGetDecimal(out var d) ? d : null;
    }

    /// <summary>Whether <paramref name="value"/> is valid for the (resolved) schema, as far as the generator's mutations go.</summary>
    public bool Allows(JsonObject schema, JsonNode? value)
    {
        schema = contract.Resolve(schema);
        if (schema["oneOf"] is JsonArray one) return one.Count(s => Allows(s!.AsObject(), value)) == 1;
        var types = Types(schema);
        if (value is null) return types.Contains("null");
        if (schema["enum"] is JsonArray values && !values.Any(v => JsonNode.DeepEquals(v, value))) return false;
        switch (value.GetValueKind())
        {
            case System.Text.Json.JsonValueKind.String:
                if (types.Count > 0 && !types.Contains("string")) return false;
                var text = (string)value!;
                var length = text.EnumerateRunes().Count();
                if ((int?)schema["minLength"] is { } minLength && length < minLength) return false;
                if ((int?)schema["maxLength"] is { } maxLength && length > maxLength) return false;
                if ((string?)schema["pattern"] is { } pattern && !Regex.IsMatch(text, pattern)) return false;
                return true;
            case System.Text.Json.JsonValueKind.Number:
                using (var parsed = System.Text.Json.JsonDocument.Parse(value.ToJsonString()))
                {
                    var element = parsed.RootElement;
                    var isInteger = element.TryGetDecimal(out var d) && decimal.Truncate(d) == d;
                    if (!element.TryGetDecimal(out var number)) return false; // beyond decimal: beyond every range here
                    if (!(types.Contains("number") || (types.Contains("integer") && isInteger))) return false;
                    if (Number(schema["minimum"]) is { } min && number < min) return false;
                    if (Number(schema["maximum"]) is { } max && number > max) return false;
                    var format = (string?)schema["format"];
                    if (format == "int32" && number is < int.MinValue or > int.MaxValue) return false;
                    if (format == "int64" && number is < long.MinValue or > long.MaxValue) return false;
                    return true;
                }
            case System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False:
                return types.Contains("boolean");
            case System.Text.Json.JsonValueKind.Array:
                return types.Contains("array");
            default:
                return types.Contains("object") || types.Count == 0;
        }
    }
}
