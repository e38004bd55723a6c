using System.Text;
using System.Text.Json.Nodes;

namespace Orders.Hostile.Tests;

/// <summary>One generated request, with what was done to it (for the failure message and replay).</summary>
public sealed record HostileRequest(
    string Operation, string Kind, string Method, string Path, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[]? Body,
    string? ContentType, bool MayBeAccepted)
{
    /// <summary>
    /// For an operation with per-line results (<c>x-orders-per-line-results</c>): the body is a readable import and
    /// each line must get this answer. Null for requests that must be refused whole.
    /// </summary>
    public IReadOnlyList<ExpectedLine>? ExpectedLines { get; init; }

    public string Describe(int maxBody = 300)
    {
        var body = Body is null ? "(no body)" : Encoding.UTF8.GetString(Body);
        if (body.Length > maxBody) body = body[..maxBody] + $"… ({Body!.Length} bytes)";
        return $"{Method} {Path} [{Kind}] headers: {string.Join("; ", Headers.Select(h => $"{h.Key}: {Trim(h.Value)}"))} content-type: {ContentType ?? "(none)"} body: {body}";
    }

    private static string Trim(string value) => value.Length > 80 ? value[..80] + $"…({value.Length})" : value;
}

/// <summary>The answer one line of an import must get: its outcome and, where the generator knows it, the reason code.</summary>
public sealed record ExpectedLine(string Outcome, string? Reason, string Why, long Number = 0);

/// <summary>
/// What the valid baseline of every request names: the seed order, its buyer and seller, the callers, and the legacy
/// order line imported before the run (the baseline of the import operation).
/// </summary>
public sealed record Baseline(string OrderId, string BuyerId, string SellerId, string RefundId, string OrderVersion, string ImportLine = "{}")
{
    public const string BuyerCaller = "buyer:buyer-h";
    public const string SellerCaller = "seller:seller-h";
    public const string OperatorCaller = "operator:ops-h";
}

/// <summary>
/// Generates hostile requests for an operation of the document: its valid baseline (parameters and body from the
/// schemas) with one thing made wrong — a body member of the wrong type, out of range, too long or short, off its
/// pattern or enum, missing, unknown or null; malformed, oversized or mis-encoded JSON; a wrong or mis-labelled
/// content type; a bad caller, If-Match or Idempotency-Key; a bad path or query value. Every such request violates
/// the contract, so it must be refused (4xx with a problem document). A tenth are boundary values the contract
/// allows (largest amounts and quantities, longest texts, any script): those may be accepted, never 5xx.
/// </summary>
public sealed partial class HostileRequestGenerator(ContractOperations contract, SchemaSamples samples, Baseline baseline, int maxBodyBytes)
{
    private static readonly string[] RefusedCharacters =
        ["\u0000", "\u0001", "\u0007", "\u0008", "\t", "\n", "\r", "\u001B[2J", "\u007F", "\u0085", "\u009B", "\u202A", "\u202B", "\u202C", "\u202D", "\u202E",
         "\u2066", "\u2067", "\u2068", "\u2069", "\uFEFF", "\uFDD0", "\uFFFF", "\uFFFE"];

    private static readonly string[] ForeignCharacters = [" ", "/", "?", "#", "%", "ö", "中", "😀", "\\", "\"", "'", "<", ">", "&", "|", "\u00A0", "*"];

