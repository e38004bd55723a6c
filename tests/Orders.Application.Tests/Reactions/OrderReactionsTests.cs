using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orders.Application.Integration;
using Orders.Application.Ports.Outbound;
using Orders.Application.Reactions;
using Orders.Application.UseCases;
using Orders.Application.UseCases.Commands;
using Orders.Domain.Events;
using Orders.Domain.ValueObjects;
using Orders.Infrastructure.Sqlite;
using static Orders.Application.Tests.TestData;

namespace Orders.Application.Tests.Reactions;

/// <summary>The reaction table: which fact starts or compensates which saga, driven by the change log.</summary>
public sealed class OrderReactionsTests : IDisposable
{
    private readonly ReactionWorld _w = new(sqlite: true);

    [Fact]
    public async Task RecordingAnOrder_StartsNothing_UntilTheChangeLogIsRead_ThenItsCheckoutStarts()
    {
        var id = await _w.H.CreatedAsync();
        Assert.Empty(_w.Sagas.Starts); // the command only records the fact

        Assert.Equal(1, await _w.RunAsync(ReactionLane.SagaStarts));

        Assert.Equal([SagaNames.CheckoutId(id)], _w.Sagas.Starts);
    }

    [Fact]
    public async Task ACreateCommittedJustBeforeACrash_StillGetsItsCheckout_WhenTheRestartedProcessPumps()
    {
        using var folder = new TempFolder();
        var path = folder.File("orders.db");
        OrderId id;
        using (var beforeCrash = new SqliteOrderStore(new SqliteStoreOptions { Path = path }))
        {
            // The create commits; the process dies before anything else happens (no saga was started).
            var reply = await new CreateOrder(beforeCrash, new CommandOptions()).ExecuteAsync(CreateCommand(), Request(Buyer, "key-crash"));
            id = reply.Unwrap().Receipt.OrderId;
        }

        using var afterRestart = new SqliteOrderStore(new SqliteStoreOptions { Path = path });
        var sagas = new RecordingSagas();
        var reactions = new OrderReactions(afterRestart, afterRestart, sagas,
            new CancellationCompensator(afterRestart, _w.Gateways, _w.Gateways, _w.Gateways), _w.Handler, new FakeTimeProvider(T0),
            NullLogger<OrderReactions>.Instance);
        await reactions.RunOnceAsync(ReactionLane.SagaStarts, 100);

        Assert.Equal([SagaNames.CheckoutId(id)], sagas.Starts);
    }

    [Fact]
    public async Task FactsReadAgainAfterACrashBeforeTheCheckpoint_ChangeNothing()
    {
        var created = await _w.H.CreatedAsync("key-a");
        var cancelled = await _w.H.CreatedAsync("key-b");
        (await _w.H.Confirm.ExecuteAsync(new ConfirmOrderCommand(cancelled, "res-1", "auth-1"), Request(Saga))).Unwrap();
        (await _w.H.Cancel.ExecuteAsync(new CancelOrderCommand(cancelled, "changed my mind"), Request(Buyer))).Unwrap();
        var events = await _w.H.EventCountAsync();
        var histories = await HistoriesAsync(created, cancelled);

        // Every reaction runs, then the process "dies" before any lane's checkpoint is saved ...
        var forgetful = new OrderReactions(new CheckpointsLost(_w.H.Log), _w.H.Store, _w.Sagas,
            new CancellationCompensator(_w.H.Store, _w.Gateways, _w.Gateways, _w.Gateways), _w.Handler, _w.Clock, NullLogger<OrderReactions>.Instance);
        foreach (var lane in OrderReactions.Lanes) await forgetful.RunOnceAsync(lane, 100);
        // ... so the restarted pump reads the same facts and runs the same reactions again.
        await _w.RunAllAsync();

        // The same saga instance (the engine starts an instance id once), the same release and void keys (the other
        // domains act once per key), and nothing new recorded about either order.
        Assert.Equal([SagaNames.CheckoutId(created), SagaNames.CheckoutId(created)], _w.Sagas.Starts);
        Assert.Single(_w.Gateways.Releases.Select(r => r.IdempotencyKey).Distinct());
        Assert.Single(_w.Gateways.Voids.Select(v => v.IdempotencyKey).Distinct());
        Assert.Equal(2, _w.Gateways.Releases.Count);
        Assert.Equal(events, await _w.H.EventCountAsync());
        Assert.Equal(histories, await HistoriesAsync(created, cancelled));

        // And once the checkpoint is saved, a further run reads nothing and does nothing.
        await _w.RunAllAsync();
        Assert.Equal(2, _w.Sagas.Starts.Count);
        Assert.Equal(2, _w.Gateways.Releases.Count);
    }

