using Orders.Application.UseCases.Commands;
using Orders.Domain.Events;
using Orders.Domain.ValueObjects;
using static Orders.Application.Tests.TestData;
using static Orders.Application.Tests.UseCases.Harness;

namespace Orders.Application.Tests.UseCases;

/// <summary>Many callers, one order: nothing lost, nothing doubled, money never over-refunded.</summary>
public sealed class ConcurrencyTests : IDisposable
{
    private readonly Harness _h = new(sqlite: true);

    [Fact]
    public async Task FiftyConcurrentRefundRequests_AreEachAppliedOnceOrRefused_AndNeverExceedThePayment()
    {
        var id = await _h.PaidAsync();
        // 50 requests of 1.00–1.49 USD against 30.00 paid: about half fit, the rest must be refused.
        var commands = Enumerable.Range(0, 50).Select(i => new InitiateRefundCommand(id, $"rf-{i}", Usd(100 + i), "goodwill")).ToArray();

        var results = await Task.WhenAll(commands.Select(c => Task.Run(() => _h.Refund.ExecuteAsync(c, Request(Operator)))));

        var order = await _h.LoadAsync(id);
        var applied = results.Where(r => r.IsSuccess).Count();
        Assert.Equal(applied, order.History.Count(h => h.Event is RefundRequested));
        Assert.Equal(applied, order.Refunds.Count);
        Assert.All(results.Where(r => !r.IsSuccess), r =>
            Assert.Contains(r.Rejection!.Code, new[] { "order.refund-exceeds-paid", "order.concurrency-conflict" }));
        Assert.True(Money.Sum(order.Refunds.Select(r => r.Amount), Currency.USD) <= order.AmountPaid);
        Assert.True(order.VerifyHistory().IsIntact);
        Assert.InRange(applied, 1, 50);
        // Every successful answer names a distinct version: no two writes claimed the same slot.
        Assert.Equal(applied, results.Where(r => r.IsSuccess).Select(r => r.Value!.Receipt.Version).Distinct().Count());
    }

    [Fact]
    public async Task ConcurrentShipAndCancel_LeaveOneConsistentOutcome()
    {
        var id = await _h.CreatedAsync();
        await _h.Confirm.ExecuteAsync(new ConfirmOrderCommand(id, "res-1", "auth-1"), Request(Saga));

        var tasks = Enumerable.Range(0, 25).SelectMany(i => new[]
        {
            Task.Run(async () => (await _h.Cancel.ExecuteAsync(new CancelOrderCommand(id, $"cancel {i}"), Request(Buyer))).IsSuccess),
            Task.Run(async () => (await _h.MarkPaid.ExecuteAsync(new MarkOrderPaidCommand(id, $"pay-{i}", Usd(3000)), Request(Saga))).IsSuccess),
        }).ToArray();
        await Task.WhenAll(tasks);

        var order = await _h.LoadAsync(id);
        Assert.True(order.VerifyHistory().IsIntact);
        Assert.Equal(3, order.Version); // created, confirmed, then exactly one of cancelled / paid
        Assert.Contains(order.Status, new[] { OrderStatus.Cancelled, OrderStatus.Paid });
    }

    public void Dispose() => _h.Dispose();
}
