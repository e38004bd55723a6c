using Orders.Api.Problems;
using Orders.Application;
using Orders.Domain.OrderAggregate;

namespace Orders.Api.Tests;

public sealed class ProblemTypesTests
{
    public static TheoryData<string> RejectionCodes() => [.. OrderRejections.AllCodes.Concat(ApplicationRejections.AllCodes)];

    [Theory]
    [MemberData(nameof(RejectionCodes))]
    public void EveryRejectionCode_HasAProblemType(string code)
    {
        Assert.True(ProblemTypes.TryGet(code, out var type), $"{code} is missing from ProblemTypes.");
        Assert.Equal("https://orders.example/problems/" + code, type.TypeUri);
        Assert.InRange(type.Status, 400, 499);
        Assert.False(string.IsNullOrWhiteSpace(type.Title));
    }

    [Fact]
    public void TheCheck_DetectsAMissingCode() =>
        Assert.False(ProblemTypes.TryGet("order.no-such-code", out _));

    [Fact]
    public void EveryTransportCode_HasAProblemType()
    {
        var codes = typeof(ProblemTypes.Codes).GetFields().Select(f => (string)f.GetValue(null)!).ToArray();

        Assert.NotEmpty(codes);
        Assert.All(codes, code => Assert.True(ProblemTypes.TryGet(code, out _), code));
    }

    [Fact]
    public void TypesAreUnique() =>
        Assert.Equal(ProblemTypes.All.Count, ProblemTypes.All.Select(t => t.TypeUri).Distinct().Count());

    [Theory]
    [InlineData("order.not-found", 404)]
    [InlineData("order.forbidden", 403)]
    [InlineData("order.version-mismatch", 412)]
    [InlineData("idempotency.key-reused", 422)]
    [InlineData("idempotency.key-missing", 400)]
    [InlineData("idempotency.in-flight", 409)]
    [InlineData("request.if-match-required", 428)]
    [InlineData("request.malformed-json", 400)]
    [InlineData("request.body-too-large", 400)]
    [InlineData("auth.unauthenticated", 401)]
    [InlineData("order.not-cancellable", 409)]
    [InlineData("order.invalid", 422)]
    public void KeyCodes_HaveTheirStatus(string code, int status) =>
        Assert.Equal(status, ProblemTypes.For(code).Status);

    [Theory]
    [InlineData("currency.unknown")]
    [InlineData("reason.empty")]
    [InlineData("sku.too-long")]
    public void InvalidValues_Are400WithTheirOwnType(string code)
    {
        var type = ProblemTypes.ForInvalidValue(code);

        Assert.Equal(400, type.Status);
        Assert.Equal("https://orders.example/problems/" + code, type.TypeUri);
    }
}