    [Fact]
    public async Task AFailedStart_LeavesTheCheckpoint_AndTheNextRunStartsIt()
    {
        var id = await _w.H.CreatedAsync();
        _w.Sagas.Failure = new TimeoutException("engine unreachable");

        await Assert.ThrowsAsync<TimeoutException>(() => _w.RunAsync(ReactionLane.SagaStarts));
        _w.Sagas.Failure = null;
        await _w.RunAsync(ReactionLane.SagaStarts);

        Assert.Equal([SagaNames.CheckoutId(id)], _w.Sagas.Starts);
    }

    [Fact]
    public async Task AFailingCompensation_DoesNotHoldUpCheckouts()
    {
        var cancelled = await _w.H.CreatedAsync("key-a");
        (await _w.H.Cancel.ExecuteAsync(new CancelOrderCommand(cancelled, "changed my mind"), Request(Buyer))).Unwrap();
        var later = await _w.H.CreatedAsync("key-b");
        var failing = new OrderReactions(_w.H.Log, _w.H.Store, _w.Sagas,
            new CancellationCompensator(_w.H.Store, new UnreachableInventory(), _w.Gateways, _w.Gateways), _w.Handler, _w.Clock,
            NullLogger<OrderReactions>.Instance);

        await Assert.ThrowsAsync<TimeoutException>(() => failing.RunOnceAsync(ReactionLane.Compensation, 100));
        await failing.RunOnceAsync(ReactionLane.SagaStarts, 100);

        Assert.Equal([SagaNames.CheckoutId(later)], _w.Sagas.Starts); // the cancelled one no longer waits on a checkout
    }

    [Fact]
    public async Task AnOrderCancelledBeforeItsCreationWasRead_GetsNoCheckout_ButIsCompensated()
    {
        var id = await _w.H.CreatedAsync();
        (await _w.H.Cancel.ExecuteAsync(new CancelOrderCommand(id, "changed my mind"), Request(Buyer))).Unwrap();

        await _w.RunAllAsync();

        Assert.Empty(_w.Sagas.Starts);
        Assert.Equal(id, Assert.Single(_w.Gateways.Releases).OrderId);
    }

    [Fact]
    public async Task ACheckoutIsNotStarted_AfterThePaymentDeadline()
    {
        var id = await _w.H.CreatedAsync();
        _w.Clock.SetUtcNow((await _w.H.LoadAsync(id)).PaymentDueBy);

        await _w.RunAsync(ReactionLane.SagaStarts);

        Assert.Empty(_w.Sagas.Starts);
    }

    [Fact]
    public async Task ASplitChildsCreation_StartsNothing_ItsParentsCheckoutStartsIt()
    {
        var parent = await _w.H.CreatedAsync(twoSellers: true);
        var children = (await _w.H.Split.ExecuteAsync(new SplitOrderCommand(parent), Request(Saga, causation: "split-1"))).Unwrap().Receipt.ChildOrderIds;
        Assert.Equal(2, children.Count);

        await _w.RunAsync(ReactionLane.SagaStarts);

        // The parent is SPLIT (it waits on no checkout now); its checkout saga starts the children after the codes.
        Assert.Empty(_w.Sagas.Starts);
    }

    [Fact]
    public async Task PaymentRecorded_StartsFulfillment()
    {
        var id = await _w.H.PaidAsync();

        await _w.RunAsync(ReactionLane.SagaStarts);

        // Created and confirmed before it was read: the order, as it is now, waits only on its fulfillment.
        Assert.Equal([SagaNames.FulfillmentId(id)], _w.Sagas.Starts);
    }

    [Fact]
    public async Task ACashOnDeliveryConfirmation_StartsFulfillment_APrepaidOneDoesNot()
    {
        var cod = await _w.H.CreatedAsync("key-cod", OrderType.CashOnDelivery);
        var prepaid = await _w.H.CreatedAsync("key-prepaid");
        await _w.RunAsync(ReactionLane.SagaStarts);
        _w.Sagas.Starts.Clear();
        (await _w.H.Confirm.ExecuteAsync(new ConfirmOrderCommand(cod, "res-1", null), Request(Saga))).Unwrap();
        (await _w.H.Confirm.ExecuteAsync(new ConfirmOrderCommand(prepaid, "res-2", "auth-2"), Request(Saga))).Unwrap();

        await _w.RunAsync(ReactionLane.SagaStarts);

        Assert.Equal([SagaNames.FulfillmentId(cod)], _w.Sagas.Starts);
    }

