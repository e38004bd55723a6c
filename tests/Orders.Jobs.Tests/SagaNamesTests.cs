using Orders.Application.Integration;
using Orders.Domain.ValueObjects;

namespace Orders.Jobs.Tests;

public sealed class SagaNamesTests
{
    [Theory]
    [InlineData("refund-ord-1|r1", "ord-1")]
    [InlineData("refund-ord-1|late-capture-pay|odd", "ord-1")]
    [InlineData("refund-|r1", null)]
    [InlineData("refund-ord 1|r1", null)]
    [InlineData("refund-ord-1", null)]
    [InlineData("checkout-ord-1", null)]
    public void TheOrderOfARefundInstance_IsReadBackFromItsId_AndNothingElseIsTakenForOne(string instanceId, string? order) =>
        Assert.Equal(order, SagaNames.OrderOfRefund(instanceId)?.Value);

    [Fact]
    public void EveryRefundIdNamesItsOrder() =>
        Assert.Equal(OrderId.From("ord-7"), SagaNames.OrderOfRefund(SagaNames.RefundId(OrderId.From("ord-7"), "late-capture-x")));
}
