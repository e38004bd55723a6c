using System.Text.Json.Nodes;

namespace Orders.Infra.Tests.Arm;

/// <summary>
/// A compiled ARM template (what <c>bicep build</c> writes) seen as a tree of deployment scopes: the template itself and
/// one nested scope per module (Microsoft.Resources/deployments with an inline template). Works on both layouts Bicep
/// emits: resources as an array, and resources as an object keyed by symbolic name (languageVersion 2.0).
/// The JSON is not copied: resources point into the document, so a test can change it and check again.
/// </summary>
public sealed class ArmTemplate
{
    public const string DeploymentType = "Microsoft.Resources/deployments";

    private ArmTemplate(ArmScope root)
    {
        Root = root;
        var all = new List<ArmResource>();
        Collect(root, all);
        Resources = all;
    }

    /// <summary>The top-level template.</summary>
    public ArmScope Root { get; }

    /// <summary>Every resource of every scope, depth first (module deployments included).</summary>
    public IReadOnlyList<ArmResource> Resources { get; }

    /// <summary>
    /// Wraps a compiled template. <paramref name="parameterValues"/> is the "parameters" object of a parameters file
    /// ({"name": {"value": ...}}); without it, top-level parameters resolve to their default values.
    /// </summary>
    public static ArmTemplate Load(JsonObject template, JsonObject? parameterValues = null)
    {
        ArgumentNullException.ThrowIfNull(template);
        return new ArmTemplate(new ArmScope(template, parameterValues, parent: null, path: "main"));
    }

    /// <summary>Resources of <paramref name="type"/> that the template creates (not the ones it only references as existing).</summary>
    public IEnumerable<ArmResource> Created(string type) =>
        Resources.Where(r => !r.IsExisting && string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase));

    private static void Collect(ArmScope scope, List<ArmResource> all)
    {
        foreach (var resource in scope.Resources)
        {
            all.Add(resource);
            if (resource.ChildScope is { } child)
            {
                Collect(child, all);
            }
        }
    }
}

/// <summary>One template in the tree: its JSON, the parameter values its caller passes, and its caller.</summary>
public sealed class ArmScope
{
    internal ArmScope(JsonObject template, JsonObject? parameterValues, ArmScope? parent, string path)
    {
        Template = template;
        ParameterValues = parameterValues;
        Parent = parent;
        Path = path;
        var resources = new List<ArmResource>();
        switch (template["resources"])
        {
            case JsonArray array:
                foreach (var item in array.OfType<JsonObject>())
                {
                    resources.Add(new ArmResource(null, item, this));
                }

                break;
            case JsonObject byName:
                foreach (var (symbol, item) in byName)
                {
                    if (item is JsonObject body)
                    {
                        resources.Add(new ArmResource(symbol, body, this));
                    }
                }

                break;
            default:
                break;
        }

        Resources = resources;
    }

    public JsonObject Template { get; }

    /// <summary>The "parameters" object the caller passes ({"name": {"value": ...}}), or null at the top without a parameters file.</summary>
    public JsonObject? ParameterValues { get; }

    public ArmScope? Parent { get; }

    /// <summary>"main", "main/functionApp", ...: where this scope is, for messages.</summary>
    public string Path { get; }

    public IReadOnlyList<ArmResource> Resources { get; }

    public override string ToString() => Path;
}

/// <summary>A resource declaration inside a scope; <see cref="Body"/> is the live JSON object.</summary>
public sealed class ArmResource
{
    internal ArmResource(string? symbol, JsonObject body, ArmScope scope)
    {
        Symbol = symbol;
        Body = body;
        Scope = scope;
        if (string.Equals(Type, ArmTemplate.DeploymentType, StringComparison.OrdinalIgnoreCase)
            && body["properties"]?["template"] is JsonObject template)
        {
            var label = symbol ?? body["name"]?.ToString() ?? "?";
            ChildScope = new ArmScope(template, body["properties"]?["parameters"] as JsonObject, scope, $"{scope.Path}/{label}");
        }
    }

    /// <summary>The symbolic name (languageVersion 2.0 templates), or null.</summary>
    public string? Symbol { get; }

    public JsonObject Body { get; }

    public ArmScope Scope { get; }

    /// <summary>The scope of the inline template when this is a module deployment.</summary>
    public ArmScope? ChildScope { get; }

    public string Type => Body["type"]?.GetValue<string>() ?? "";

    public bool IsExisting => Body["existing"] is JsonValue existing && existing.TryGetValue<bool>(out var value) && value;

    /// <summary>The segments of the resource name ("ns/topic/sub"), each null where it cannot be resolved statically.</summary>
    public IReadOnlyList<string?> NameSegments => ArmResolver.NameSegments(Body["name"], Scope);

    /// <summary>The last name segment (e.g. the subscription name of a subscription), or null when unresolved.</summary>
    public string? LeafName => NameSegments.Count > 0 ? NameSegments[^1] : null;

    /// <summary>Follows <c>properties.a.b</c> (dot separated) through parameters, variables and module outputs.</summary>
    public Located Property(string dottedPath)
    {
        ArgumentNullException.ThrowIfNull(dottedPath);
        var current = new Located(Body, Scope);
        foreach (var part in dottedPath.Split('.'))
        {
            current = ArmResolver.Follow(current.Node, current.Scope);
            if (current.IsExpression && ArmResolver.Evaluate(current.Node, current.Scope) is { Resolved: true } computed)
            {
                // e.g. sku: "[if(equals(parameters('sku'), 'Premium'), createObject(...), createObject(...))]"; the
                // computed value is a detached copy, good for reading.
                current = new Located(computed.Value, current.Scope);
            }

            current = current.Node is JsonObject obj ? new Located(obj[part], current.Scope) : new Located(null, current.Scope);
        }

        return ArmResolver.Follow(current.Node, current.Scope);
    }

    /// <summary>The fully evaluated value of a property, or null when it is missing or cannot be evaluated statically.</summary>
    public JsonNode? Evaluate(string dottedPath)
    {
        var located = Property(dottedPath);
        return located.Node is null ? null : ArmResolver.Evaluate(located.Node, located.Scope).Value;
    }

    public override string ToString() => $"{Type} '{string.Join("/", NameSegments.Select(s => s ?? "?"))}' ({Scope.Path}{(Symbol is null ? "" : "/" + Symbol)})";
}

/// <summary>A JSON node together with the scope its expressions are evaluated in.</summary>
public sealed record Located(JsonNode? Node, ArmScope Scope)
{
    /// <summary>The node's text when it is a string (a literal or an unresolved "[expression]").</summary>
    public string? Text => Node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>True when the node is a string holding an ARM expression that could not be resolved further.</summary>
    public bool IsExpression => Text is { } text && ArmExpression.IsExpression(text);
}