    [Fact]
    public async Task APrepaidOrdersConfirmation_ReadAfterItWasPaid_LeavesTheFulfillmentToThePayment_SoItIsStartedOnce()
    {
        var id = await _w.H.PaidAsync();

        // The pump behind the commands: created, confirmed and paid fall into three batches, each read when the order
        // is already paid. Before, the confirmation found it waiting on its fulfillment and started it; the payment
        // started it again (refused by the engine: an exception and a round trip per prepaid order under load).
        for (var batch = 0; batch < 3; batch++) Assert.Equal(1, await _w.RunAsync(ReactionLane.SagaStarts, max: 1));

        Assert.Equal([SagaNames.FulfillmentId(id)], _w.Sagas.Starts);
    }

    [Fact]
    public async Task ARefundRequest_StartsThatRefundsSaga()
    {
        var id = await _w.H.PaidAsync();
        await _w.RunAsync(ReactionLane.SagaStarts);
        _w.Sagas.Starts.Clear();
        (await _w.H.Refund.ExecuteAsync(new InitiateRefundCommand(id, "rf-1", UseCases.Harness.Usd(3000), "changed my mind"), Request(Buyer, "refund-1"))).Unwrap();

        await _w.RunAsync(ReactionLane.SagaStarts);

        Assert.Equal([SagaNames.RefundId(id, "rf-1")], _w.Sagas.Starts);
    }

    [Fact]
    public async Task APaidOrdersPayment_ReadWhileARefundWasPending_StartsItsFulfillment_WhichHoldsTheParcelUntilTheRefundSettles()
    {
        var (partly, wholly) = await TwoPaidOrdersWithRefundsRequestedAsync("key");
        // The payments were read with the refunds pending: a paid order may not ship then, but its fulfillment starts
        // all the same and holds the parcel until the refund settles (decision 0036; before, it waited for the refund).
        await _w.RunAsync(ReactionLane.SagaStarts);
        // A batch's starts run concurrently: in no particular order (CI saw both).
        Assert.Equal(new[]
            {
                SagaNames.FulfillmentId(partly), SagaNames.FulfillmentId(wholly), SagaNames.RefundId(partly, "rf-1"), SagaNames.RefundId(wholly, "rf-2"),
            }.Order(StringComparer.Ordinal),
            _w.Sagas.Starts.Order(StringComparer.Ordinal));
        _w.Sagas.Starts.Clear();

        await SettleRefundsAsync(partly, wholly);
        await _w.RunAsync(ReactionLane.SagaStarts);

        // Partly refunded, the order is still paid and ships the rest: its fulfillment is asked to start again (the engine
        // starts a saga at most once, so the holding one carries on). Wholly refunded, it has nothing to ship.
        Assert.Equal(OrderStatus.Refunded, (await _w.H.LoadAsync(wholly)).Status);
        Assert.Equal([SagaNames.FulfillmentId(partly)], _w.Sagas.Starts);
    }

    [Fact]
    public async Task AnAnswerParkedForAConfirmation_IsAppliedWhenTheConfirmationIsRead()
    {
        var id = await _w.H.CreatedAsync();
        var capture = new InboundEvent("cap-1", Contracts.Integration.InboundEventTypes.PaymentCaptured, T0,
            new Contracts.Integration.PaymentCaptured(id.Value, "pay-1", new Contracts.Integration.MoneyAmount(3000, "USD")));
        Assert.Equal(InboundOutcome.Parked, (await _w.Handler.HandleAsync(capture)).Outcome);
        (await _w.H.Confirm.ExecuteAsync(new ConfirmOrderCommand(id, "res-1", "auth-1"), Request(Saga))).Unwrap();

        await _w.RunAsync(ReactionLane.ParkedAnswers);

        Assert.Equal(OrderStatus.Paid, (await _w.H.LoadAsync(id)).Status);
        Assert.Empty(await _w.Inbox.ParkedForAsync(id.Value));
    }