    private static readonly string[] SurpriseScripts = ["Ωμέγα", "東京都", "مرحبا", "שלום\u200F", "👩‍👩‍👧", "Straße", "ﷺ", "ǅ", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢"];

    public HostileRequest Generate(ContractOperation operation, Random random)
    {
        var draft = Draft.For(operation, baseline, samples);
        var kinds = new List<Func<Draft, Random, string?>>();
        if (operation.PerLineResults)
        {
            // Bodies judged line by line: whole-request faults must be refused whole; faults inside lines are answered
            // per line (ImportLines), never by a refusal of the request.
            kinds.AddRange([MutateSyntax, MutateSyntax, MutateContentType, MutateImportShape, MutateLines, MutateLines, MutateLines, MutateLines, MutateLines]);
        }
        else if (operation.HasBody)
        {
            kinds.AddRange([MutateBodyValue, MutateBodyValue, MutateBodyValue, MutateBodyValue, MutateBodyStructure, MutateBodyStructure, MutateSyntax, MutateSyntax, MutateContentType]);
            if (operation.Id == "CreateOrder" || operation.Parameter("If-Match", "header") is not null) kinds.Add(Boundary);
        }
        kinds.Add(MutateCaller);
        if (operation.Parameters.Any(p => p.In == "header")) kinds.AddRange([MutateHeader, MutateHeader]);
        if (operation.Parameters.Any(p => p.In == "path")) kinds.AddRange([MutatePath, MutatePath]);
        if (operation.Parameters.Any(p => p.In == "query")) kinds.AddRange([MutateQuery, MutateQuery, MutateQuery]);

        for (var attempt = 0; attempt < 20; attempt++)
        {
            var candidate = draft.Clone();
            var kind = kinds[random.Next(kinds.Count)](candidate, random);
            if (kind is not null) return candidate.Build(operation, kind) with { ExpectedLines = candidate.ExpectedLines };
        }
        var fallback = draft.Clone();
        return fallback.Build(operation, MutateCaller(fallback, random)!);
    }

    /// <summary>The valid baseline itself (to prove the generator's baseline is accepted).</summary>
    public HostileRequest Valid(ContractOperation operation) => Draft.For(operation, baseline, samples).Build(operation, "valid baseline", mayBeAccepted: true);

    // ---- body values ----

    private string? MutateBodyValue(Draft draft, Random random)
    {
        var targets = Nodes(draft.Json!, draft.Schema!, "$").ToList();
        if (targets.Count == 0) return null;
        var (parent, key, schema, path) = targets[random.Next(targets.Count)];
        var current = Get(parent, key);
        var candidates = InvalidValues(schema, current, random).Where(v => !samples.Allows(schema, v)).ToList();
        if (candidates.Count == 0) return null;
        var value = candidates[random.Next(candidates.Count)];
        Set(parent, key, value);
        return $"body value {path} = {Preview(value)}";
    }

    private IEnumerable<JsonNode?> InvalidValues(JsonObject schema, JsonNode? current, Random random)
    {
        var types = SchemaSamples.Types(schema);
        // wrong types
        yield return null;
        yield return true;
        yield return JsonValue.Create(random.Next(-5, 5));
        yield return JsonValue.Create("text");
        yield return new JsonObject { ["x"] = 1 };
        yield return new JsonArray(1, "two");
        yield return JsonValue.Create(1.5);
        if (types.Contains("integer") || types.Contains("number"))
        {
            foreach (var n in new JsonNode?[]
                     {
                         JsonValue.Create(-1), JsonValue.Create(0), JsonValue.Create(int.MaxValue), JsonValue.Create(int.MinValue),
                         JsonValue.Create(2147483648L), JsonValue.Create(long.MaxValue), JsonValue.Create(long.MinValue),
                         JsonNode.Parse("9223372036854775808"), JsonNode.Parse("1e400"), JsonNode.Parse("-0.0001"), JsonNode.Parse("1E2"),
                         JsonValue.Create(decimal.MaxValue), JsonValue.Create("12"),
                     })
                yield return n;
            if (SchemaSamples.Number(schema["maximum"]) is { } max) { yield return JsonValue.Create(max + 1); yield return JsonValue.Create(max * 1000 + 7); }
            if (SchemaSamples.Number(schema["minimum"]) is { } min) { yield return JsonValue.Create(min - 1); }
        }
        if (types.Contains("string") || schema["enum"] is not null)
        {
            var text = current is JsonValue v && v.TryGetValue<string>(out var s) ? s : "value";
            yield return "";
            yield return " ";
            yield return text + " ";
            yield return " " + text;
            yield return text.ToUpperInvariant();
            yield return text.ToLowerInvariant();
            if ((int?)schema["maxLength"] is { } maxLength)
            {
                yield return new string('x', maxLength + 1);
                yield return new string('é', maxLength + 1 + random.Next(0, 2000));
                yield return string.Concat(Enumerable.Repeat("😀", maxLength + 1));
            }
            else
            {
                yield return new string('y', 1000 + random.Next(0, 5000));
            }
            var at = random.Next(0, text.Length + 1);
            foreach (var bad in new[] { RefusedCharacters[random.Next(RefusedCharacters.Length)], ForeignCharacters[random.Next(ForeignCharacters.Length)], "\uD800" })
                yield return text[..at] + bad + text[at..];
            if (schema["enum"] is JsonArray names && names.Count > 0)
            {
                var name = (string)names[random.Next(names.Count)]!;
                yield return name.ToLowerInvariant();
                yield return name + "\u0000";
                yield return name + ", " + name;
                yield return "1";
                yield return name[..^1];
            }
        }
    }

    private string? MutateBodyStructure(Draft draft, Random random)
    {
        var objects = Objects(draft.Json!, draft.Schema!, "$").ToList();
        var arrays = Arrays(draft.Json!, draft.Schema!, "$").ToList();
        switch (random.Next(5))
        {
            case 0: // a required member missing
            {
                var withRequired = objects.Where(o => SchemaSamples.Required(o.Schema).Any(r => o.Node.ContainsKey(r))).ToList();
                if (withRequired.Count == 0) return null;
                var (node, schema, path) = withRequired[random.Next(withRequired.Count)];
                var present = SchemaSamples.Required(schema).Where(node.ContainsKey).ToArray();
                var name = present[random.Next(present.Length)];
                node.Remove(name);
                return $"required member missing {path}.{name}";
            }
            case 1: // an unknown member (every request object forbids additional properties)
            {
                var closed = objects.Where(o => o.Schema["additionalProperties"] is JsonValue v && !(bool)v!).ToList();
                if (closed.Count == 0) return null;
                var (node, _, path) = closed[random.Next(closed.Count)];
                var name = new[] { "extra", "__proto__", "$type", "orderId", "status", "version", "Type", "BUYERID", "" }[random.Next(9)];
                if (node.ContainsKey(name)) return null;
                node[name] = random.Next(2) == 0 ? "x" : null;
                return $"unknown member {path}.{name}";
            }
            case 2: // an array too short or too long, or with a null item
            {
                if (arrays.Count == 0) return null;
                var (node, schema, path) = arrays[random.Next(arrays.Count)];
                var which = random.Next(3);
                if (which == 0 && (int?)schema["minItems"] is > 0) { node.Clear(); return $"array empty {path}"; }
                if (which == 1 && (int?)schema["maxItems"] is { } maxItems && node.Count > 0)
                {
                    var first = node[0];
                    while (node.Count <= maxItems) node.Add(first?.DeepClone());
                    return $"array over maxItems {path} ({node.Count})";
                }
                node.Add(null);
                return $"array with a null item {path}";
            }
            case 3: // the body is not an object
            {
                draft.Raw = new[] { "null", "[]", "[{}]", "\"text\"", "42", "true", "{}" }[random.Next(7)];
                if (draft.Raw == "{}" && !SchemaSamples.Required(draft.Schema!).Any()) return null;
                return $"body is {draft.Raw}";
            }
            default: // a refused or foreign character in free text
            {
                var texts = Nodes(draft.Json!, draft.Schema!, "$").Where(t => SchemaSamples.Types(t.Schema).Contains("string") && t.Schema["enum"] is null).ToList();
                if (texts.Count == 0) return null;
                var (parent, key, schema, path) = texts[random.Next(texts.Count)];
                var text = (string?)Get(parent, key) ?? "x";
                var at = random.Next(0, text.Length + 1);
                var value = text[..at] + RefusedCharacters[random.Next(RefusedCharacters.Length)] + text[at..];
                Set(parent, key, value);
                return $"refused character in {path} = {Preview(value)}";
            }
        }
    }

    // ---- bytes on the wire ----

    private string? MutateSyntax(Draft draft, Random random)
    {
        var json = draft.Json!.ToJsonString();
        var bytes = Encoding.UTF8.GetBytes(json);
        switch (random.Next(14))
        {
            case 0: draft.RawBytes = bytes[..random.Next(0, bytes.Length)]; return "truncated JSON";
            case 1:
            {
                var copy = bytes.ToArray();
                const string punctuation = "{}[],:\"\\ x0";
                copy[random.Next(copy.Length)] = (byte)punctuation[random.Next(punctuation.Length)];
                if (Valid(copy)) return null;
                draft.RawBytes = copy;
                return "one byte changed to JSON punctuation";
            }
            case 2: draft.Raw = json[..^1] + ",}"; return "trailing comma";
            case 3: draft.Raw = "/* c */" + json; return "comment";
            case 4: draft.Raw = json.Replace('"', '\''); return "single quotes";
            case 5: draft.Raw = "{\"a\":NaN}"; return "NaN";
            case 6: draft.RawBytes = [0xEF, 0xBB, 0xBF, .. bytes]; return "UTF-8 byte-order mark";
            case 7: draft.Raw = new string('[', 5000) + new string(']', 5000); return "nesting 5000 deep";
            case 8:
            {
                var first = json.IndexOf("\":", StringComparison.Ordinal);
                if (first < 0) return null;
                var name = json[(json.LastIndexOf('"', first - 1) + 1)..first];
                draft.Raw = "{\"" + name + "\":1," + json[1..];
                return $"duplicate member {name}";
            }
            case 9:
            {
                var quote = json.IndexOf(":\"", StringComparison.Ordinal);
                if (quote < 0) return null;
                var copy = bytes.ToList();
                var at = Encoding.UTF8.GetByteCount(json[..(quote + 2)]);
                copy.InsertRange(at, new[] { new byte[] { 0xFF }, [0xC3], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF] }[random.Next(5)]);
                draft.RawBytes = [.. copy];
                return "invalid UTF-8 inside a string";
            }
            case 10:
                draft.Raw = json[..^1] + ",\"pad\":\"" + new string('p', maxBodyBytes + random.Next(1, 5000)) + "\"}";
                return "body over the size limit";
            case 11:
                draft.Raw = json + new string(' ', maxBodyBytes + 10);
                return "body over the size limit (whitespace)";
            case 12: draft.Raw = json + json; return "two JSON documents";
            default:
                if (!draft.Operation.BodyRequired) return null;
                draft.RawBytes = [];
                return "empty body";
        }
    }

