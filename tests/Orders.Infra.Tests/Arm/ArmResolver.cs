using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static Orders.Infra.Tests.Arm.ArmExpression;

namespace Orders.Infra.Tests.Arm;

/// <summary>The outcome of evaluating a value statically: resolved (Value may be JSON null) or not.</summary>
public readonly record struct EvalResult(bool Resolved, JsonNode? Value)
{
    public static EvalResult Unresolved => new(false, null);

    public static EvalResult Of(JsonNode? value) => new(true, value);
}

/// <summary>Where an ARM reference() points: the referenced resource's type and the property path read from it.</summary>
public sealed record ReferenceTarget(string ResourceType, string PropertyPath, ArmResource? Resource);

/// <summary>
/// Static evaluation of the small part of the ARM template language that Bicep emits for names and settings:
/// parameters(), variables(), module outputs read through reference(), format(), concat() and a few more.
/// What it cannot evaluate it reports as unresolved, never as a guess.
/// </summary>
public static partial class ArmResolver
{
    /// <summary>
    /// Follows a node while it is exactly a parameters()/variables()/module-output reference (with property access),
    /// returning the node it ends at, in the scope that node belongs to. The result is the live JSON node.
    /// </summary>
    public static Located Follow(JsonNode? node, ArmScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var current = new Located(node, scope);
        for (var guard = 0; guard < 64; guard++)
        {
            if (current.Text is not { } text || !ArmExpression.IsExpression(text))
            {
                return current;
            }

            var next = FollowExpression(Parse(text), current.Scope);
            if (next is null)
            {
                return current;
            }

            current = next;
        }

        throw new InvalidOperationException($"Reference cycle while following {node}.");
    }