    [Fact]
    public async Task ASettledRefund_TellsTheOrdersFulfillment_PartialOrFull_ThroughTheParkedAnswersLane()
    {
        var (partly, wholly) = await TwoPaidOrdersWithRefundsRequestedAsync("key-signal");
        await _w.RunAsync(ReactionLane.ParkedAnswers);
        Assert.DoesNotContain(_w.Signals.Raised, r => r.EventName == SagaNames.Events.RefundSettled); // requested is not settled

        await SettleRefundsAsync(partly, wholly);
        await _w.RunAsync(ReactionLane.ParkedAnswers);

        // A held parcel ships after a partial refund and is cancelled after a full one: both fulfillments are told.
        Assert.Equal([(SagaNames.FulfillmentId(partly), SagaNames.Events.RefundSettled), (SagaNames.FulfillmentId(wholly), SagaNames.Events.RefundSettled)],
            _w.Signals.Raised.Where(r => r.EventName == SagaNames.Events.RefundSettled));
        Assert.Equal([ReactionLane.SagaStarts, ReactionLane.ParkedAnswers],
            OrderReactions.To(new OrderRefunded(partly, "rf-1", UseCases.Harness.Usd(1000), UseCases.Harness.Usd(1000), false)).Select(r => r.Lane));
    }

    /// <summary>Two paid orders: rf-1 requested for part of the first, rf-2 for the whole of the second.</summary>
    private async Task<(OrderId Partly, OrderId Wholly)> TwoPaidOrdersWithRefundsRequestedAsync(string key)
    {
        var partly = await _w.H.PaidAsync(key + "-partly");
        var wholly = await _w.H.PaidAsync(key + "-wholly");
        (await _w.H.Refund.ExecuteAsync(new InitiateRefundCommand(partly, "rf-1", UseCases.Harness.Usd(1000), "one mug broke"), Request(Buyer, key + "-refund-1"))).Unwrap();
        var total = (await _w.H.LoadAsync(wholly)).Total;
        (await _w.H.Refund.ExecuteAsync(new InitiateRefundCommand(wholly, "rf-2", total, "changed my mind"), Request(Buyer, key + "-refund-2"))).Unwrap();
        return (partly, wholly);
    }

    /// <summary>The refund sagas record both refunds (order.refunded each).</summary>
    private async Task SettleRefundsAsync(OrderId partly, OrderId wholly)
    {
        (await _w.H.RecordRefund.ExecuteAsync(new RecordRefundCommand(partly, "rf-1"), Request(Saga))).Unwrap();
        (await _w.H.RecordRefund.ExecuteAsync(new RecordRefundCommand(wholly, "rf-2"), Request(Saga))).Unwrap();
    }

    [Fact]
    public void TheTable_NamesOneLanePerReaction_AndNothingForNotes()
    {
        var id = OrderId.From("ord-1");

        Assert.Equal([ReactionLane.SagaStarts, ReactionLane.ParkedAnswers], OrderReactions.To(new OrderConfirmed(id, "res-1", null)).Select(r => r.Lane));
        Assert.Equal([ReactionLane.Compensation, ReactionLane.ParkedAnswers], OrderReactions.To(new OrderCancelled(id, "why")).Select(r => r.Lane));
        Assert.Empty(OrderReactions.To(new OrderClosed(id)));
        Assert.Equal(["saga-starts", "cancellation-compensator", "parked-answers"], OrderReactions.Lanes.Select(OrderReactions.ConsumerOf));
    }

    public void Dispose() => _w.Dispose();

    private async Task<string[]> HistoriesAsync(params OrderId[] ids)
    {
        var hashes = new List<string>();
        foreach (var id in ids) hashes.AddRange((await _w.H.LoadAsync(id)).History.Select(h => $"{id}:{h.Sequence}:{h.Hash}"));
        return [.. hashes];
    }

    /// <summary>The change log of a process that dies after its reactions ran and before it saved where it was.</summary>
    private sealed class CheckpointsLost(IOrderChangeLog inner) : IOrderChangeLog
    {
        public Task<ChangeBatch> ReadAsync(string consumer, int maxEvents, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(consumer, maxEvents, cancellationToken);

        public Task CommitAsync(string consumer, string checkpoint, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }

    private sealed class UnreachableInventory : IInventoryPort
    {
        public Task ReserveAsync(ReserveStock request, CancellationToken cancellationToken = default) => throw new TimeoutException("inventory unreachable");

        public Task ReleaseAsync(ReleaseStock request, CancellationToken cancellationToken = default) => throw new TimeoutException("inventory unreachable");
    }
}
