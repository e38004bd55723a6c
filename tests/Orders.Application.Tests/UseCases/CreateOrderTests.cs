using Orders.Application.Idempotency;
using Orders.Application.UseCases.Commands;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;
using static Orders.Application.Tests.TestData;
using static Orders.Application.Tests.UseCases.ResultAssert;

namespace Orders.Application.Tests.UseCases;

public sealed class CreateOrderTests : IDisposable
{
    private readonly Harness _h = new();

    [Fact]
    public async Task CreatingAnOrder_StoresItCreated_WithItsIdDerivedFromTheKey()
    {
        var reply = (await _h.Create.ExecuteAsync(CreateCommand(), Request(Buyer, "key-1"))).Unwrap();

        Assert.Equal(IdempotencyScope.OrderIdFor(Buyer, "key-1"), reply.Receipt.OrderId);
        Assert.Equal(OrderStatus.Created, reply.Receipt.Status);
        Assert.Equal(1, reply.Receipt.Version);
        Assert.False(reply.Replayed);
        var order = await _h.LoadAsync(reply.Receipt.OrderId);
        Assert.Equal(Money.Of(3000, Currency.USD), order.Total);
        Assert.Equal(Buyer.Id, order.History[0].Actor.Id);
        Assert.Equal(T0.AddMinutes(30), order.PaymentDueBy);
    }

    [Fact]
    public async Task CreatingWithoutAKey_IsRejected_AndStoresNothing()
    {
        Rejected("idempotency.key-missing", await _h.Create.ExecuteAsync(CreateCommand(), Request(Buyer, key: null)));
        Rejected("idempotency.key-missing", await _h.Create.ExecuteAsync(CreateCommand(), Request(Buyer, key: "has space")));
        Assert.Equal(0, await _h.EventCountAsync());
    }

    [Fact]
    public async Task ABuyerCreatingForAnotherBuyer_IsForbidden()
    {
        Rejected("order.forbidden", await _h.Create.ExecuteAsync(CreateCommand(buyer: "buyer-2"), Request(Buyer, "key-1")));
        Rejected("order.forbidden", await _h.Create.ExecuteAsync(CreateCommand(), Request(SellerA, "key-1")));
        Assert.Equal(0, await _h.EventCountAsync());
    }

    [Fact]
    public async Task AnOperator_MayCreateOnABuyersBehalf()
    {
        var reply = (await _h.Create.ExecuteAsync(CreateCommand(), Request(Operator, "key-1"))).Unwrap();
        Assert.Equal(ActorKind.Operator, (await _h.LoadAsync(reply.Receipt.OrderId)).History[0].Actor.Kind);
    }

    [Fact]
    public async Task AnInvalidOrder_IsRejected_AndStoresNothing()
    {
        var mixed = CreateCommand() with { Items = [Item(1, "a", 100), Item(2, "b", 100, currency: Currency.EUR)] };

        var result = await _h.Create.ExecuteAsync(mixed, Request(Buyer, "key-1"));

        Rejected("order.invalid", result);
        Assert.Contains(result.Rejection!.Errors, e => e.Contains("one currency", StringComparison.Ordinal));
        Assert.Equal(0, await _h.EventCountAsync());
    }

    [Fact]
    public async Task TheSameKeyAndBody_ReturnTheFirstAnswerByteForByte_WithoutASecondWrite()
    {
        var first = (await _h.Create.ExecuteAsync(CreateCommand(), Request(Buyer, "key-1"))).Unwrap();
        var second = (await _h.Create.ExecuteAsync(CreateCommand(), Request(Buyer, "key-1", at: T0.AddMinutes(5)))).Unwrap();

        Assert.True(second.Replayed);
        Assert.Equal(first.Json, second.Json);
        Assert.Equal(first.Receipt, second.Receipt);
        Assert.Equal(1, await _h.EventCountAsync());
    }

    [Fact]
    public async Task TheSameKeyWithADifferentBody_IsRefused()
    {
        await _h.Create.ExecuteAsync(CreateCommand(), Request(Buyer, "key-1"));
        var different = CreateCommand() with { ShippingFee = Money.Of(900, Currency.USD) };

        Rejected("idempotency.key-reused", await _h.Create.ExecuteAsync(different, Request(Buyer, "key-1")));
        Assert.Equal(1, await _h.EventCountAsync());
    }

    [Fact]
    public async Task TheSameKeyFromAnotherCaller_IsAnotherOrder()
    {
        var mine = (await _h.Create.ExecuteAsync(CreateCommand(), Request(Buyer, "key-1"))).Unwrap();
        var theirs = (await _h.Create.ExecuteAsync(CreateCommand(buyer: "buyer-2"), Request(OtherBuyer, "key-1"))).Unwrap();

        Assert.NotEqual(mine.Receipt.OrderId, theirs.Receipt.OrderId);
        Assert.Equal(2, await _h.EventCountAsync());
    }

    [Fact]
    public async Task AKeyReusedAfterItsRecordExpired_CannotCreateASecondOrderWithTheSameId()
    {
        await _h.Create.ExecuteAsync(CreateCommand(), Request(Buyer, "key-1"));

        var later = await _h.Create.ExecuteAsync(CreateCommand(), Request(Buyer, "key-1", at: T0 + _h.Options.IdempotencyRetention));

        Rejected("order.already-exists", later);
        Assert.Equal(1, await _h.EventCountAsync());
    }

    [Fact]
    public async Task TwentyParallelCreatesWithOneKey_MakeExactlyOneOrder_AndAnswerIdentically()
    {
        using var sqlite = new Harness(sqlite: true);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Task.Run(() => sqlite.Create.ExecuteAsync(CreateCommand(), Request(Buyer, "key-1")))));

        Assert.All(results, r => Assert.True(r.IsSuccess, r.Rejection?.ToString()));
        Assert.Single(results.Select(r => r.Value!.Json).Distinct());
        Assert.Equal(1, results.Count(r => !r.Value!.Replayed));
        Assert.Equal(1, await sqlite.EventCountAsync());
    }

    public void Dispose() => _h.Dispose();
}
