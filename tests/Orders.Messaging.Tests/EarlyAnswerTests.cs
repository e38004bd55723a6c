using Orders.Application.Reactions;
using Orders.Application.UseCases.Resolutions;
using Microsoft.Extensions.Logging.Abstractions;
using Orders.Application.Access;
using Orders.Application.Integration;
using Orders.Application.Jobs;
using Orders.Application.UseCases.Commands;
using Orders.Contracts.Integration;
using Orders.Domain.ValueObjects;
using Orders.Infrastructure.Sqlite;

namespace Orders.Messaging.Tests;

/// <summary>
/// The burst defect, reproduced deterministically: a capture that arrives before the confirmation is recorded must
/// never be lost, and an order whose payment was captured must never be cancelled as unpaid.
/// </summary>
public sealed class EarlyAnswerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("orders-early-").FullName;

    private static InboundEvent Capture(OrderId order, string eventId = "cap-1", string paymentId = "pay-1") =>
        new(eventId, InboundEventTypes.PaymentCaptured, MessagingWorld.T0.AddMinutes(2), new PaymentCaptured(order.Value, paymentId, new MoneyAmount(3000, "USD")));

    [Fact]
    public async Task ACaptureBeforeTheConfirmation_IsParked_ThenPaysTheOrderOnceTheReplayerReadsTheConfirmation()
    {
        var world = new MessagingWorld();
        var order = await world.CreatedAsync("k1");

        var early = await world.Handler.HandleAsync(Capture(order));
        await world.ConfirmAsync(order);
        await world.Reactions.RunOnceAsync(ReactionLane.ParkedAnswers, 100);

        Assert.Equal(InboundOutcome.Parked, early.Outcome);
        var paid = await world.OrderAsync(order);
        Assert.Equal(OrderStatus.Paid, paid.Status);
        Assert.Equal("pay-1", paid.Payment!.PaymentId);
        Assert.Empty(await world.Inbox.ParkedForAsync(order.Value));
        Assert.True(await world.Inbox.WasHandledAsync("cap-1"));
    }

    [Fact]
    public async Task ARedeliveryOfAParkedCapture_ParksNothingNew_AndPaysOnce()
    {
        var world = new MessagingWorld();
        var order = await world.CreatedAsync("k1");

        await world.Handler.HandleAsync(Capture(order));
        await world.Handler.HandleAsync(Capture(order));
        await world.ConfirmAsync(order);
        await world.Handler.ReplayParkedAsync(order.Value);
        var third = await world.Handler.HandleAsync(Capture(order));

        Assert.Equal(InboundOutcome.Duplicate, third.Outcome);
        Assert.Single(await world.AllEventsAsync(), e => e.Entry.Event is Domain.Events.OrderPaid);
    }

    [Fact]
    public async Task CopiesOfOneCaptureDeliveredAtOnce_OneIsHandled_TheOthersAreDuplicates()
    {
        var world = new MessagingWorld();
        var order = await world.CreatedAsync("k1");
        await world.ConfirmAsync(order);

        // Three copies and a replay of parked answers, all at the same moment (a broker redelivering while the first
        // copy is still being handled): the inbox must see exactly one of them through.
        var copies = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => world.Handler.HandleAsync(Capture(order)))));

        Assert.Single(copies, c => c.Outcome == InboundOutcome.Handled);
        Assert.Equal(2, copies.Count(c => c.Outcome == InboundOutcome.Duplicate));
        Assert.Single(await world.AllEventsAsync(), e => e.Entry.Event is Domain.Events.OrderPaid);
    }

    [Fact]
    public async Task AutoCancel_PaysAnOrderWhoseCaptureWasParked_InsteadOfCancellingIt()
    {
        var world = new MessagingWorld();
        var order = await world.CreatedAsync("k1");
        await world.Handler.HandleAsync(Capture(order));          // parked: the order is still CREATED
        await world.ConfirmAsync(order);                           // the replayer has not run yet
        world.Clock.SetUtcNow(MessagingWorld.T0.AddDays(30));      // far past the payment deadline
        var job = new AutoCancelUnpaidOrders(world.Store, world.Cancel, world.Handler, world.StuckOrders, world.Clock, new JobOptions(),
            NullLogger<AutoCancelUnpaidOrders>.Instance);

        var report = await job.RunOnceAsync();

        Assert.Empty(report.Cancelled);
        Assert.Equal(OrderStatus.Paid, (await world.OrderAsync(order)).Status);
    }

    [Fact]
    public async Task AutoCancel_LeavesAnOverdueCreatedOrderWhoseCaptureIsKept_AndTheConfirmationThenPaysIt()
    {
        // The checkout saga's confirmation is late (its engine is behind): the buyer's payment was captured, kept while
        // the order is CREATED, and the payment deadline passes. The order is paid, not "payment not received".
        var world = new MessagingWorld();
        var order = await world.CreatedAsync("k1");
        Assert.Equal(InboundOutcome.Parked, (await world.Handler.HandleAsync(Capture(order))).Outcome);
        world.Clock.SetUtcNow(MessagingWorld.T0.AddDays(30));
        var job = new AutoCancelUnpaidOrders(world.Store, world.Cancel, world.Handler, world.StuckOrders, world.Clock, new JobOptions(),
            NullLogger<AutoCancelUnpaidOrders>.Instance);

        var report = await job.RunOnceAsync();
        var again = await job.RunOnceAsync();

        Assert.Empty(report.Cancelled);
        Assert.Empty(again.Cancelled);
        var held = Assert.Single(report.PaidAwaitingConfirmation);
        Assert.Equal(order, held.OrderId);
        Assert.Equal(FindingKinds.PaidAwaitingConfirmation, held.Kind);
        Assert.Contains("pay-1", held.Detail, StringComparison.Ordinal);
        Assert.Equal(OrderStatus.Created, (await world.OrderAsync(order)).Status);
        Assert.Single(await world.Inbox.ParkedForAsync(order.Value));

        await world.ConfirmAsync(order);
        await world.Reactions.RunOnceAsync(ReactionLane.ParkedAnswers, 100);

        var paid = await world.OrderAsync(order);
        Assert.Equal(OrderStatus.Paid, paid.Status);
        Assert.DoesNotContain(paid.History, e => e.Event is Domain.Events.OrderCancelled);
    }

    [Fact]
    public async Task ACaptureForAnOrderCancelledMeanwhile_IsReturnedThroughTheRefundPath_OnceTheCancellationIsRecorded()
    {
        var world = new MessagingWorld();
        var order = await world.CreatedAsync("k1");
        await world.Handler.HandleAsync(Capture(order));
        (await world.Cancel.ExecuteAsync(new CancelOrderCommand(order, "changed my mind"),
            new RequestContext(Caller.Buyer("buyer-1"), MessagingWorld.T0.AddMinutes(3), "cancel-1"))).Unwrap();

        var replayed = await world.Reactions.RunOnceAsync(ReactionLane.ParkedAnswers, 100);

        Assert.True(replayed > 0);
        var cancelled = await world.OrderAsync(order);
        Assert.Equal(OrderStatus.Cancelled, cancelled.Status);
        Assert.Equal("pay-1", cancelled.Payment?.PaymentId);                                   // the money taken is on record...
        var refund = Assert.Single(cancelled.Refunds);                                          // ...and so is its return
        Assert.Equal(ReturnLateCapture.RefundIdFor("pay-1"), refund.RefundId);
        Assert.Equal(cancelled.Total, refund.Amount);
        // Captured (T0 + 2 min) before the cancellation (T0 + 3 min): the history says when, not "after cancellation".
        var requested = Assert.IsType<Domain.Events.RefundRequested>(cancelled.History[^1].Event);
        Assert.Contains($"captured at {MessagingWorld.T0.AddMinutes(2):O}", requested.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("after", requested.Reason, StringComparison.Ordinal);
        await world.Reactions.RunOnceAsync(ReactionLane.SagaStarts, 100);                      // the reaction to the recorded refund:
        Assert.Contains($"refund:{refund.RefundId}:{order.Value}", world.Scheduler.Started);   // the refund saga reverses it
        Assert.Empty(await world.Inbox.ParkedForAsync(order.Value));
        Assert.Null(await world.StuckOrders.GetAsync(order));
    }

    [Fact]
    public async Task ACaptureArrivingAfterTheCancellation_IsReturnedAtOnce_AndARedeliveryChangesNothing()
    {
        var world = new MessagingWorld();
        var order = await world.CreatedAsync("k1");
        (await world.Cancel.ExecuteAsync(new CancelOrderCommand(order, "payment not received"),
            new RequestContext(Caller.System("auto-cancel"), MessagingWorld.T0.AddMinutes(3), "cancel-1"))).Unwrap();

        var late = await world.Handler.HandleAsync(Capture(order));
        var version = (await world.OrderAsync(order)).Version;
        var again = await world.Handler.HandleAsync(Capture(order));

        Assert.Equal(InboundOutcome.Handled, late.Outcome);
        Assert.Equal(InboundOutcome.Duplicate, again.Outcome);
        var returned = await world.OrderAsync(order);
        Assert.Equal(version, returned.Version);
        var entry = returned.History[^1];
        Assert.Equal(OrderStatus.Cancelled, entry.From);
        Assert.Equal(OrderStatus.Cancelled, entry.To);
        var requested = Assert.IsType<Domain.Events.RefundRequested>(entry.Event);
        Assert.Equal("pay-1", requested.CapturedPaymentId);
        Assert.Empty(await world.Inbox.ParkedForAsync(order.Value));
        Assert.Null(await world.StuckOrders.GetAsync(order));
    }

    [Fact]
    public async Task CashCollectedForACashOnDeliveryOrderCancelledMeanwhile_IsKept_AndTheOrderFlaggedForAPerson()
    {
        var world = new MessagingWorld();
        var order = await world.CreatedAsync("k-cod", type: OrderType.CashOnDelivery);
        (await world.Cancel.ExecuteAsync(new CancelOrderCommand(order, "changed my mind"),
            new RequestContext(Caller.Buyer("buyer-1"), MessagingWorld.T0.AddMinutes(3), "cancel-1"))).Unwrap();
        var version = (await world.OrderAsync(order)).Version;

        // The parcel was on its way when the order was cancelled; the courier collected the cash at the door.
        var cash = await world.Handler.HandleAsync(new InboundEvent("cash-evt-1", InboundEventTypes.CashCollected, MessagingWorld.T0.AddDays(1),
            new CashCollected(order.Value, "shp-1", "cash-1", new MoneyAmount(MessagingWorld.Total.Minor, "USD"))));

        Assert.Equal(InboundOutcome.Poison, cash.Outcome);
        Assert.True(cash.MoneyToReturn);
        Assert.Equal(version, (await world.OrderAsync(order)).Version); // the order records nothing
        Assert.Equal("cash-evt-1", Assert.Single(await world.Inbox.ParkedForAsync(order.Value)).EventId); // kept, not dropped
        var flagged = await world.StuckOrders.GetAsync(order);
        Assert.Equal(StuckReasons.AnswerCannotApply, flagged?.Reason);
        Assert.Contains("needs a manual refund or review", flagged!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSqliteInbox_KeepsParkedAnswersAcrossARestart_AndForgetsThemOnceHandled()
    {
        var path = Path.Combine(_directory, "orders.db");
        var answer = new Application.Ports.Outbound.ParkedAnswer("cap-1", "ord-1", InboundEventTypes.PaymentCaptured,
            MessagingWorld.T0, InboundEventReader.WriteData(new PaymentCaptured("ord-1", "pay-1", new MoneyAmount(3000, "USD"))),
            MessagingWorld.T0.AddSeconds(1), "early");
        using (var store = new SqliteOrderStore(new SqliteStoreOptions { Path = path }))
        {
            await store.ParkAsync(answer);
            await store.ParkAsync(answer); // again: nothing new
        }

        using var reopened = new SqliteOrderStore(new SqliteStoreOptions { Path = path });
        var parked = Assert.Single(await reopened.ParkedForAsync("ord-1"));
        Assert.Equal(answer, parked);
        Assert.Equal(new PaymentCaptured("ord-1", "pay-1", new MoneyAmount(3000, "USD")), InboundEventReader.ReadData(parked.Type, parked.DataJson));
        await reopened.UnparkAsync("ord-1", "cap-1");
        Assert.Empty(await reopened.ParkedForAsync("ord-1"));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
