using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Orders.Application.Access;
using Orders.Domain.Common;
using Orders.Domain.ValueObjects;

namespace Orders.Api.Auth;

/// <summary>
/// App Service authentication ("Easy Auth"): the platform validates the token and forwards the principal in
/// <c>X-MS-CLIENT-PRINCIPAL</c>, base64 of <c>{"auth_typ":..,"claims":[{"typ":..,"val":..}],"name_typ":..,"role_typ":..}</c>.
/// The caller's id is the object id claim (<c>http://schemas.microsoft.com/identity/claims/objectidentifier</c>, else
/// <c>oid</c>, else <c>sub</c>); its kind is the one app role among <c>Orders.Buyer</c>, <c>Orders.Seller</c> and
/// <c>Orders.Operator</c> (role claims are those of type <c>role_typ</c>, <c>roles</c> or the WS-Fed role type).
/// Trusted only when <see cref="OrdersApiOptions.TrustAppServicePrincipal"/> is set: elsewhere a client could forge it.
/// </summary>
public sealed class AppServicePrincipalCallerResolver(IOptions<OrdersApiOptions> options) : ICallerResolver
{
    public const string HeaderName = "X-MS-CLIENT-PRINCIPAL";
    public const string ObjectIdClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier";
    public const string WsFedRoleClaim = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";
    public const string BuyerRole = "Orders.Buyer";
    public const string SellerRole = "Orders.Seller";
    public const string OperatorRole = "Orders.Operator";

    private readonly bool _trusted = options.Value.TrustAppServicePrincipal;

    public CallerResolution Resolve(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_trusted) return CallerResolution.None;
        var header = request.Headers[HeaderName];
        if (header.Count == 0 || string.IsNullOrEmpty(header[0])) return CallerResolution.None;
        if (header.Count > 1) return CallerResolution.Refused($"More than one {HeaderName} header.");

        List<(string Type, string Value)> claims;
        string roleType;
        try
        {
            using var document = JsonDocument.Parse(Convert.FromBase64String(header[0]!));
            var root = document.RootElement;
            roleType = root.TryGetProperty("role_typ", out var rt) && rt.ValueKind == JsonValueKind.String ? rt.GetString()! : "roles";
            claims = [];
            if (root.TryGetProperty("claims", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var claim in list.EnumerateArray())
                {
                    if (claim.ValueKind == JsonValueKind.Object
                        && claim.TryGetProperty("typ", out var typ) && typ.ValueKind == JsonValueKind.String
                        && claim.TryGetProperty("val", out var val) && val.ValueKind == JsonValueKind.String)
                        claims.Add((typ.GetString()!, val.GetString()!));
                }
            }
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            return CallerResolution.Refused($"{HeaderName} is not base64-encoded principal JSON.");
        }

        var id = Claim(claims, ObjectIdClaim) ?? Claim(claims, "oid") ?? Claim(claims, "sub");
        if (string.IsNullOrWhiteSpace(id)) return CallerResolution.Refused("The principal has no object id or subject claim.");

        var kinds = claims
            .Where(c => c.Type == roleType || c.Type == "roles" || c.Type == WsFedRoleClaim)
            .Select(c => c.Value switch
            {
                BuyerRole => ActorKind.Buyer,
                SellerRole => ActorKind.Seller,
                OperatorRole => ActorKind.Operator,
                _ => (ActorKind?)null,
            })
            .OfType<ActorKind>()
            .Distinct()
            .ToArray();
        if (kinds.Length != 1)
            return CallerResolution.Refused(kinds.Length == 0
                ? $"The principal has none of the roles {BuyerRole}, {SellerRole}, {OperatorRole}."
                : "The principal has more than one Orders role; a caller acts as exactly one.");

        try
        {
            _ = new Actor(kinds[0], id);
        }
        catch (DomainException)
        {
            return CallerResolution.Refused("The principal's id is not a usable identifier.");
        }
        return CallerResolution.Resolved(new Caller(kinds[0], id));
    }

    /// <summary>Encodes a principal as the platform does: for tests and local tools.</summary>
    public static string Encode(string id, params string[] roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var claims = new List<object> { new { typ = ObjectIdClaim, val = id } };
        claims.AddRange(roles.Select(r => new { typ = "roles", val = r }));
        var json = JsonSerializer.Serialize(new { auth_typ = "aad", claims, name_typ = "name", role_typ = "roles" });
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
    }

    private static string? Claim(List<(string Type, string Value)> claims, string type) =>
        claims.FirstOrDefault(c => c.Type == type).Value;
}
