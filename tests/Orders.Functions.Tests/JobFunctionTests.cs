using Orders.Application.Reactions;
using Orders.Application.Integration;
using Orders.Orchestrations;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Orders.Application.Jobs;
using Orders.Application.Outbox;
using Orders.Application.Ports.Outbound;
using Orders.Application.ReadModels;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;
using Orders.Functions.Composition;
using Orders.Functions.Jobs;
using Orders.Functions.Tests.Support;
using Orders.Infrastructure.ReadModels;

namespace Orders.Functions.Tests;

/// <summary>The timer functions called as the worker calls them, over the production composition (in-memory store).</summary>
public sealed class JobFunctionTests
{
    private static readonly TimerInfo Tick = new();

    [Fact]
    public async Task TheAutoCancelTimer_CancelsAnOrderPastItsPaymentDeadline()
    {
        await using var app = new TestApp();
        var orderId = await app.CreateOrderAsync("key-1");
        app.Clock.Advance(NewOrder.DefaultPaymentWindow + TimeSpan.FromMinutes(1));
        await using var scope = app.Services.CreateAsyncScope();

        await JobFunctions.RunAutoCancelUnpaid(Tick, TestApp.DurableClient().Object, TestApp.Invocation(scope.ServiceProvider), CancellationToken.None);

        Assert.Equal(OrderStatus.Cancelled, (await app.Store.LoadAsync(OrderId.From(orderId)))!.Status);
    }

    [Fact]
    public async Task TheDetectStuckTimer_ReadsSagaProgressThroughTheDurableClientItWasGiven()
    {
        await using var app = new TestApp();
        var orderId = await app.CreateOrderAsync("key-2");
        app.Clock.Advance(TimeSpan.FromHours(2));
        var client = TestApp.DurableClient();
        await using var scope = app.Services.CreateAsyncScope();

        await JobFunctions.RunDetectStuck(Tick, client.Object, TestApp.Invocation(scope.ServiceProvider), CancellationToken.None);

        client.Verify(c => c.GetInstanceAsync(It.Is<string>(id => id.Contains(orderId, StringComparison.Ordinal)), true, It.IsAny<CancellationToken>()), Times.AtLeastOnce);
    }