    /// <summary>Evaluates a node to plain JSON; objects and arrays only when every member resolves.</summary>
    public static EvalResult Evaluate(JsonNode? node, ArmScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        switch (node)
        {
            case null:
                return EvalResult.Of(null);
            case JsonObject obj:
            {
                var result = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    var member = Evaluate(value, scope);
                    if (!member.Resolved)
                    {
                        return EvalResult.Unresolved;
                    }

                    result[key] = member.Value;
                }

                return EvalResult.Of(result);
            }

            case JsonArray array:
            {
                var result = new JsonArray();
                foreach (var item in array)
                {
                    var element = Evaluate(item, scope);
                    if (!element.Resolved)
                    {
                        return EvalResult.Unresolved;
                    }

                    result.Add(element.Value);
                }

                return EvalResult.Of(result);
            }

            case JsonValue value when value.TryGetValue<string>(out var text):
                if (ArmExpression.IsExpression(text))
                {
                    return EvaluateExpression(Parse(text), scope);
                }

                return EvalResult.Of(JsonValue.Create(text.StartsWith("[[", StringComparison.Ordinal) ? text[1..] : text));
            default:
                return EvalResult.Of(node.DeepClone());
        }
    }

    /// <summary>Evaluates a resource name into its '/'-separated segments; a segment is null where it does not resolve.</summary>
    public static IReadOnlyList<string?> NameSegments(JsonNode? name, ArmScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var located = Follow(name, scope);
        if (located.Text is not { } text)
        {
            return [];
        }

        if (!ArmExpression.IsExpression(text))
        {
            return text.Split('/');
        }

        var expression = Parse(text);
        if (expression is FunctionCall { Arguments.Count: > 0 } call && call.Is("format")
            && call.Arguments[0] is StringLiteral { Value: var pattern })
        {
            // format('{0}/{1}/{2}', ...): evaluate segment by segment, so one unresolved part (the namespace's
            // generated name) does not hide the others (the topic's fixed name).
            return pattern.Split('/')
                .Select(piece =>
                {
                    var args = call.Arguments.Skip(1).Select(a => EvaluateExpression(a, located.Scope)).ToList();
                    return TryFormat(piece, args, out var segment) ? segment : null;
                })
                .ToList();
        }

        var evaluated = EvaluateExpression(expression, located.Scope);
        return evaluated is { Resolved: true, Value: JsonValue v } && v.TryGetValue<string>(out var s)
            ? s.Split('/')
            : new string?[] { null };
    }

    /// <summary>Every reference() read inside an expression: which resource (by type) and which property path.</summary>
    public static IReadOnlyList<ReferenceTarget> References(string expressionText, ArmScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (!ArmExpression.IsExpression(expressionText))
        {
            return [];
        }

        var targets = new List<ReferenceTarget>();
        foreach (var node in Parse(expressionText).DescendantsAndSelf())
        {
            if (node is PropertyAccess && Unwind(node, out var root, out var path) && root is FunctionCall call && call.Is("reference"))
            {
                var (type, resource) = ReferencedResource(call, scope);
                if (type is null)
                {
                    continue;
                }

                var full = call.Arguments.Count >= 3 && call.Arguments[2] is StringLiteral { Value: var mode }
                    && string.Equals(mode, "full", StringComparison.OrdinalIgnoreCase);
                var joined = string.Join(".", path.Select(p => p.ToString()));
                targets.Add(new ReferenceTarget(type, full ? joined : "properties." + joined, resource));
            }
        }

        return targets;
    }

    /// <summary>Reads a resourceId()/subscriptionResourceId() call: the resource type and the evaluated name segments.</summary>
    public static bool TryReadResourceId(string expressionText, ArmScope scope, out string type, out IReadOnlyList<string?> names)
    {
        ArgumentNullException.ThrowIfNull(scope);
        type = "";
        names = [];
        if (!ArmExpression.IsExpression(expressionText)
            || Parse(expressionText) is not FunctionCall call
            || !(call.Is("resourceId") || call.Is("subscriptionResourceId") || call.Is("extensionResourceId") || call.Is("tenantResourceId")))
        {
            return false;
        }

        var typeIndex = call.Arguments.ToList().FindIndex(a => a is StringLiteral { Value: var t } && t.Contains('/', StringComparison.Ordinal));
        if (typeIndex < 0)
        {
            return false;
        }

        type = ((StringLiteral)call.Arguments[typeIndex]).Value;
        names = call.Arguments.Skip(typeIndex + 1)
            .Select(a => EvaluateExpression(a, scope) is { Resolved: true, Value: JsonValue v } && v.TryGetValue<string>(out var s) ? s : null)
            .ToList();
        return true;
    }

    /// <summary>
    /// Whether a value reads <paramref name="propertyPath"/> of a resource of <paramref name="resourceType"/> that the
    /// template creates (<c>reference(...)</c>), or, for the path <c>"id"</c>, names one with <c>resourceId(...)</c>;
    /// parameters, variables and module outputs are followed, also where they sit inside a larger expression
    /// (<c>format('ClientId={0};...', reference('identity').outputs.clientId.value)</c>).
    /// </summary>
    public static bool PointsAt(JsonNode? node, ArmScope scope, string resourceType, string propertyPath)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return PointsAt(node, scope, resourceType, propertyPath, depth: 0);
    }

    private static bool PointsAt(JsonNode? node, ArmScope scope, string type, string path, int depth)
    {
        if (depth > 32)
        {
            return false;
        }

        var located = Follow(node, scope);
        if (located.Text is not { } text || !ArmExpression.IsExpression(text))
        {
            return false;
        }

        if (References(text, located.Scope).Any(r =>
                string.Equals(r.ResourceType, type, StringComparison.OrdinalIgnoreCase) && r.PropertyPath == path && r.Resource is { IsExisting: false }))
        {
            return true;
        }

        if (path == "id" && TryReadResourceId(text, located.Scope, out var idType, out _) && string.Equals(idType, type, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var expression = Parse(text);
        return expression.DescendantsAndSelf()
            .Where(sub => !ReferenceEquals(sub, expression) && sub is FunctionCall or PropertyAccess)
            .Any(sub => PointsAt(JsonValue.Create("[" + Print(sub) + "]"), located.Scope, type, path, depth + 1));
    }

    private static ArmExpression Parse(string text) => ArmExpression.Parse(text);

    private static Located? FollowExpression(ArmExpression expression, ArmScope scope)
    {
        if (!Unwind(expression, out var root, out var path))
        {
            return null;
        }

        Located start;
        var remaining = path;
        switch (root)
        {
            case FunctionCall { Arguments: [StringLiteral { Value: var name }] } call when call.Is("parameters"):
                if (scope.ParameterValues?[name] is JsonObject passed && passed.ContainsKey("value"))
                {
                    start = new Located(passed["value"], scope.Parent ?? scope);
                }
                else if (scope.Template["parameters"]?[name] is JsonObject declared && declared.ContainsKey("defaultValue"))
                {
                    start = new Located(declared["defaultValue"], scope);
                }
                else
                {
                    return null;
                }

                break;
            case FunctionCall { Arguments: [StringLiteral { Value: var name }] } call when call.Is("variables"):
                if (scope.Template["variables"] is JsonObject variables && variables.ContainsKey(name))
                {
                    start = new Located(variables[name], scope);
                }
                else
                {
                    return null;
                }

                break;
            case FunctionCall call when call.Is("reference") && path.Count >= 3
                && path[0] is "outputs" && path[2] is "value" && path[1] is string output:
                var module = ReferencedResource(call, scope).Resource;
                if (module?.ChildScope is not { } child || child.Template["outputs"]?[output] is not JsonObject declaredOutput)
                {
                    return null;
                }

                start = new Located(declaredOutput["value"], child);
                remaining = path.Skip(3).ToList();
                break;
            default:
                return null;
        }

        var current = start;
        foreach (var step in remaining)
        {
            current = Follow(current.Node, current.Scope);
            JsonNode? next = (current.Node, step) switch
            {
                (JsonObject obj, string property) => obj[property],
                (JsonArray array, long index) when index >= 0 && index < array.Count => array[(int)index],
                _ => null,
            };
            if (next is null)
            {
                return null;
            }

            current = new Located(next, current.Scope);
        }

        return current;
    }

    /// <summary>Splits a chain a.b[0].c into its root (a) and the accessors (property names as strings, indexes as longs).</summary>
    private static bool Unwind(ArmExpression expression, out ArmExpression root, out List<object> path)
    {
        path = [];
        var current = expression;
        while (true)
        {
            switch (current)
            {
                case PropertyAccess access:
                    path.Insert(0, access.Property);
                    current = access.Target;
                    continue;
                case IndexAccess { Index: IntegerLiteral { Value: var i } } index:
                    path.Insert(0, i);
                    current = index.Target;
                    continue;
                case IndexAccess { Index: StringLiteral { Value: var key } } index:
                    path.Insert(0, key);
                    current = index.Target;
                    continue;
                case IndexAccess:
                    root = current;
                    return false;
                default:
                    root = current;
                    return true;
            }
        }
    }

    /// <summary>The resource a reference() call points at: a symbolic name, or resourceId('Type', names...).</summary>
    private static (string? Type, ArmResource? Resource) ReferencedResource(FunctionCall call, ArmScope scope)
    {
        if (call.Arguments.Count == 0)
        {
            return (null, null);
        }

        switch (call.Arguments[0])
        {
            case StringLiteral { Value: var symbol } when !symbol.Contains('/', StringComparison.Ordinal):
                var bySymbol = scope.Resources.FirstOrDefault(r => r.Symbol == symbol);
                return (bySymbol?.Type, bySymbol);
            case FunctionCall id when id.Is("resourceId") && id.Arguments.Count >= 2 && id.Arguments[0] is StringLiteral { Value: var type }:
                var name = Print(id.Arguments[^1]);
                var byName = scope.Resources.FirstOrDefault(r =>
                    string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase)
                    && r.Body["name"]?.ToString() is { } raw
                    && (ArmExpression.IsExpression(raw) ? Print(Parse(raw)) : Print(new StringLiteral(raw))) == name);
                return (type, byName);
            default:
                return (null, null);
        }
    }

    private static EvalResult EvaluateExpression(ArmExpression expression, ArmScope scope)
    {
        if (FollowExpression(expression, scope) is { } located)
        {
            return Evaluate(located.Node, located.Scope);
        }

        switch (expression)
        {
            case StringLiteral s:
                return EvalResult.Of(JsonValue.Create(s.Value));
            case IntegerLiteral i:
                return EvalResult.Of(JsonValue.Create(i.Value));
            case BooleanLiteral b:
                return EvalResult.Of(JsonValue.Create(b.Value));
            case PropertyAccess access:
            {
                var target = EvaluateExpression(access.Target, scope);
                return target is { Resolved: true, Value: JsonObject obj } && obj.ContainsKey(access.Property)
                    ? EvalResult.Of(obj[access.Property]?.DeepClone())
                    : EvalResult.Unresolved;
            }

            case IndexAccess index:
            {
                var target = EvaluateExpression(index.Target, scope);
                var key = EvaluateExpression(index.Index, scope);
                if (!target.Resolved || !key.Resolved)
                {
                    return EvalResult.Unresolved;
                }

                return (target.Value, key.Value) switch
                {
                    (JsonArray array, JsonValue k) when k.TryGetValue<long>(out var i) && i >= 0 && i < array.Count
                        => EvalResult.Of(array[(int)i]?.DeepClone()),
                    (JsonObject obj, JsonValue k) when k.TryGetValue<string>(out var p) && obj.ContainsKey(p)
                        => EvalResult.Of(obj[p]?.DeepClone()),
                    _ => EvalResult.Unresolved,
                };
            }

            case FunctionCall call:
                return EvaluateCall(call, scope);
            default:
                return EvalResult.Unresolved;
        }
    }

    private static EvalResult EvaluateCall(FunctionCall call, ArmScope scope)
    {
        var name = call.Name.ToLowerInvariant();

        // if() evaluates only the branch it takes, as ARM does.
        if (name == "if" && call.Arguments.Count == 3)
        {
            var condition = EvaluateExpression(call.Arguments[0], scope);
            return condition is { Resolved: true, Value: JsonValue c } && c.TryGetValue<bool>(out var taken)
                ? EvaluateExpression(call.Arguments[taken ? 1 : 2], scope)
                : EvalResult.Unresolved;
        }

        var args = new List<JsonNode?>();
        foreach (var argument in call.Arguments)
        {
            var value = EvaluateExpression(argument, scope);
            if (!value.Resolved)
            {
                return EvalResult.Unresolved;
            }

            args.Add(value.Value);
        }

        string? Str(int i) => i < args.Count && args[i] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

        switch (name)
        {
            case "format":
                return Str(0) is { } pattern && TryFormat(pattern, args.Skip(1).Select(EvalResult.Of).ToList(), out var formatted)
                    ? EvalResult.Of(JsonValue.Create(formatted))
                    : EvalResult.Unresolved;
            case "concat" when args.All(a => a is JsonValue):
                return EvalResult.Of(JsonValue.Create(string.Concat(args.Select(a => ToText(a)))));
            case "concat" when args.All(a => a is JsonArray):
                return EvalResult.Of(new JsonArray(args.SelectMany(a => ((JsonArray)a!).Select(x => x?.DeepClone())).ToArray()));
            case "tolower" when Str(0) is { } lower:
                return EvalResult.Of(JsonValue.Create(lower.ToLowerInvariant()));
            case "toupper" when Str(0) is { } upper:
                return EvalResult.Of(JsonValue.Create(upper.ToUpperInvariant()));
            case "string" when args.Count == 1:
                return EvalResult.Of(JsonValue.Create(ToText(args[0])));
            case "empty" when args.Count == 1:
                return args[0] switch
                {
                    null => EvalResult.Of(JsonValue.Create(true)),
                    JsonArray array => EvalResult.Of(JsonValue.Create(array.Count == 0)),
                    JsonObject obj => EvalResult.Of(JsonValue.Create(obj.Count == 0)),
                    JsonValue v when v.TryGetValue<string>(out var text) => EvalResult.Of(JsonValue.Create(text.Length == 0)),
                    _ => EvalResult.Unresolved,
                };
            case "join" when args.Count == 2 && args[0] is JsonArray items && Str(1) is { } delimiter && items.All(i => i is JsonValue):
                return EvalResult.Of(JsonValue.Create(string.Join(delimiter, items.Select(ToText))));
            case "equals" when args.Count == 2:
                return EvalResult.Of(JsonValue.Create(JsonNode.DeepEquals(args[0], args[1])));
            case "not" when args.Count == 1 && args[0] is JsonValue n && n.TryGetValue<bool>(out var negated):
                return EvalResult.Of(JsonValue.Create(!negated));
            case "createobject" when args.Count % 2 == 0:
            {
                var obj = new JsonObject();
                for (var i = 0; i < args.Count; i += 2)
                {
                    if (Str(i) is not { } key)
                    {
                        return EvalResult.Unresolved;
                    }

                    obj[key] = args[i + 1]?.DeepClone();
                }

                return EvalResult.Of(obj);
            }

            case "createarray":
                return EvalResult.Of(new JsonArray(args.Select(a => a?.DeepClone()).ToArray()));
            case "subscriptionresourceid" when Str(0) is { } type && type.Contains('/', StringComparison.Ordinal):
                return EvalResult.Of(JsonValue.Create(
                    $"/subscriptions/{{subscriptionId}}/providers/{type}/{string.Join("/", args.Skip(1).Select(ToText))}"));
            case "resourceid" when Str(0) is { } type && type.Contains('/', StringComparison.Ordinal):
                return EvalResult.Of(JsonValue.Create(
                    $"/subscriptions/{{subscriptionId}}/resourceGroups/{{resourceGroup}}/providers/{type}/{string.Join("/", args.Skip(1).Select(ToText))}"));
            default:
                return EvalResult.Unresolved;
        }
    }

    private static string ToText(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "True" : "False",
        _ => node.ToJsonString(),
    };

    private static bool TryFormat(string pattern, IReadOnlyList<EvalResult> args, out string result)
    {
        var unresolved = false;
        var text = FormatItem().Replace(pattern, match =>
        {
            if (match.Value is "{{" or "}}")
            {
                return match.Value[..1];
            }

            var index = int.Parse(match.Groups["i"].Value, CultureInfo.InvariantCulture);
            if (index >= args.Count || !args[index].Resolved)
            {
                unresolved = true;
                return "";
            }

            return ToText(args[index].Value);
        });
        result = text;
        return !unresolved;
    }

    /// <summary>Canonical text of an expression, to compare two expressions structurally.</summary>
    public static string Print(ArmExpression expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var builder = new StringBuilder();
        Write(expression, builder);
        return builder.ToString();

        static void Write(ArmExpression e, StringBuilder b)
        {
            switch (e)
            {
                case StringLiteral s:
                    b.Append('\'').Append(s.Value.Replace("'", "''", StringComparison.Ordinal)).Append('\'');
                    break;
                case IntegerLiteral i:
                    b.Append(i.Value.ToString(CultureInfo.InvariantCulture));
                    break;
                case BooleanLiteral bl:
                    b.Append(bl.Value ? "true" : "false");
                    break;
                case FunctionCall call:
                    b.Append(call.Name.ToLowerInvariant()).Append('(');
                    for (var i = 0; i < call.Arguments.Count; i++)
                    {
                        if (i > 0)
                        {
                            b.Append(", ");
                        }

                        Write(call.Arguments[i], b);
                    }

                    b.Append(')');
                    break;
                case PropertyAccess access:
                    Write(access.Target, b);
                    b.Append('.').Append(access.Property);
                    break;
                case IndexAccess index:
                    Write(index.Target, b);
                    b.Append('[');
                    Write(index.Index, b);
                    b.Append(']');
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(expression), e, "Unknown expression node.");
            }
        }
    }

    [GeneratedRegex(@"\{\{|\}\}|\{(?<i>\d+)(?:[,:][^}]*)?\}")]
    private static partial Regex FormatItem();
}
