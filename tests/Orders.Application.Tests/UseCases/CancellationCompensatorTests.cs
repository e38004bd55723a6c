using Orders.Application.Integration;
using Orders.Application.Reactions;
using Orders.Application.Tests.Reactions;
using Orders.Application.Ports.Outbound;
using Orders.Application.UseCases.Commands;
using Orders.Domain.Services;
using Orders.Domain.ValueObjects;
using static Orders.Application.Tests.TestData;

namespace Orders.Application.Tests.UseCases;

public sealed class CancellationCompensatorTests : IDisposable
{
    private readonly ReactionWorld _w;
    private readonly Harness _h;
    private readonly RecordingGateways _gateways;

    public CancellationCompensatorTests()
    {
        _w = new ReactionWorld();
        _h = _w.H;
        _gateways = _w.Gateways;
    }

    /// <summary>The reaction table's compensation lane over the change log, as the pump runs it.</summary>
    private Lane Compensator => new(_w);

    private sealed class Lane(ReactionWorld world)
    {
        public Task<int> RunOnceAsync(int max) => world.RunAsync(ReactionLane.Compensation, max);
    }

    private static readonly Promotion Spring = new("SPRING10", PromotionKind.PercentOff, 1_000);

    private async Task<OrderId> CreatedWithPromotionAsync(string key, bool twoSellers = false) =>
        (await _h.Create.ExecuteAsync(CreateCommand(twoSellers: twoSellers) with { Promotions = [Spring] }, Request(Buyer, key))).Unwrap().Receipt.OrderId;

    [Fact]
    public async Task CancellingAConfirmedOrder_ReleasesItsStock_AndVoidsItsAuthorisation_WithKeysOfItsOwn()
    {
        var id = await _h.CreatedAsync();
        await _h.Confirm.ExecuteAsync(new ConfirmOrderCommand(id, "res-1", "auth-1"), Request(Saga));
        await _h.Cancel.ExecuteAsync(new CancelOrderCommand(id, "changed my mind"), Request(Buyer));

        Assert.Equal(3, await Compensator.RunOnceAsync(100));

        // Not the checkout saga's keys: a checkout still running gives back what it is granted later with those.
        var release = Assert.Single(_gateways.Releases);
        Assert.Equal(("res-1", $"cancellation-{id.Value}:release"), (release.ReservationId, release.IdempotencyKey));
        var voided = Assert.Single(_gateways.Voids);
        Assert.Equal(("auth-1", $"cancellation-{id.Value}:void"), (voided.AuthorizationId, voided.IdempotencyKey));
    }

    [Fact]
    public async Task ACancellationTheCheckoutSagaMade_IsCompensatedWithTheSagasKeys_SoTheDomainsActOnce()
    {
        var id = await CreatedWithPromotionAsync("key-saga-cancel");
        await _h.Cancel.ExecuteAsync(new CancelOrderCommand(id, "payment timed out"), Request(Saga, causation: $"{SagaNames.CheckoutId(id)}:cancel"));

        await Compensator.RunOnceAsync(100);

        var saga = SagaNames.CheckoutId(id);
        Assert.Equal($"{saga}:release", Assert.Single(_gateways.Releases).IdempotencyKey);
        Assert.Equal($"{saga}:void", Assert.Single(_gateways.Voids).IdempotencyKey);
        Assert.Equal($"{saga}:release-promotions", Assert.Single(_gateways.PromotionReleases).IdempotencyKey);
    }

    [Fact]
    public async Task ACancellationAnotherOrdersCheckoutMade_IsCompensatedWithKeysOfItsOwn()
    {
        var id = await _h.CreatedAsync("key-parent-cancel");
        await _h.Cancel.ExecuteAsync(new CancelOrderCommand(id, "codes refused"), Request(Saga, causation: $"checkout-ord-parent:cancel-{id.Value}"));

        await Compensator.RunOnceAsync(100);

        Assert.Equal($"cancellation-{id.Value}:release", Assert.Single(_gateways.Releases).IdempotencyKey);
    }

    [Fact]
    public async Task EachCancellationIsCompensatedOnce_AndOtherFactsNotAtAll()
    {
        var cod = await _h.CreatedAsync("key-cod", OrderType.CashOnDelivery);
        var paid = await _h.PaidAsync("key-paid");
        await _h.Cancel.ExecuteAsync(new CancelOrderCommand(cod, "no longer needed"), Request(Buyer));

        await Compensator.RunOnceAsync(100);
        await Compensator.RunOnceAsync(100);

        Assert.Equal([cod], _gateways.Releases.Select(r => r.OrderId));
        Assert.Empty(_gateways.Voids); // a cash-on-delivery order has no authorisation to void
        Assert.DoesNotContain(paid, _gateways.Releases.Select(r => r.OrderId));
    }

    [Fact]
    public async Task CancellingAConfirmedOrder_ReleasesItsPromotionCodes_WithAKeyOfItsOwn()
    {
        var id = await CreatedWithPromotionAsync("key-promo");
        await _h.Confirm.ExecuteAsync(new ConfirmOrderCommand(id, "res-1", "auth-1"), Request(Saga));
        await _h.Cancel.ExecuteAsync(new CancelOrderCommand(id, "changed my mind"), Request(Buyer));

        await Compensator.RunOnceAsync(100);

        var release = Assert.Single(_gateways.PromotionReleases);
        Assert.Equal((id, (string?)null, $"cancellation-{id.Value}:release-promotions"), (release.OrderId, release.RedemptionId, release.IdempotencyKey));
        Assert.Equal(["SPRING10"], release.Codes);
        Assert.Contains("changed my mind", release.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancellingAnOrderWithoutPromotions_ReleasesNoCodes()
    {
        var id = await _h.CreatedAsync("key-plain");
        await _h.Cancel.ExecuteAsync(new CancelOrderCommand(id, "changed my mind"), Request(Buyer));

        await Compensator.RunOnceAsync(100);

        Assert.Single(_gateways.Releases);
        Assert.Empty(_gateways.PromotionReleases);
    }

    [Fact]
    public async Task ASplitCartsCodes_GoBackOnlyWhenItsLastChildIsCancelled()
    {
        var parent = await CreatedWithPromotionAsync("key-split", twoSellers: true);
        var children = (await _h.Split.ExecuteAsync(new SplitOrderCommand(parent), Request(Saga, causation: "split-1"))).Unwrap().Receipt.ChildOrderIds;
        Assert.Equal(2, children.Count);

        await _h.Cancel.ExecuteAsync(new CancelOrderCommand(children[0], "one seller's part"), Request(Buyer, causation: "cancel-1"));
        await Compensator.RunOnceAsync(100);
        Assert.Empty(_gateways.PromotionReleases); // the other seller's part is still bought: the codes stay redeemed

        await _h.Cancel.ExecuteAsync(new CancelOrderCommand(children[1], "the rest too"), Request(Buyer, causation: "cancel-2"));
        await Compensator.RunOnceAsync(100);

        var release = Assert.Single(_gateways.PromotionReleases);
        Assert.Equal((parent, $"{SagaNames.CheckoutId(parent)}:release-promotions"), (release.OrderId, release.IdempotencyKey));
        Assert.Equal(["SPRING10"], release.Codes);
    }

    public void Dispose() => _w.Dispose();
}
