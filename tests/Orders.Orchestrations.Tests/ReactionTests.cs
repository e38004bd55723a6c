using Microsoft.DurableTask.Client;
using Orders.Application.Integration;
using Orders.Application.Ports.Outbound;
using Orders.Application.Reactions;
using Orders.Domain.Events;
using Orders.Domain.ValueObjects;

namespace Orders.Orchestrations.Tests;

/// <summary>The reaction table starting the real sagas on the real engine, from the change log.</summary>
public sealed class ReactionTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private SagaHarness _h = null!;

    public async Task InitializeAsync() => _h = await SagaHarness.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var line in _h.Logs.Lines) output.WriteLine(line);
        await _h.DisposeAsync();
    }

    [Fact]
    public async Task ACreateCommittedJustBeforeACrash_GetsItsCheckoutFromTheNextPumpRun_AndIsDelivered()
    {
        var id = await _h.CreateOrderAsync("crash-before-start");
        // The process that committed the create died before anything else happened: no saga exists for the order.
        Assert.Null(await _h.Client.GetInstanceAsync(SagaNames.CheckoutId(id)));

        // The restarted host's pump reads the change log: order.created calls for the checkout saga.
        await _h.Reactions(_h.Sagas).RunOnceAsync(ReactionLane.SagaStarts, 100);

        Assert.Equal(SagaResult.Confirmed, SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.CheckoutId(id))).Result);
        Assert.Equal(SagaResult.Delivered, SagaHarness.Outcome(await _h.CompletionAsync(SagaNames.FulfillmentId(id))).Result);
        Assert.Equal(OrderStatus.Delivered, (await _h.OrderAsync(id)).Status);
        Assert.Equal(1, _h.Charges(id));
    }

    [Fact]
    public async Task AFactReactedToAgain_AfterACrashBeforeTheCheckpoint_RunsItsSagaOnce()
    {
        var id = await _h.CreateOrderAsync("read-twice");
        var forgetful = _h.Reactions(_h.Sagas, new CheckpointsLost(_h.Store));

        await forgetful.RunOnceAsync(ReactionLane.SagaStarts, 100);
        await forgetful.RunOnceAsync(ReactionLane.SagaStarts, 100); // the same order.created, read again
        await _h.CompletionAsync(SagaNames.FulfillmentId(id));
        await forgetful.RunOnceAsync(ReactionLane.SagaStarts, 100); // and again after everything finished

        var order = await _h.OrderAsync(id);
        Assert.Single(order.History, h => h.Event is OrderConfirmed);
        Assert.Single(order.History, h => h.Event is OrderPaid);
        Assert.Equal(OrderStatus.Delivered, order.Status);
        Assert.Equal(1, _h.Ledger.Count(id.Value, "reservation"));
        Assert.Equal(1, _h.Charges(id));
        Assert.Equal(1, _h.Ledger.Count(id.Value, "parcel"));
        var checkout = await _h.Client.GetInstanceAsync(SagaNames.CheckoutId(id));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, checkout!.RuntimeStatus);
    }

    /// <summary>The change log of a process that dies after its reactions ran and before it saved where it was.</summary>
    private sealed class CheckpointsLost(IOrderChangeLog inner) : IOrderChangeLog
    {
        public Task<ChangeBatch> ReadAsync(string consumer, int maxEvents, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(consumer, maxEvents, cancellationToken);

        public Task CommitAsync(string consumer, string checkpoint, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
