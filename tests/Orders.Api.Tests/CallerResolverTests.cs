using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Orders.Api.Auth;
using Orders.Application.Access;

namespace Orders.Api.Tests;

public sealed class CallerResolverTests
{
    private static readonly AppServicePrincipalCallerResolver Trusted = new(Options.Create(new OrdersApiOptions { TrustAppServicePrincipal = true }));

    private static HttpRequest Request(string header, string value)
    {
        var http = new DefaultHttpContext();
        http.Request.Headers[header] = value;
        return http.Request;
    }

    private static string Base64(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void APrincipalWithObjectIdAndBuyerRole_IsThatBuyer()
    {
        var resolution = Trusted.Resolve(Request(AppServicePrincipalCallerResolver.HeaderName, AppServicePrincipalCallerResolver.Encode("0b6f-42", "Orders.Buyer")));

        Assert.Equal(Caller.Buyer("0b6f-42"), resolution.Caller);
    }

    [Fact]
    public void APrincipalWithOnlySub_AndItsOwnRoleType_IsResolved()
    {
        var json = """{"auth_typ":"aad","claims":[{"typ":"sub","val":"ops-7"},{"typ":"role","val":"Orders.Operator"},{"typ":"name","val":"Grace"}],"name_typ":"name","role_typ":"role"}""";

        var resolution = Trusted.Resolve(Request(AppServicePrincipalCallerResolver.HeaderName, Base64(json)));

        Assert.Equal(Caller.Operator("ops-7"), resolution.Caller);
    }

    [Fact]
    public void TheObjectIdClaim_WinsOverSub()
    {
        var json = """{"claims":[{"typ":"sub","val":"subject"},{"typ":"http://schemas.microsoft.com/identity/claims/objectidentifier","val":"oid-1"},{"typ":"roles","val":"Orders.Seller"}],"role_typ":"roles"}""";

        Assert.Equal(Caller.Seller("oid-1"), Trusted.Resolve(Request(AppServicePrincipalCallerResolver.HeaderName, Base64(json))).Caller);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("bm90IGpzb24=")]
    public void AMalformedPrincipal_IsRefused(string header) =>
        Assert.NotNull(Trusted.Resolve(Request(AppServicePrincipalCallerResolver.HeaderName, header)).Refusal);

    [Fact]
    public void APrincipalWithoutAnOrdersRole_IsRefused() =>
        Assert.NotNull(Trusted.Resolve(Request(AppServicePrincipalCallerResolver.HeaderName, AppServicePrincipalCallerResolver.Encode("u-1", "Other.Role"))).Refusal);

    [Fact]
    public void APrincipalWithTwoOrdersRoles_IsRefused() =>
        Assert.NotNull(Trusted.Resolve(Request(AppServicePrincipalCallerResolver.HeaderName, AppServicePrincipalCallerResolver.Encode("u-1", "Orders.Buyer", "Orders.Operator"))).Refusal);

    [Fact]
    public void APrincipalWithoutAnId_IsRefused() =>
        Assert.NotNull(Trusted.Resolve(Request(AppServicePrincipalCallerResolver.HeaderName, Base64("""{"claims":[{"typ":"roles","val":"Orders.Buyer"}]}"""))).Refusal);

    [Fact]
    public void APrincipalWhoseIdIsNotAnIdentifier_IsRefused() =>
        Assert.NotNull(Trusted.Resolve(Request(AppServicePrincipalCallerResolver.HeaderName, AppServicePrincipalCallerResolver.Encode("auth0|123", "Orders.Buyer"))).Refusal);

    [Fact]
    public void ThePrincipalHeader_IsIgnoredUnlessTrusted()
    {
        var untrusted = new AppServicePrincipalCallerResolver(Options.Create(new OrdersApiOptions()));

        Assert.True(untrusted.Resolve(Request(AppServicePrincipalCallerResolver.HeaderName, AppServicePrincipalCallerResolver.Encode("u-1", "Orders.Operator"))).IsNone);
    }

    [Theory]
    [InlineData("buyer:buyer-1", "Buyer", "buyer-1")]
    [InlineData("Seller:seller-a", "Seller", "seller-a")]
    [InlineData("operator:ops-1", "Operator", "ops-1")]
    public void TheDevelopmentHeader_NamesKindAndId(string header, string kind, string id)
    {
        var resolver = new DevelopmentCallerResolver(Options.Create(new OrdersApiOptions { DevelopmentAuthentication = true }));

        var caller = resolver.Resolve(Request(DevelopmentCallerResolver.HeaderName, header)).Caller;

        Assert.Equal(kind, caller!.Kind.ToString());
        Assert.Equal(id, caller.Id);
    }

    [Fact]
    public void TheDevelopmentHeader_CannotClaimTheSystem()
    {
        var resolver = new DevelopmentCallerResolver(Options.Create(new OrdersApiOptions { DevelopmentAuthentication = true }));

        Assert.NotNull(resolver.Resolve(Request(DevelopmentCallerResolver.HeaderName, "system:checkout-saga")).Refusal);
    }
}
