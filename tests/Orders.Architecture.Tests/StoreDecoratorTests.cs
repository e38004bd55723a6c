using System.Reflection;
using Orders.Application.Ports.Outbound;
using Orders.LocalHost;

namespace Orders.Architecture.Tests;

/// <summary>
/// Every decorator of the order store implements every member of <see cref="IOrderStore"/> itself. The interface gives
/// two members default bodies (re-derive the stored history from the decoded order; refuse to list orders), which are
/// right only for a store that cannot do better; a decorator that leaves them to the defaults hides what the store it
/// wraps can do. Seen on main: the local host's <see cref="SignallingOrderStore"/> did, and the local host stopped at
/// start-up ("SignallingOrderStore cannot list every order", reconcile's rotation), failing 21 end-to-end tests.
/// </summary>
public sealed class StoreDecoratorTests
{
    private static readonly Type[] Known = [typeof(SignallingOrderStore), typeof(TimeBoundOrderStore)];

    public static TheoryData<Type> Decorators => [.. Known];

    [Theory]
    [MemberData(nameof(Decorators))]
    public void A_store_decorator_forwards_every_member_of_the_port(Type decorator)
    {
        ArgumentNullException.ThrowIfNull(decorator);
        var map = decorator.GetInterfaceMap(typeof(IOrderStore));
        var defaulted = map.TargetMethods.Where(m => m.DeclaringType != decorator).Select(m => m.Name).Order().ToArray();
        Assert.True(defaulted.Length == 0, $"{decorator.Name} leaves {string.Join(", ", defaulted)} to IOrderStore's default bodies.");
    }

    [Fact]
    public void The_decorators_list_holds_every_decorator_of_the_port()
    {
        // A decorator: an IOrderStore whose constructor takes an IOrderStore.
        var found = new[] { typeof(TimeBoundOrderStore).Assembly, typeof(SignallingOrderStore).Assembly, typeof(Orders.Infrastructure.Sqlite.SqliteOrderStore).Assembly, typeof(Orders.Infrastructure.Cosmos.CosmosOrderStore).Assembly }
            .SelectMany(a => a.GetTypes())
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IOrderStore).IsAssignableFrom(t)
                && t.GetConstructors(BindingFlags.Public | BindingFlags.Instance).Any(c => c.GetParameters().Any(p => p.ParameterType == typeof(IOrderStore))))
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(Known.OrderBy(t => t.Name, StringComparer.Ordinal), found);
    }
}
