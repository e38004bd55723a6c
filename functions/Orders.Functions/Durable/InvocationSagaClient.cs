using Grpc.Core;
using Microsoft.Extensions.Logging;
using Orders.Application.Ports.Outbound;
using Orders.Domain.ValueObjects;
using Orders.Orchestrations;

namespace Orders.Functions.Durable;

/// <summary>
/// The saga ports for one invocation: <see cref="DurableSagaClient"/> (the same start/raise/progress logic the local
/// host uses) over the Durable client the invocation received (<see cref="InvocationDurableClient"/>).
/// </summary>
public sealed partial class InvocationSagaClient(InvocationDurableClient invocation, SagaOptions options, ILogger<InvocationSagaClient> logger)
    : ISagaScheduler, ISagaSignals, ISagaProgressReader, ISagaRestarter
{
    public Task<bool> RestartAsync(string saga, OrderId orderId, string instanceId, string? refundId, CancellationToken cancellationToken = default) =>
        Sagas.RestartAsync(saga, orderId, instanceId, refundId, cancellationToken);

    public Task StartCheckoutAsync(OrderId orderId, CancellationToken cancellationToken = default) => Sagas.StartCheckoutAsync(orderId, cancellationToken);

    public Task StartFulfillmentAsync(OrderId orderId, CancellationToken cancellationToken = default) => Sagas.StartFulfillmentAsync(orderId, cancellationToken);

    public Task StartRefundAsync(OrderId orderId, string refundId, CancellationToken cancellationToken = default) =>
        Sagas.StartRefundAsync(orderId, refundId, cancellationToken);

    /// <summary>
    /// The port's contract: an instance that has ended, or never existed, ignores a signal (a late answer, a settled
    /// refund told to a fulfillment that already finished). The in-process engine drops such a message; the Functions
    /// host's Durable client refuses it with FailedPrecondition ("not running") or NotFound. Left to throw, it failed
    /// the inbound answer's invocation and held a change-feed lane on its checkpoint, retried every second for ever
    /// (seen under the real host: the reaction to order.refunded for an order whose parcel was already cancelled).
    /// </summary>
    public async Task RaiseAsync(string instanceId, string eventName, object payload, CancellationToken cancellationToken = default)
    {
        try
        {
            await Sagas.RaiseAsync(instanceId, eventName, payload, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException refused) when (refused.StatusCode is StatusCode.FailedPrecondition or StatusCode.NotFound)
        {
            // Nothing waits for it any more; said, so that a signal dropped this way can be traced.
            LogSignalIgnored(logger, eventName, instanceId, refused.StatusCode, refused.Status.Detail);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Signal {EventName} to {InstanceId} ignored: the engine answered {StatusCode} ({Detail})")]
    private static partial void LogSignalIgnored(ILogger logger, string eventName, string instanceId, StatusCode statusCode, string detail);

    public Task<IReadOnlyList<SagaProgress>> GetProgressAsync(OrderId orderId, CancellationToken cancellationToken = default) =>
        Sagas.GetProgressAsync(orderId, cancellationToken);

    public Task<IReadOnlyList<OrderId>> FindOrdersWithFailedRefundsAsync(DateTimeOffset createdSince, int max, CancellationToken cancellationToken = default) =>
        Sagas.FindOrdersWithFailedRefundsAsync(createdSince, max, cancellationToken);

    private DurableSagaClient Sagas => new(invocation.Client, options);
}
