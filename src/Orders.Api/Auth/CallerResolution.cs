using Orders.Application.Access;

namespace Orders.Api.Auth;

/// <summary>What a resolver made of a request: no credentials of its kind, a caller, or credentials it refuses.</summary>
public readonly record struct CallerResolution(Caller? Caller, string? Refusal)
{
    public static CallerResolution None => default;

    public bool IsNone => Caller is null && Refusal is null;

    public static CallerResolution Resolved(Caller caller) => new(caller ?? throw new ArgumentNullException(nameof(caller)), null);

    public static CallerResolution Refused(string reason) => new(null, reason);
}
