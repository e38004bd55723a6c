using Grpc.Core;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Moq;
using Orders.Functions.Durable;
using Orders.Orchestrations;

namespace Orders.Functions.Tests;

/// <summary>
/// The saga signal port over the Functions host's Durable client: an ended or unknown instance ignores a signal, as
/// the port promises and the in-process engine does; any other refusal is a fault and still surfaces.
/// </summary>
public sealed class InvocationSagaClientTests
{
    [Theory]
    [InlineData(StatusCode.FailedPrecondition, "The orchestration instance with the provided instance id is not running.")]
    [InlineData(StatusCode.NotFound, "No instance with ID 'fulfillment-ord-1' was found.")]
    public async Task ASignalToAnEndedOrUnknownInstance_IsIgnored(StatusCode status, string detail)
    {
        var logs = new SaidLogger();
        var client = ClientRefusing(new RpcException(new Status(status, detail)), logs);

        await client.RaiseAsync("fulfillment-ord-1", "refund-settled", new { RefundId = "rf-1" });

        var said = Assert.Single(logs.Lines);
        Assert.Contains("refund-settled to fulfillment-ord-1 ignored", said, StringComparison.Ordinal);
        Assert.Contains(status.ToString(), said, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEngineThatCannotBeReached_StillFailsTheSignal()
    {
        var client = ClientRefusing(new RpcException(new Status(StatusCode.Unavailable, "connection refused")));

        var fault = await Assert.ThrowsAsync<RpcException>(() => client.RaiseAsync("fulfillment-ord-1", "refund-settled", new { RefundId = "rf-1" }));
        Assert.Equal(StatusCode.Unavailable, fault.StatusCode);
    }

    [Fact]
    public async Task AnEngineThatCannotBeReached_IsAnUnavailableEngine_ForProgressAndRestarts()
    {
        // A 503 for the HTTP API (server.saga-engine-unavailable), not a raw RpcException answered as a 500.
        var durable = new Mock<DurableTaskClient>("test");
        var unreachable = new RpcException(new Status(StatusCode.Unavailable, "connect to 10.0.0.7:4001 failed"));
        durable.Setup(c => c.GetInstanceAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>())).ThrowsAsync(unreachable);
        durable.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<Microsoft.DurableTask.TaskName>(), It.IsAny<object?>(),
            It.IsAny<Microsoft.DurableTask.StartOrchestrationOptions?>(), It.IsAny<CancellationToken>())).ThrowsAsync(unreachable);
        var client = new DurableSagaClient(durable.Object, new SagaOptions());
        var order = Orders.Domain.ValueObjects.OrderId.From("ord-1");

        var progress = await Assert.ThrowsAsync<Application.Ports.Outbound.SagaEngineUnavailableException>(() => client.GetProgressAsync(order));
        var restart = await Assert.ThrowsAsync<Application.Ports.Outbound.SagaEngineUnavailableException>(
            () => client.RestartAsync(Application.Integration.SagaNames.Fulfillment, order, "fulfillment-ord-1", null));
        await Assert.ThrowsAsync<Application.Ports.Outbound.SagaEngineUnavailableException>(() => client.StartCheckoutAsync(order));

        Assert.Same(unreachable, progress.InnerException);
        Assert.Same(unreachable, restart.InnerException);
    }

    private static InvocationSagaClient ClientRefusing(RpcException refusal, SaidLogger? logs = null)
    {
        var durable = new Mock<DurableTaskClient>("test");
        durable.Setup(c => c.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(refusal);
        var invocation = new InvocationDurableClient();
        invocation.Use(durable.Object);
        return new InvocationSagaClient(invocation, new SagaOptions(), logs ?? new SaidLogger());
    }

    /// <summary>Keeps what was logged, formatted.</summary>
    private sealed class SaidLogger : ILogger<InvocationSagaClient>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
