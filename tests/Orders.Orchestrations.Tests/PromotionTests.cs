using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Orders.Application.Integration;
using Orders.Domain.Services;
using Orders.Domain.ValueObjects;
using static Orders.Infrastructure.Simulators.SimulatedFailure;

namespace Orders.Orchestrations.Tests;

/// <summary>
/// The checkout saga redeems an order's promotion codes through the promotions port (after the stock, before the
/// money), cancels the order when they are refused (never re-pricing it), and releases them when checkout fails later.
/// </summary>
public sealed class PromotionTests : IAsyncLifetime
{
    private static readonly SagaOptions Short = SagaHarness.FastOptions with { PromotionsTimeout = TimeSpan.FromMilliseconds(400), PaymentTimeout = TimeSpan.FromMilliseconds(400) };

    private static readonly Promotion Spring = new("SPRING10", PromotionKind.PercentOff, 1_000);

    private SagaHarness _h = null!;

    public async Task InitializeAsync() => _h = await SagaHarness.StartAsync(Short);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private Task<OrderId> WithPromotionAsync(string key, params string[] skus) => _h.CreateOrderAsync(key, OrderType.Prepaid, false, [Spring], skus);

    private async Task<SagaOutcome> CheckoutAsync(OrderId id)
    {
        await _h.Sagas.StartCheckoutAsync(id);
        return SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.CheckoutId(id)));
    }

    private string[] Kinds(OrderId id) => [.. _h.Ledger.For(id.Value).Select(e => e.Kind)];

    [Fact]
    public async Task AnOrderPricedWithACode_RedeemsItOnce_AfterTheStock_BeforeThePayment()
    {
        var id = await WithPromotionAsync("promo-ok");
        var priced = (await _h.OrderAsync(id)).Pricing;

        Assert.Equal(SagaResult.Confirmed, (await CheckoutAsync(id)).Result);

        Assert.Equal(["reservation", "redemption", "authorization"], Kinds(id).Take(3));
        var redemption = Assert.Single(_h.Ledger.For(id.Value), e => e.Kind == "redemption");
        Assert.Equal(priced.Discount.Minor, redemption.Minor); // what the code took off, as frozen at creation
        Assert.Equal(priced.Discount.Minor, Assert.Single(priced.Promotions).Amount.Minor);
        var order = await _h.OrderAsync(id);
        Assert.Equal(priced.Total, order.Total);
        Assert.Contains(order.Status, new[] { OrderStatus.Confirmed, OrderStatus.Paid, OrderStatus.Shipped, OrderStatus.Delivered });
    }

    [Fact]
    public async Task ARefusedCode_CancelsTheOrder_ReleasingTheStock_WithoutAskingForMoney_OrRepricing()
    {
        var id = await WithPromotionAsync("promo-refused");
        _h.Knobs.Fail(id, RefusePromotion);
        var total = (await _h.OrderAsync(id)).Total;

        var outcome = await CheckoutAsync(id);

        Assert.Equal(SagaResult.Cancelled, outcome.Result);
        Assert.StartsWith("promotion refused: code no longer valid (SPRING10)", outcome.Reason, StringComparison.Ordinal);
        var order = await _h.OrderAsync(id);
        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.Equal(total, order.Total);
        Assert.Equal(["reservation", "release"], Kinds(id)); // nothing redeemed, so nothing to give back; no authorisation
    }

    [Fact]
    public async Task ACodeMarkedForRefusal_IsRefusedByTheSimulator_ThroughThePublicData()
    {
        var id = await _h.CreateOrderAsync("promo-marker", OrderType.Prepaid, false, [new Promotion("sim-refuse-promotion-1", PromotionKind.AmountOff, 100)]);

        Assert.Equal(SagaResult.Cancelled, (await CheckoutAsync(id)).Result);
        Assert.Equal(0, _h.Ledger.Count(id.Value, "redemption"));
    }

    [Fact]
    public async Task ADeclinedCard_ReleasesTheRedeemedCodes_ThenTheStock()
    {
        var id = await WithPromotionAsync("promo-declined");
        _h.Knobs.Fail(id, DeclineCard);

        Assert.Equal(SagaResult.Cancelled, (await CheckoutAsync(id)).Result);

        Assert.Equal(["reservation", "redemption", "promotions-release", "release"], Kinds(id));
        var redemption = _h.Ledger.For(id.Value).Single(e => e.Kind == "redemption").Reference;
        Assert.Equal(redemption, _h.Ledger.Find($"{SagaNames.CheckoutId(id)}:release-promotions")!.Reference);
    }

    [Fact]
    public async Task NoAnswerFromPromotions_CancelsTheOrder_AndReleasesWhateverALateAnswerMayRedeem()
    {
        var id = await WithPromotionAsync("promo-silent");
        _h.Knobs.Fail(id, SilentPromotions);

        var outcome = await CheckoutAsync(id);

        Assert.Equal((SagaResult.Cancelled, "promotion redemption timed out"), (outcome.Result, outcome.Reason));
        Assert.Equal(["reservation", "promotions-release", "release"], Kinds(id));
        Assert.Equal("(any)", _h.Ledger.Find($"{SagaNames.CheckoutId(id)}:release-promotions")!.Reference);
    }

    [Fact]
    public async Task AnOrderWithoutCodes_NeverAsksThePromotionsDomain()
    {
        var id = await _h.CreateOrderAsync("promo-none");

        Assert.Equal(SagaResult.Confirmed, (await CheckoutAsync(id)).Result);
        Assert.DoesNotContain("redemption", Kinds(id));
    }

    [Fact]
    public async Task AMultiSellerCart_RedeemsItsCodesOnce_OnTheParent_BeforeItSplits()
    {
        var id = await _h.CreateOrderAsync("promo-split", OrderType.Prepaid, true, [Spring]);

        var outcome = await CheckoutAsync(id);

        Assert.Equal(SagaResult.Split, outcome.Result);
        Assert.Equal(["redemption"], Kinds(id));
        var parent = await _h.OrderAsync(id);
        Assert.Equal(OrderStatus.Split, parent.Status);
        foreach (var child in parent.SplitInto)
        {
            Assert.Equal(SagaResult.Confirmed, SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.CheckoutId(child.OrderId))).Result);
            Assert.DoesNotContain("redemption", Kinds(child.OrderId));
        }
    }

    [Fact]
    public async Task ARefusedCartCode_CancelsTheWholeCart_BeforeAnySplit()
    {
        var id = await _h.CreateOrderAsync("promo-split-refused", OrderType.Prepaid, true, [Spring]);
        _h.Knobs.Fail(id, RefusePromotion);

        Assert.Equal(SagaResult.Cancelled, (await CheckoutAsync(id)).Result);

        var parent = await _h.OrderAsync(id);
        Assert.Equal(OrderStatus.Cancelled, parent.Status);
        Assert.Empty(parent.SplitInto);
    }

    [Fact]
    public async Task ACheckoutStartedBeforeThePromotionsStep_ReplaysAsItRan_WithoutRedeeming()
    {
        var id = await WithPromotionAsync("promo-v1");

        // An instance started by the previous release: its input, as that release wrote it, has no version (reads as 1).
        await _h.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Sagas.CheckoutSaga), new { OrderId = id.Value, Options = Short },
            new StartOrchestrationOptions(SagaNames.CheckoutId(id)));

        Assert.Equal(SagaResult.Confirmed, SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.CheckoutId(id))).Result);
        Assert.Equal(0, _h.Ledger.Count(id.Value, "redemption"));
    }
}
