using Orders.Domain.Common;
using Orders.Domain.OrderAggregate;

namespace Orders.Domain.Tests.TestSupport;

public static class OrderAssert
{
    /// <summary>Runs <paramref name="command"/> and asserts it left every observable part of the order as it was.</summary>
    public static Rejection? RecordsNothing(Order order, Func<Rejection?> command)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(command);
        var before = ObservableState.Of(order);
        var version = order.Version;

        var rejection = command();

        Assert.Equal(version, order.Version);
        Assert.Equal(before, ObservableState.Of(order));
        return rejection;
    }

    /// <summary>Asserts the command was refused with <paramref name="code"/> and changed nothing.</summary>
    public static void Refused(string code, Order order, Func<Rejection?> command)
    {
        var rejection = RecordsNothing(order, command);
        Assert.NotNull(rejection);
        Assert.Equal(code, rejection.Code);
    }

    /// <summary>Asserts the command was an exact replay: accepted, and nothing recorded.</summary>
    public static void Replayed(Order order, Func<Rejection?> command) => Assert.Null(RecordsNothing(order, command));

    /// <summary>Asserts the command was accepted and appended exactly one entry carrying an event of type <typeparamref name="TEvent"/>.</summary>
    public static TEvent Recorded<TEvent>(Order order, Func<Rejection?> command) where TEvent : Orders.Domain.Events.OrderEvent
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(command);
        var version = order.Version;

        Assert.Null(command());

        Assert.Equal(version + 1, order.Version);
        Assert.True(order.VerifyHistory().IsIntact);
        return Assert.IsType<TEvent>(order.History[^1].Event);
    }
}
