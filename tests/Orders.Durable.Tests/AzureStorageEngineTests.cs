using System.Diagnostics;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Orders.Application.Integration;
using Orders.Contracts.Integration;
using Orders.Domain.Events;
using Orders.Domain.ValueObjects;
using Orders.Infrastructure.Simulators;
using Orders.Orchestrations;
using Xunit.Abstractions;

namespace Orders.Durable.Tests;

/// <summary>
/// The sagas on the persistent engine: the in-process engine over Durable Task's Azure Storage backend on Azurite.
/// Each test uses a task hub of its own. Needs <c>ORDERS_AZURITE</c> (./test.sh sets it); fails without it.
/// </summary>
public sealed class AzureStorageEngineTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly SagaWorld _world = new();
    private readonly string _taskHub = Azurite.NewTaskHub();
    private readonly List<DurableHarness> _engines = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        var clock = Stopwatch.StartNew();
        foreach (var engine in _engines) await engine.DisposeAsync();
        var stopped = clock.Elapsed;
        var problem = await Azurite.DeleteTaskHubAsync(_taskHub);
        output.WriteLine(problem ?? $"engine stopped in {stopped.TotalMilliseconds:0} ms, task hub deleted in {(clock.Elapsed - stopped).TotalMilliseconds:0} ms");
        foreach (var line in _world.Logs.Lines) output.WriteLine(line);
    }

    private async Task<DurableHarness> StartEngineAsync(SagaOptions? options = null)
    {
        var engine = await DurableHarness.StartAsync(_taskHub, _world, options);
        _engines.Add(engine);
        output.WriteLine($"engine on task hub {_taskHub} started in {engine.StartTime.TotalMilliseconds:0} ms");
        return engine;
    }

    [Fact]
    public async Task APrepaidOrder_IsConfirmedPaidShippedAndDelivered_OnAzureStorage()
    {
        var h = await StartEngineAsync();
        Assert.True(h.Engine.Backend.IsAzureStorage);
        var id = await h.CreateOrderAsync("prepaid");
        var clock = Stopwatch.StartNew();

        await h.Sagas.StartCheckoutAsync(id);
        Assert.Equal(SagaResult.Confirmed, DurableHarness.Outcome(await h.CompletionAsync(SagaNames.CheckoutId(id))).Result);
        var checkout = clock.Elapsed;
        Assert.Equal(SagaResult.Delivered, DurableHarness.Outcome(await h.CompletionAsync(SagaNames.FulfillmentId(id))).Result);
        output.WriteLine($"checkout {checkout.TotalMilliseconds:0} ms, checkout + fulfillment {clock.Elapsed.TotalMilliseconds:0} ms");

        var order = await h.OrderAsync(id);
        Assert.Equal(OrderStatus.Delivered, order.Status);
        Assert.Equal(
            [OrderCreated.TypeName, OrderConfirmed.TypeName, OrderPaid.TypeName, OrderShipped.TypeName, OrderDelivered.TypeName],
            order.History.Select(e => e.Event.Type));
        Assert.True(order.VerifyHistory().IsIntact);
        Assert.Equal(1, _world.Ledger.Count(id.Value, "capture"));
        Assert.Equal(1, _world.Ledger.Count(id.Value, "parcel"));
        Assert.Equal(["order-confirmed", "order-shipped", "order-delivered"],
            h.Simulators.Notifications.Where(n => n.OrderId == id).Select(n => n.Template));

        // Started at most once: starting it again (as start-up recovery or reconcile may) leaves the finished saga be.
        var before = await h.Client.GetInstanceAsync(SagaNames.CheckoutId(id));
        await h.Sagas.StartCheckoutAsync(id);
        var after = await h.Client.GetInstanceAsync(SagaNames.CheckoutId(id), getInputsAndOutputs: true);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, after!.RuntimeStatus);
        Assert.Equal(before!.CreatedAt, after.CreatedAt);
        Assert.Equal(SagaResult.Confirmed, DurableHarness.Outcome(after).Result);
    }

    [Fact]
    public async Task ACashOnDeliveryOrder_ShipsUnpaid_AndIsDelivered_OnAzureStorage()
    {
        var h = await StartEngineAsync();
        var id = await h.CreateOrderAsync("cod", OrderType.CashOnDelivery);

        await h.Sagas.StartCheckoutAsync(id);
        Assert.Equal(SagaResult.Confirmed, DurableHarness.Outcome(await h.CompletionAsync(SagaNames.CheckoutId(id))).Result);
        Assert.Equal(SagaResult.Delivered, DurableHarness.Outcome(await h.CompletionAsync(SagaNames.FulfillmentId(id))).Result);

        var order = await h.OrderAsync(id);
        Assert.Equal(OrderStatus.Delivered, order.Status);
        Assert.True(order.Payment!.CollectedOnDelivery);
        Assert.Equal(1, _world.Ledger.Count(id.Value, "cash"));
        Assert.Equal(0, _world.Ledger.Count(id.Value, "capture"));
    }

    [Fact]
    public async Task ACheckoutWaitingForItsPayment_SurvivesAnEngineRestart_AndCompletesOnTheNewEngine()
    {
        // A payment that never answers by itself, and a deadline far beyond the test: only the answer raised after the
        // restart can move the saga on.
        var options = DurableHarness.FastOptions with { PaymentTimeout = TimeSpan.FromMinutes(10) };
        var first = await StartEngineAsync(options);
        var id = await first.CreateOrderAsync("restart");
        _world.Knobs.Fail(id, SimulatedFailure.SilentPayment);
        var instanceId = SagaNames.CheckoutId(id);

        await first.Sagas.StartCheckoutAsync(id);
        // Waiting, and settled: the payment was requested and the episode after that request (which starts the
        // deadline timer and the wait) is stored, so no message is in flight when the engine goes away.
        var waiting = await first.WaitForAsync(instanceId,
            m => DurableHarness.Step(m) == "authorising-payment" && _world.PaymentRequests.TryGetValue(id.Value, out var at) && m.LastUpdatedAt > at,
            "waiting for its payment");
        Assert.Equal(OrchestrationRuntimeStatus.Running, waiting.RuntimeStatus);

        var stop = Stopwatch.StartNew();
        await first.DisposeAsync();
        _engines.Remove(first);
        output.WriteLine($"first engine stopped in {stop.Elapsed.TotalMilliseconds:0} ms");

        var second = await StartEngineAsync(options);
        var found = await second.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true);
        Assert.NotNull(found);
        Assert.Equal(OrchestrationRuntimeStatus.Running, found.RuntimeStatus);
        Assert.Equal("authorising-payment", DurableHarness.Step(found));
        Assert.Equal(waiting.CreatedAt, found.CreatedAt);

        var total = (await second.OrderAsync(id)).Total;
        var clock = Stopwatch.StartNew();
        var answer = await second.Services.GetRequiredService<IntegrationEventHandler>().HandleAsync(new InboundEvent(
            "payment-after-restart", InboundEventTypes.PaymentAuthorized, DateTimeOffset.UtcNow,
            new PaymentAuthorized(id.Value, "auth-after-restart", new MoneyAmount(total.Minor, total.Currency.Code))));
        Assert.Equal(InboundOutcome.Handled, answer.Outcome);

        var done = await second.CompletionAsync(instanceId);
        output.WriteLine($"the checkout completed {clock.Elapsed.TotalMilliseconds:0} ms after the answer reached the new engine");
        Assert.Equal(SagaResult.Confirmed, DurableHarness.Outcome(done).Result);
        Assert.Equal(waiting.CreatedAt, done.CreatedAt); // the same instance, not a new one
        Assert.Equal("confirmed", DurableHarness.Step(done));
        var order = await second.OrderAsync(id);
        Assert.Equal(OrderStatus.Confirmed, order.Status);
        Assert.Equal("auth-after-restart", order.PaymentAuthorizationId);
        Assert.Equal(1, _world.Ledger.Count(id.Value, "reservation"));
        Assert.Equal(0, _world.Ledger.Count(id.Value, "release"));
        Assert.Equal(0, _world.Ledger.Count(id.Value, "void"));
    }

    [Fact]
    public async Task ConcurrentSagas_AllRunToDelivered()
    {
        const int Orders = 12;
        var h = await StartEngineAsync();
        var ids = new List<OrderId>();
        for (var i = 0; i < Orders; i++) ids.Add(await h.CreateOrderAsync($"many-{i}", i % 4 == 3 ? OrderType.CashOnDelivery : OrderType.Prepaid));
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(ids.Select(id => h.Sagas.StartCheckoutAsync(id)));
        var fulfilled = await Task.WhenAll(ids.Select(async id =>
        {
            var checkout = await h.CompletionAsync(SagaNames.CheckoutId(id), TimeSpan.FromSeconds(45));
            var fulfillment = await h.CompletionAsync(SagaNames.FulfillmentId(id), TimeSpan.FromSeconds(45));
            return (Checkout: DurableHarness.Outcome(checkout).Result, Fulfillment: DurableHarness.Outcome(fulfillment).Result);
        }));
        var elapsed = clock.Elapsed;
        output.WriteLine($"{Orders} orders, {Orders * 2} sagas on Azure Storage (Azurite) to delivered in {elapsed.TotalMilliseconds:0} ms " +
                         $"({Orders * 2 / elapsed.TotalSeconds:0.0} sagas/s)");

        Assert.All(fulfilled, f => Assert.Equal((SagaResult.Confirmed, SagaResult.Delivered), f));
        foreach (var id in ids) Assert.Equal(OrderStatus.Delivered, (await h.OrderAsync(id)).Status);
    }

    [Fact]
    public async Task QueriesAndPurges_GoThroughTheSidecar_ToAzureStorage()
    {
        var h = await StartEngineAsync();
        var id = await h.CreateOrderAsync("query");
        await h.Sagas.StartCheckoutAsync(id);
        await h.CompletionAsync(SagaNames.FulfillmentId(id));

        // GetProgressAsync reads the two sagas by id and lists refunds with a prefix query (GetAllInstancesAsync).
        var progress = await h.Sagas.GetProgressAsync(id);
        Assert.Equal([(SagaNames.Checkout, "Completed", "confirmed"), (SagaNames.Fulfillment, "Completed", "delivered")],
            progress.Select(p => (p.Saga, p.RuntimeStatus, p.Step)));
        var listed = new List<string>();
        await foreach (var instance in h.Client.GetAllInstancesAsync(new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Completed] }))
            listed.Add(instance.InstanceId);
        Assert.Equal([SagaNames.CheckoutId(id), SagaNames.FulfillmentId(id)], listed.Order(StringComparer.Ordinal));

        var purged = await h.Client.PurgeInstanceAsync(SagaNames.CheckoutId(id));
        Assert.Equal(1, purged.PurgedInstanceCount);
        Assert.Null(await h.Client.GetInstanceAsync(SagaNames.CheckoutId(id)));
        var purgedByFilter = await h.Client.PurgeAllInstancesAsync(new PurgeInstancesFilter(CreatedFrom: DateTimeOffset.UtcNow.AddHours(-1),
            Statuses: [OrchestrationRuntimeStatus.Completed]));
        Assert.Equal(1, purgedByFilter.PurgedInstanceCount);
        Assert.Null(await h.Client.GetInstanceAsync(SagaNames.FulfillmentId(id)));
    }
}
