using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Orders.Application.Integration;
using Orders.Orchestrations.Sagas;
using static Orders.Infrastructure.Simulators.SimulatedFailure;

namespace Orders.Orchestrations.Tests;

/// <summary>
/// Behaviour revisions (decision 0025): every saga starts at its current revision, and the live instances of each
/// revision can be counted, so an old revision's branch is deleted only when nothing can still replay it.
/// </summary>
public sealed class SagaRevisionTests : IAsyncLifetime
{
    private SagaHarness _h = null!;

    public async Task InitializeAsync() => _h = await SagaHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task LiveInstancesAreCountedPerRevision_AndFinishedOnesAreNot()
    {
        var finished = await _h.CreateOrderAsync("rev-finished");
        await _h.Sagas.StartCheckoutAsync(finished);
        await _h.CompletionAsync(SagaNames.CheckoutId(finished));
        // Two checkouts left waiting for a payment answer that does not come: one started as the release before
        // revisions did (input without a revision), one as today.
        var old = await _h.CreateOrderAsync("rev-1-waiting");
        _h.Knobs.Fail(old, SilentPayment);
        await _h.Client.ScheduleNewOrchestrationInstanceAsync(nameof(CheckoutSaga), new { OrderId = old.Value, Options = _h.Options },
            new StartOrchestrationOptions(SagaNames.CheckoutId(old)));
        var current = await _h.CreateOrderAsync("rev-2-waiting");
        _h.Knobs.Fail(current, SilentPayment);
        await _h.Sagas.StartCheckoutAsync(current);

        var live = await _h.Sagas.LiveRevisionsAsync(SagaNames.Checkout);

        Assert.Equal(new Dictionary<int, int> { [1] = 1, [CheckoutInput.Current] = 1 }, live);
        Assert.Empty(await _h.Sagas.LiveRevisionsAsync(SagaNames.Refund));
    }

    [Fact]
    public async Task EverySagaStarts_AtItsCurrentRevision()
    {
        var id = await _h.CreateOrderAsync("rev-start");
        await _h.Sagas.StartCheckoutAsync(id);
        await _h.CompletionAsync(SagaNames.FulfillmentId(id));

        var checkout = await _h.Client.GetInstanceAsync(SagaNames.CheckoutId(id), getInputsAndOutputs: true);
        var fulfillment = await _h.Client.GetInstanceAsync(SagaNames.FulfillmentId(id), getInputsAndOutputs: true);

        Assert.Equal(CheckoutInput.Current, checkout!.ReadInputAs<CheckoutInput>()!.Version);
        Assert.Equal(FulfillmentInput.Current, fulfillment!.ReadInputAs<FulfillmentInput>()!.Version);
        Assert.Contains("\"Version\":", fulfillment.SerializedInput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARestartedCheckout_StartsAtTheCurrentRevision_WhateverRevisionItReplaces()
    {
        var id = await _h.CreateOrderAsync("rev-restart");
        _h.Knobs.Fail(id, OutOfStock);
        await _h.Client.ScheduleNewOrchestrationInstanceAsync(nameof(CheckoutSaga), new { OrderId = id.Value, Options = _h.Options },
            new StartOrchestrationOptions(SagaNames.CheckoutId(id)));
        await _h.CompletionAsync(SagaNames.CheckoutId(id));

        // A restart is a new instance (it used to start checkouts as revision 1, skipping the promotions step).
        Assert.True(await _h.Sagas.RestartAsync(SagaNames.Checkout, id, SagaNames.CheckoutId(id), null));

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while ((await _h.Client.GetInstanceAsync(SagaNames.CheckoutId(id), getInputsAndOutputs: true, deadline.Token))?.ReadInputAs<CheckoutInput>()?.Version
               != CheckoutInput.Current)
            await Task.Delay(10, deadline.Token);
    }
}
