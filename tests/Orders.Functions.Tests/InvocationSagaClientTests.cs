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