    private static bool Valid(byte[] bytes)
    {
        try
        {
            using var _ = System.Text.Json.JsonDocument.Parse(bytes);
            return true;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private string? MutateContentType(Draft draft, Random random)
    {
        var json = draft.Json!.ToJsonString();
        switch (random.Next(9))
        {
            case 0: draft.ContentType = null; return "no content type";
            case 1: draft.ContentType = "text/plain"; return "text/plain";
            case 2: draft.ContentType = "application/xml"; return "application/xml";
            case 3: draft.ContentType = "application/x-www-form-urlencoded"; return "form content type";
            case 4: draft.ContentType = "application/json; charset=utf-16"; draft.RawBytes = Encoding.Unicode.GetBytes(json); return "UTF-16 body labelled so";
            case 5: draft.ContentType = "application/json; charset=utf-16"; return "UTF-8 body labelled UTF-16";
            case 6: draft.ContentType = "application/json; charset=iso-8859-1"; draft.RawBytes = Encoding.Latin1.GetBytes(json); return "Latin-1 label";
            case 7: draft.ContentType = "application/jsonx"; return "application/jsonx";
            default: draft.ContentType = "multipart/form-data; boundary=x"; return "multipart";
        }
    }

    private string? Boundary(Draft draft, Random random)
    {
        var targets = Nodes(draft.Json!, draft.Schema!, "$").ToList();
        if (targets.Count == 0) return null;
        var (parent, key, schema, path) = targets[random.Next(targets.Count)];
        JsonNode? value = null;
        var types = SchemaSamples.Types(schema);
        if (types.Contains("integer"))
        {
            var max = SchemaSamples.Number(schema["maximum"]) ?? ((string?)schema["format"] == "int32" ? int.MaxValue : long.MaxValue);
            var min = SchemaSamples.Number(schema["minimum"]) ?? 0;
            value = JsonValue.Create(random.Next(2) == 0 ? max : min);
        }
        else if (types.Contains("string") && schema["enum"] is null && schema["pattern"] is null)
        {
            var maxLength = (int?)schema["maxLength"] ?? 300;
            var script = SurpriseScripts[random.Next(SurpriseScripts.Length)];
            var text = new StringBuilder();
            while (text.ToString().EnumerateRunes().Count() + script.EnumerateRunes().Count() <= maxLength) text.Append(script);
            value = text.Length == 0 ? "x" : text.ToString();
        }
        if (value is null || !samples.Allows(schema, value)) return null;
        Set(parent, key, value);
        draft.MayBeAccepted = draft.Operation.Id == "CreateOrder";
        // A command on the seed order is sent with a stale If-Match, so it is read in full but changes nothing (412).
        if (!draft.MayBeAccepted) draft.Headers["If-Match"] = "\"999999\"";
        return $"boundary value {path} = {Preview(value)}";
    }

    // ---- headers, path, query ----

    private static string? MutateCaller(Draft draft, Random random)
    {
        var value = new[] { null, "", "buyer", "buyer:", ":x", "king:x", "buyer:bad id", "buyer:ö", "operator", "buyer:" + new string('b', 300), "Bearer abc", "buyer:x\u00A0" }[random.Next(12)];
        if (value is null) draft.Headers.Remove("X-Dev-Caller");
        else draft.Headers["X-Dev-Caller"] = value;
        if (random.Next(4) == 0) draft.Headers["X-MS-CLIENT-PRINCIPAL"] = random.Next(2) == 0 ? "not base64!" : Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"claims\":[]}"));
        return $"caller {(value is null ? "missing" : Preview(value))}";
    }

