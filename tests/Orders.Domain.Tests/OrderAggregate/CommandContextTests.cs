using Orders.Domain.Common;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;
using static Orders.Domain.Tests.TestSupport.TestOrders;

namespace Orders.Domain.Tests.OrderAggregate;

public sealed class CommandContextTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void AContextWithoutACausationId_IsRefused(string? causationId)
    {
        var e = Assert.Throws<DomainException>(() => new CommandContext(Actor.System("saga"), T0, causationId!));

        Assert.Equal("causationId.empty", e.Code);
    }

    [Fact]
    public void AnOverlongCausationId_IsRefused()
    {
        var e = Assert.Throws<DomainException>(() => new CommandContext(Actor.System("saga"), T0, new string('c', 201)));

        Assert.Equal("causationId.too-long", e.Code);
    }

    [Fact]
    public void AContextWithoutAnActor_IsAProgrammerError()
    {
        Assert.Throws<ArgumentNullException>(() => new CommandContext(null!, T0, "cmd-1"));
    }

    [Fact]
    public void AnActorWithAnInvalidId_IsRefused()
    {
        var e = Assert.Throws<DomainException>(() => Actor.Operator("jane doe"));

        Assert.Equal("actor-id.invalid", e.Code);
    }

    [Fact]
    public void TheTimeOfAContext_IsKeptInUtcAtTheSameInstant()
    {
        var local = new DateTimeOffset(2026, 1, 1, 2, 0, 0, TimeSpan.FromHours(2));

        var context = new CommandContext(Actor.System("saga"), local, "cmd-1");

        Assert.Equal(TimeSpan.Zero, context.At.Offset);
        Assert.Equal(T0, context.At);
    }
}
