using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Orders.Application.Access;
using Orders.Domain.Common;
using Orders.Domain.ValueObjects;

namespace Orders.Api.Auth;

/// <summary>
/// Local runs: <c>X-Dev-Caller: buyer:buyer-1</c>, <c>seller:seller-a</c>, <c>operator:ops-1</c>. Ignored (so the
/// request has no identity) unless <see cref="OrdersApiOptions.DevelopmentAuthentication"/> is on.
/// </summary>
public sealed class DevelopmentCallerResolver(IOptions<OrdersApiOptions> options) : ICallerResolver
{
    public const string HeaderName = "X-Dev-Caller";

    private readonly bool _enabled = options.Value.DevelopmentAuthentication;

    public CallerResolution Resolve(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_enabled) return CallerResolution.None;
        var header = request.Headers[HeaderName];
        if (header.Count == 0 || string.IsNullOrEmpty(header[0])) return CallerResolution.None;

        var value = header.Count == 1 ? header[0]! : "";
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        ActorKind? kind = colon < 0 ? null : value[..colon].ToUpperInvariant() switch
        {
            "BUYER" => ActorKind.Buyer,
            "SELLER" => ActorKind.Seller,
            "OPERATOR" => ActorKind.Operator,
            _ => null,
        };
        if (kind is null) return CallerResolution.Refused($"{HeaderName} must be buyer:<id>, seller:<id> or operator:<id>.");
        var id = value[(colon + 1)..];
        try
        {
            _ = new Actor(kind.Value, id);
        }
        catch (DomainException)
        {
            return CallerResolution.Refused($"{HeaderName} names an invalid id.");
        }
        return CallerResolution.Resolved(new Caller(kind.Value, id));
    }
}