    private string? MutateHeader(Draft draft, Random random)
    {
        var headers = draft.Operation.Parameters.Where(p => p.In == "header").ToList();
        var header = headers[random.Next(headers.Count)];
        string?[] values = header.Name switch
        {
            "If-Match" => [null, "", "*", "W/\"1\"", "1", "\"1", "1\"", "\"abc\"", "\"-1\"", "\"1.0\"", "\"99999999999999999999999\"", "\"1\", \"1\"", "\"\"", "\"1\" x", "\" 1\""],
            "Idempotency-Key" => ["", " ", "a b", new string('k', 256), "ключ", "tab\there", "del\u007F", "k\u00A0"],
            _ => ["", new string('h', 2000), "ö"],
        };
        var value = values[random.Next(values.Length)];
        if (value is null)
        {
            if (!header.Required) return null;
            draft.Headers.Remove(header.Name);
            return $"header {header.Name} missing";
        }
        draft.Headers[header.Name] = value;
        return $"header {header.Name}: {Preview(value)}";
    }

    private string? MutatePath(Draft draft, Random random)
    {
        var parameters = draft.Operation.Parameters.Where(p => p.In == "path").ToList();
        var parameter = parameters[random.Next(parameters.Count)];
        var raw = new[]
        {
            "bad%20id", "%C3%B6", new string('a', 129), "a%2Fb", "a%01b", "a%0Ab", "%E2%80%AE", "..%2F..", "*", "a%3Fb", "a%23b", "%25", "%FF", "unknown-id-" + random.Next(1000),
            "UNKNOWN", "a%20", "%F0%9F%98%80", "x:y:z",
        }[random.Next(18)];
        draft.PathValues[parameter.Name] = raw;
        return $"path {parameter.Name} = {raw}";
    }

