using Orders.Application.Integration;
using Orders.Application.Jobs;
using Orders.Application.Ports.Outbound;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;

namespace Orders.Application.UseCases.Resolutions;

/// <summary>Which saga instance a resolution names, and whether it may be restarted now.</summary>
internal static class SagaRetries
{
    public const string Checkout = "checkout";
    public const string Fulfillment = "fulfillment";
    public const string Refund = "refund";

    /// <summary>The saga's orchestration name and instance id, or null for a name that is not a saga.</summary>
    public static (string Saga, string InstanceId)? Instance(OrderId orderId, string saga, string? refundId) => saga switch
    {
        Checkout => (SagaNames.Checkout, SagaNames.CheckoutId(orderId)),
        Fulfillment => (SagaNames.Fulfillment, SagaNames.FulfillmentId(orderId)),
        Refund when !string.IsNullOrWhiteSpace(refundId) => (SagaNames.Refund, SagaNames.RefundId(orderId, refundId)),
        _ => null,
    };

    public static bool IsRunning(IReadOnlyList<SagaProgress> progress, string instanceId) =>
        progress.Any(p => p.InstanceId == instanceId && p.RuntimeStatus is "Running" or "Pending" or "Suspended");

    /// <summary>
    /// Restarts a saga after the resolution was recorded. An engine that does not answer ends the request as a fault
    /// that says the change was recorded (<see cref="SagaEngineUnavailableException.ChangeRecorded"/>): the same request
    /// with the same key replays the record and restarts the saga.
    /// </summary>
    public static async Task RestartAfterRecordingAsync(this ISagaRestarter restarter, string saga, OrderId orderId, string instanceId, string? refundId,
        CancellationToken cancellationToken)
    {
        try
        {
            await restarter.RestartAsync(saga, orderId, instanceId, refundId, cancellationToken).ConfigureAwait(false);
        }
        catch (SagaEngineUnavailableException unavailable) when (!unavailable.ChangeRecorded)
        {
            throw unavailable.AfterChangeRecorded();
        }
    }

    /// <summary>True when the order's current state waits on this instance (so running it again can move the order on).</summary>
    public static bool IsAwaited(Order order, string instanceId) => SagaExpectations.For(order).Any(e => e.InstanceId == instanceId);
}
