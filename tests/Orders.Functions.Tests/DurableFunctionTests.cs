using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Moq.Protected;
using Orders.Application.Ports.Outbound;
using Orders.Domain.ValueObjects;
using Orders.Functions.Durable;
using Orders.Functions.Tests.Support;
using Orders.Orchestrations;
using Orders.Orchestrations.Activities;

namespace Orders.Functions.Tests;

/// <summary>The orchestrator and activity wrappers called with Moq'd contexts, as the Durable extension calls them.</summary>
public sealed class DurableFunctionTests : IAsyncLifetime
{
    private readonly Mock<IOrderStore> _store = new();
    private TestApp _app = null!;

    public Task InitializeAsync()
    {
        _app = new TestApp(services => services.AddSingleton(_store.Object));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static Mock<TaskOrchestrationContext> Orchestration<TInput>(TInput? input) where TInput : class
    {
        var context = new Mock<TaskOrchestrationContext>();
        context.Protected().SetupGet<ILoggerFactory>("LoggerFactory").Returns(NullLoggerFactory.Instance);
        context.SetupGet(c => c.InstanceId).Returns("checkout:ord-1");
        context.SetupGet(c => c.Name).Returns(new TaskName("CheckoutSaga"));
        context.Setup(c => c.GetInput<TInput>()).Returns(input);
        context.Setup(c => c.CallActivityAsync<OrderFacts?>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .ReturnsAsync((OrderFacts?)null);
        return context;
    }

    [Fact]
    public async Task TheCheckoutWrapper_RunsTheSagaOnItsInput()
    {
        var context = Orchestration(new CheckoutInput("ord-1", new SagaOptions()));

        var outcome = await SagaOrchestratorFunctions.RunCheckoutSaga(context.Object);

        // The saga's first step loads the order named by the input; with no order it ends as "missing".
        context.Verify(c => c.CallActivityAsync<OrderFacts?>(new TaskName(nameof(LoadOrderFacts)),
            It.Is<object?>(r => ((LoadOrderRequest)r!).OrderId == "ord-1"), It.IsAny<TaskOptions?>()), Times.Once);
        Assert.Equal(SagaResult.Missing, outcome.Result);
    }

    [Fact]
    public async Task TheFulfillmentWrapper_RunsTheSagaOnItsInput()
    {
        var context = Orchestration(new FulfillmentInput("ord-2", new SagaOptions()));

        var outcome = await SagaOrchestratorFunctions.RunFulfillmentSaga(context.Object);

        context.Verify(c => c.CallActivityAsync<OrderFacts?>(new TaskName(nameof(LoadOrderFacts)),
            It.Is<object?>(r => ((LoadOrderRequest)r!).OrderId == "ord-2"), It.IsAny<TaskOptions?>()), Times.Once);
        Assert.Equal(SagaResult.Skipped, outcome.Result);
    }

    [Fact]
    public async Task TheRefundWrapper_RunsTheSagaOnItsInput()
    {
        var context = Orchestration(new RefundInput("ord-3", "refund-1", new SagaOptions()));

        await SagaOrchestratorFunctions.RunRefundSaga(context.Object);

        context.Verify(c => c.CallActivityAsync<OrderFacts?>(new TaskName(nameof(LoadOrderFacts)),
            It.Is<object?>(r => ((LoadOrderRequest)r!).OrderId == "ord-3"), It.IsAny<TaskOptions?>()), Times.Once);
    }

    [Fact]
    public async Task AnOrchestrationStartedWithoutItsInput_FailsSayingSo()
    {
        var context = Orchestration<CheckoutInput>(null);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SagaOrchestratorFunctions.RunCheckoutSaga(context.Object));

        Assert.Contains(nameof(CheckoutInput), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnActivityWrapper_BuildsItsActivityFromTheInvocationsServices_AndPassesTheInput()
    {
        _store.Setup(s => s.ReadStateAsync(It.IsAny<OrderId>(), It.IsAny<CancellationToken>())).ReturnsAsync((StoredOrderState?)null);
        await using var scope = _app.Services.CreateAsyncScope();

        var facts = await SagaActivityFunctions.RunLoadOrderFacts(new LoadOrderRequest("ord-9"), "fulfillment:ord-9", TestApp.Invocation(scope.ServiceProvider));

        // A fulfillment's facts are the order's stored state (decision 0034): the activity reached the app's store.
        Assert.Null(facts);
        _store.Verify(s => s.ReadStateAsync(OrderId.From("ord-9"), It.IsAny<CancellationToken>()), Times.Once);
        _store.Verify(s => s.LoadAsync(It.IsAny<OrderId>(), It.IsAny<CancellationToken>()), Times.Never);

        // A refund saga's are loaded: it releases the reservation, which only the history holds.
        _store.Setup(s => s.LoadAsync(It.IsAny<OrderId>(), It.IsAny<CancellationToken>())).ReturnsAsync((Orders.Domain.OrderAggregate.Order?)null);
        Assert.Null(await SagaActivityFunctions.RunLoadOrderFacts(new LoadOrderRequest("ord-9", "rf-1"), "refund-ord-9-rf-1", TestApp.Invocation(scope.ServiceProvider)));
        _store.Verify(s => s.LoadAsync(OrderId.From("ord-9"), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task StartFulfillmentStep_StartsTheSagaOnTheDurableClientItWasGiven()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var client = TestApp.DurableClient();

        var started = await SagaActivityFunctions.RunStartFulfillmentStep("ord-5", "checkout:ord-5", client.Object, TestApp.Invocation(scope.ServiceProvider));

        Assert.True(started);
        client.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(new TaskName("FulfillmentSaga"),
            It.Is<object?>(i => ((FulfillmentInput)i!).OrderId == "ord-5"), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task StartCheckoutStep_StartsASplitChildsCheckoutOnTheDurableClientItWasGiven()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var client = TestApp.DurableClient();

        await SagaActivityFunctions.RunStartCheckoutStep("ord-5-a", "checkout-ord-5", client.Object, TestApp.Invocation(scope.ServiceProvider));

        client.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(new TaskName("CheckoutSaga"),
            It.Is<object?>(i => ((CheckoutInput)i!).OrderId == "ord-5-a"), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task AGatewayActivity_SendsItsRequestToTheRequestsTopic_KeyedByItsIdempotencyKey()
    {
        await using var scope = _app.Services.CreateAsyncScope();

        await SagaActivityFunctions.RunReleaseStock(
            new GatewayRequest("ord-6", "checkout:ord-6:release", Reference: "res-6"), "checkout:ord-6", TestApp.Invocation(scope.ServiceProvider));

        var message = Assert.Single(_app.Requests);
        Assert.Equal(("orders.release-stock.v1", "checkout:ord-6:release", "ord-6"), (message.Subject, message.MessageId, message.SessionId));
        Assert.Contains("\"reservationId\":\"res-6\"", message.Body.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ASagaPortUsedWithoutTheInvocationsClient_SaysWhatIsMissing()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new InvocationDurableClient().Client);

        Assert.Contains("[DurableClient]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EachInvocationScope_HasItsOwnDurableClient()
    {
        await using var first = _app.Services.CreateAsyncScope();
        await using var second = _app.Services.CreateAsyncScope();
        var a = TestApp.DurableClient();
        first.ServiceProvider.GetRequiredService<InvocationDurableClient>().Use(a.Object);

        await first.ServiceProvider.GetRequiredService<ISagaScheduler>().StartCheckoutAsync(OrderId.From("ord-7"));

        a.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(new TaskName("CheckoutSaga"), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()), Times.Once);
        Assert.False(second.ServiceProvider.GetRequiredService<InvocationDurableClient>().HasClient);
    }

    [Fact]
    public void TheActivityContext_CarriesNameAndInstanceId()
    {
        var context = new FunctionActivityContext(nameof(RequestStock), "checkout:ord-8");

        Assert.Equal(nameof(RequestStock), context.Name.Name);
        Assert.Equal("checkout:ord-8", context.InstanceId);
    }
}