    private static string? MutateQuery(Draft draft, Random random)
    {
        var parameters = draft.Operation.Parameters.Where(p => p.In == "query").ToList();
        var parameter = parameters[random.Next(parameters.Count)];
        string[] values = parameter.Name switch
        {
            "status" => ["paid", "Paid", "PAID%20", "%20PAID", "LOST", "1", "", "PAID,CREATED", "created", "PAID%00"],
            "pageSize" => ["0", "101", "-1", "ten", "1.5", "1e2", "99999999999999999999", "", "%2B5", "0x10", "%201"],
            _ => ["", "abc", "djF8eHxvMQ", "djF8MXw", "djF8LTF8bw", new string('A', 4097), "%00", "djF8OTk5OTk5OTk5OTk5OTk5OTk5OTk5fG8", "djJ8MXxv", "!!!!", "djF8MXxiYWQgaWQ"],
        };
        var value = values[random.Next(values.Length)];
        // Repeated only when short: the request line stays within Kestrel's 8 KiB limit (beyond it Kestrel answers 414 itself).
        var repeat = random.Next(6) == 0 && value.Length < 1000;
        draft.Query.Add(new(parameter.Name, value));
        if (repeat) draft.Query.Add(new(parameter.Name, value));
        return $"query {parameter.Name}={value}{(repeat ? " (twice)" : "")}";
    }

