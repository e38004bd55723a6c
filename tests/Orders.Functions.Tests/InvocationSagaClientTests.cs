using Grpc.Core;
using Microsoft.DurableTask.Client;
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
        var client = ClientRefusing(new RpcException(new Status(status, detail)));

        await client.RaiseAsync("fulfillment-ord-1", "refund-settled", new { RefundId = "rf-1" });
    }

    [Fact]
    public async Task AnEngineThatCannotBeReached_StillFailsTheSignal()
    {
        var client = ClientRefusing(new RpcException(new Status(StatusCode.Unavailable, "connection refused")));

        var fault = await Assert.ThrowsAsync<RpcException>(() => client.RaiseAsync("fulfillment-ord-1", "refund-settled", new { RefundId = "rf-1" }));
        Assert.Equal(StatusCode.Unavailable, fault.StatusCode);
    }

    private static InvocationSagaClient ClientRefusing(RpcException refusal)
    {
        var durable = new Mock<DurableTaskClient>("test");
        durable.Setup(c => c.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(refusal);
        var invocation = new InvocationDurableClient();
        invocation.Use(durable.Object);
        return new InvocationSagaClient(invocation, new SagaOptions());
    }
}