    [Fact]
    public async Task ConsecutiveDetectStuckRuns_WalkOnThroughTheOrders_ThoughEachRunsInItsOwnScope()
    {
        await using var app = new TestApp(services => services.AddSingleton(new JobOptions { BatchSize = 1 }));
        var first = await app.CreateOrderAsync("key-7");
        var second = await app.CreateOrderAsync("key-8");
        app.Clock.Advance(TimeSpan.FromHours(2));
        var seen = new List<string>();
        foreach (var _ in new[] { 1, 2 })
        {
            var client = TestApp.DurableClient();
            await using var scope = app.Services.CreateAsyncScope();
            await JobFunctions.RunDetectStuck(Tick, client.Object, TestApp.Invocation(scope.ServiceProvider), CancellationToken.None);
            seen.AddRange(client.Invocations.Where(i => i.Method.Name == nameof(DurableTaskClient.GetInstanceAsync)).Select(i => (string)i.Arguments[0]!));
        }

        Assert.Contains(seen, id => id.Contains(first, StringComparison.Ordinal));
        Assert.Contains(seen, id => id.Contains(second, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheReconcileTimer_RestartsAMissingCheckout_OnTheDurableClientItWasGiven()
    {
        await using var app = new TestApp();
        var orderId = await app.CreateOrderAsync("key-3");
        app.Clock.Advance(TimeSpan.FromMinutes(5)); // past the settle time, before the payment deadline
        var client = TestApp.DurableClient();
        await using var scope = app.Services.CreateAsyncScope();

        await JobFunctions.RunReconcile(Tick, client.Object, TestApp.Invocation(scope.ServiceProvider), CancellationToken.None);

        client.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(new TaskName("CheckoutSaga"),
            It.IsAny<object?>(), It.Is<StartOrchestrationOptions?>(o => o!.InstanceId!.Contains(orderId, StringComparison.Ordinal)), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task TheChangeFeedTimer_RelaysCommittedEvents_AndProjectsWhenThereIsAReadModelStore()
    {
        var published = new List<StoredEvent>();
        var publisher = new Mock<IEventPublisher>();
        publisher.Setup(p => p.PublishAsync(It.IsAny<IReadOnlyList<StoredEvent>>(), It.IsAny<CancellationToken>()))
            .Callback((IReadOnlyList<StoredEvent> events, CancellationToken _) => published.AddRange(events))
            .Returns(Task.CompletedTask);
        var readModels = new InMemoryReadModelStore();
        await using var app = new TestApp(services =>
        {
            services.AddSingleton(publisher.Object);
            services.AddSingleton<IReadModelStore>(readModels);
        });
        var orderId = await app.CreateOrderAsync("key-4");
        await using var scope = app.Services.CreateAsyncScope();

        await JobFunctions.RunChangeFeed(Tick, TestApp.DurableClient().Object, TestApp.Invocation(scope.ServiceProvider), CancellationToken.None);

        Assert.Contains(published, e => e.OrderId.Value == orderId);
        Assert.NotNull(await readModels.GetDetailAsync(OrderId.From(orderId)));
    }

    [Fact]
    public async Task TheChangeFeedTimer_StartsTheCheckoutOfARecordedOrder_OnTheDurableClientItWasGiven()
    {
        await using var app = new TestApp(services => services.AddSingleton(new Mock<IEventPublisher>().Object));
        var orderId = await app.CreateOrderAsync("key-9");
        var client = TestApp.DurableClient();
        await using var scope = app.Services.CreateAsyncScope();

        await JobFunctions.RunChangeFeed(Tick, client.Object, TestApp.Invocation(scope.ServiceProvider), CancellationToken.None);

        client.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(new TaskName("CheckoutSaga"),
            It.Is<object?>(input => input is CheckoutInput && ((CheckoutInput)input).OrderId == orderId),
            It.Is<StartOrchestrationOptions?>(o => o!.InstanceId == SagaNames.CheckoutId(OrderId.From(orderId))), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ThePump_StillProjects_WhenTheRelayFails_AndThenFailsTheRun()
    {
        await using var app = new TestApp();
        var orderId = await app.CreateOrderAsync("key-5");
        var publisher = new Mock<IEventPublisher>();
        publisher.Setup(p => p.PublishAsync(It.IsAny<IReadOnlyList<StoredEvent>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new TimeoutException("Service Bus unreachable"));
        var readModels = new InMemoryReadModelStore();
        var pump = new ChangeFeedPump(new OutboxRelay(app.Store, publisher.Object, app.Clock), app.Clock,
            NullLogger<ChangeFeedPump>.Instance, new OrderProjector(app.Store, readModels),
            new OrderReactions(app.Store, app.Store, new Mock<ISagaScheduler>().Object,
                new CancellationCompensator(app.Store, new Mock<IInventoryPort>().Object, new Mock<IPaymentsPort>().Object, new Mock<IPromotionsPort>().Object),
                app.Services.CreateScope().ServiceProvider.GetRequiredService<IntegrationEventHandler>(), app.Clock, NullLogger<OrderReactions>.Instance));

        var error = await Assert.ThrowsAsync<AggregateException>(() => pump.RunOnceAsync());

        Assert.IsType<TimeoutException>(Assert.Single(error.InnerExceptions));
        Assert.NotNull(await readModels.GetDetailAsync(OrderId.From(orderId)));
    }

    [Fact]
    public async Task TheChangeFeedTimer_CompensatesACancelledOrder_OnceInventoryAndPaymentsAreWired()
    {
        var inventory = new Mock<IInventoryPort>();
        var payments = new Mock<IPaymentsPort>();
        await using var app = new TestApp(services =>
        {
            services.AddSingleton(inventory.Object);
            services.AddSingleton(payments.Object);
            services.AddSingleton(new Mock<IEventPublisher>().Object);
        });
        var orderId = await app.CreateOrderAsync("key-6");
        app.Clock.Advance(NewOrder.DefaultPaymentWindow + TimeSpan.FromMinutes(1));
        await using (var cancelScope = app.Services.CreateAsyncScope())
            await JobFunctions.RunAutoCancelUnpaid(Tick, TestApp.DurableClient().Object, TestApp.Invocation(cancelScope.ServiceProvider), CancellationToken.None);
        await using var scope = app.Services.CreateAsyncScope();

        await JobFunctions.RunChangeFeed(Tick, TestApp.DurableClient().Object, TestApp.Invocation(scope.ServiceProvider), CancellationToken.None);

        inventory.Verify(i => i.ReleaseAsync(It.Is<ReleaseStock>(r => r.OrderId.Value == orderId), It.IsAny<CancellationToken>()), Times.Once);
        payments.Verify(p => p.VoidAsync(It.Is<VoidPayment>(v => v.OrderId.Value == orderId), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task TheChangeFeedTimer_AsksInventoryAndPaymentsToGiveBackWhatACancelledOrderHeld_OnTheRequestsTopic()
    {
        await using var app = new TestApp(services => services.AddSingleton(new Mock<IEventPublisher>().Object));
        var orderId = await app.CreateOrderAsync("key-7");
        app.Clock.Advance(NewOrder.DefaultPaymentWindow + TimeSpan.FromMinutes(1));
        await using (var cancelScope = app.Services.CreateAsyncScope())
            await JobFunctions.RunAutoCancelUnpaid(Tick, TestApp.DurableClient().Object, TestApp.Invocation(cancelScope.ServiceProvider), CancellationToken.None);
        await using var scope = app.Services.CreateAsyncScope();

        await JobFunctions.RunChangeFeed(Tick, TestApp.DurableClient().Object, TestApp.Invocation(scope.ServiceProvider), CancellationToken.None);

        Assert.Equal(["orders.release-stock.v1", "orders.void-payment.v1"], app.Requests.Select(m => m.Subject).Order(StringComparer.Ordinal));
        Assert.All(app.Requests, m => Assert.Equal(orderId, m.SessionId));
        Assert.NotNull(await app.ReadModels.GetDetailAsync(OrderId.From(orderId)));
    }
}