    // ---- walking the body with its schema ----

    private IEnumerable<(JsonNode Parent, object Key, JsonObject Schema, string Path)> Nodes(JsonNode node, JsonObject schema, string path)
    {
        schema = contract.Resolve(schema);
        if (node is JsonObject obj)
        {
            var properties = samples.Properties(schema).ToDictionary(p => p.Name, p => p.Schema);
            foreach (var (name, child) in obj.ToArray())
            {
                if (!properties.TryGetValue(name, out var childSchema)) continue;
                yield return (obj, name, childSchema, $"{path}.{name}");
                if (child is not null) foreach (var inner in Nodes(child, childSchema, $"{path}.{name}")) yield return inner;
            }
        }
        else if (node is JsonArray array && schema["items"] is JsonObject items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                yield return (array, i, contract.Resolve(items), $"{path}[{i}]");
                if (array[i] is { } child) foreach (var inner in Nodes(child, items, $"{path}[{i}]")) yield return inner;
            }
        }
    }

    private IEnumerable<(JsonObject Node, JsonObject Schema, string Path)> Objects(JsonNode root, JsonObject schema, string path)
    {
        if (root is JsonObject top) yield return (top, contract.Resolve(schema), path);
        foreach (var (parent, key, childSchema, childPath) in Nodes(root, schema, path))
            if (Get(parent, key) is JsonObject child) yield return (child, childSchema, childPath);
    }

    private IEnumerable<(JsonArray Node, JsonObject Schema, string Path)> Arrays(JsonNode root, JsonObject schema, string path)
    {
        foreach (var (parent, key, childSchema, childPath) in Nodes(root, schema, path))
            if (Get(parent, key) is JsonArray child) yield return (child, childSchema, childPath);
    }

    private static JsonNode? Get(JsonNode parent, object key) => key is string name ? parent[name] : parent[(int)key];

    private static void Set(JsonNode parent, object key, JsonNode? value)
    {
        if (key is string name) parent[name] = value;
        else parent[(int)key] = value;
    }

    private static string Preview(JsonNode? value) => Preview(value?.ToJsonString() ?? "null");

    private static string Preview(string text) => text.Length > 60 ? text[..60] + $"…({text.Length})" : text;

    /// <summary>A request being built: the baseline's parts, each replaceable by a mutation.</summary>
    private sealed class Draft
    {
        public required ContractOperation Operation { get; init; }
        public JsonObject? Schema { get; init; }
        public JsonNode? Json { get; set; }
        public string? Raw { get; set; }
        public byte[]? RawBytes { get; set; }
        public string? ContentType { get; set; } = "application/json";
        public Dictionary<string, string> Headers { get; init; } = new(StringComparer.OrdinalIgnoreCase);
        public Dictionary<string, string> PathValues { get; init; } = new(StringComparer.Ordinal);
        public List<KeyValuePair<string, string>> Query { get; init; } = [];
        public bool MayBeAccepted { get; set; }
        public IReadOnlyList<ExpectedLine>? ExpectedLines { get; set; }

        public static Draft For(ContractOperation operation, Baseline baseline, SchemaSamples samples)
        {
            var draft = new Draft
            {
                Operation = operation,
                Schema = operation.BodySchema,
                Json = operation.PerLineResults ? new JsonArray(JsonNode.Parse(baseline.ImportLine))
                    : operation.BodySchema is { } schema ? samples.Sample(schema) : null,
            };
            draft.Headers["X-Dev-Caller"] = operation.Id switch
            {
                "CreateOrder" or "CancelOrder" or "SplitOrder" or "InitiateRefund" or "ChangeShippingAddress" or "ChangeShippingAddressPost" or "ListBuyerOrders" => Baseline.BuyerCaller,
                "ListSellerOrders" or "GetSellerDashboard" => Baseline.SellerCaller,
                _ => Baseline.OperatorCaller,
            };
            foreach (var parameter in operation.Parameters)
            {
                switch (parameter.In, parameter.Name)
                {
                    case ("header", "If-Match"): draft.Headers["If-Match"] = $"\"{baseline.OrderVersion}\""; break;
                    case ("header", "Idempotency-Key"): draft.Headers["Idempotency-Key"] = "hostile-" + Guid.NewGuid().ToString("N"); break;
                    case ("path", "orderId"): draft.PathValues["orderId"] = baseline.OrderId; break;
                    case ("path", "buyerId"): draft.PathValues["buyerId"] = baseline.BuyerId; break;
                    case ("path", "sellerId"): draft.PathValues["sellerId"] = baseline.SellerId; break;
                    case ("path", "refundId"): draft.PathValues["refundId"] = baseline.RefundId; break;
                }
            }
            return draft;
        }

        public Draft Clone() => new()
        {
            Operation = Operation,
            Schema = Schema,
            Json = Json?.DeepClone(),
            Raw = Raw,
            RawBytes = RawBytes,
            ContentType = ContentType,
            Headers = new(Headers, StringComparer.OrdinalIgnoreCase),
            PathValues = new(PathValues, StringComparer.Ordinal),
            Query = [.. Query],
            MayBeAccepted = MayBeAccepted,
            ExpectedLines = ExpectedLines,
        };

        public HostileRequest Build(ContractOperation operation, string kind, bool mayBeAccepted = false)
        {
            var path = operation.PathTemplate;
            foreach (var (name, value) in PathValues)
                path = path.Replace("{" + name + "}", value.Contains('%', StringComparison.Ordinal) || value == "*" ? value : Uri.EscapeDataString(value), StringComparison.Ordinal);
            if (Query.Count > 0) path += "?" + string.Join("&", Query.Select(q => $"{q.Key}={q.Value}"));
            var body = Operation.HasBody ? RawBytes ?? Encoding.UTF8.GetBytes(Raw ?? Json!.ToJsonString()) : null;
            return new HostileRequest(operation.Id, kind, operation.Method, path, [.. Headers], body, body is null ? null : ContentType, mayBeAccepted || MayBeAccepted);
        }
    }
}
