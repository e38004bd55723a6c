using Orders.Application.UseCases.Commands;
using Orders.Domain.ValueObjects;
using static Orders.Application.Tests.TestData;
using static Orders.Application.Tests.UseCases.Harness;
using static Orders.Application.Tests.UseCases.ResultAssert;

namespace Orders.Application.Tests.UseCases;

public sealed class CommandIdempotencyTests : IDisposable
{
    private readonly Harness _h = new(sqlite: true);

    [Fact]
    public async Task TheSameKeyTwentyTimesInParallel_ChangesTheOrderOnce_AndAnswersIdentically()
    {
        var id = await _h.PaidAsync();
        var before = await _h.EventCountAsync();
        var command = new InitiateRefundCommand(id, "rf-1", Usd(700), "scratched");

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Task.Run(() => _h.Refund.ExecuteAsync(command, Request(Buyer, "refund-key")))));

        Assert.All(results, r => Assert.True(r.IsSuccess, r.Rejection?.ToString()));
        Assert.Single(results.Select(r => r.Value!.Json).Distinct());
        Assert.Equal(before + 1, await _h.EventCountAsync());
        Assert.Single((await _h.LoadAsync(id)).Refunds);
    }

    [Fact]
    public async Task TheSameKeyWithADifferentBody_IsRefused()
    {
        var id = await _h.PaidAsync();
        await _h.Refund.ExecuteAsync(new InitiateRefundCommand(id, "rf-1", Usd(700), "scratched"), Request(Buyer, "refund-key"));

        Rejected("idempotency.key-reused",
            await _h.Refund.ExecuteAsync(new InitiateRefundCommand(id, "rf-1", Usd(900), "scratched"), Request(Buyer, "refund-key")));
        Assert.Equal(Usd(700), (await _h.LoadAsync(id)).Refunds.Single().Amount);
    }

    [Fact]
    public async Task AnExpiredKey_IsANewRequest()
    {
        var id = await _h.CreatedAsync();
        var first = (await _h.Cancel.ExecuteAsync(new CancelOrderCommand(id, "x"), Request(Buyer, "cancel-key"))).Unwrap();
        var later = T0 + _h.Options.IdempotencyRetention + TimeSpan.FromMinutes(1);

        // A different body under the same key is refused while the key lives, and is a new request once it expired.
        Rejected("idempotency.key-reused", await _h.Cancel.ExecuteAsync(new CancelOrderCommand(id, "y"), Request(Buyer, "cancel-key")));
        var renewed = (await _h.Cancel.ExecuteAsync(new CancelOrderCommand(id, "y"), Request(Buyer, "cancel-key", at: later))).Unwrap();

        Assert.False(renewed.Replayed);
        Assert.Equal(OrderStatus.Cancelled, renewed.Receipt.Status);
        Assert.Equal(first.Receipt.Version, renewed.Receipt.Version);
        var record = await _h.Store.FindIdempotencyRecordAsync(id, Idempotency.IdempotencyScope.RecordId(Buyer, "Cancel", "cancel-key"));
        Assert.Equal(later, record!.CreatedAt);
    }

    public void Dispose() => _h.Dispose();
}
