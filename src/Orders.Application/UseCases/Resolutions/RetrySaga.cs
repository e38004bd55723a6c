using Orders.Application.Access;
using Orders.Application.Ports.Outbound;
using Orders.Domain.Common;
using Orders.Domain.ValueObjects;

namespace Orders.Application.UseCases.Resolutions;

/// <summary>
/// An operator retries an escalated saga step: recorded in the history (operator, reason), then the saga runs again
/// from its start under the same instance id, re-sending its request with the same idempotency key (the other domain
/// acts once and answers again) and going on from there. Refused while the saga still runs (it re-sends by itself)
/// or when the order's state does not wait on that saga.
/// </summary>
public sealed class RetrySaga(OrderCommandRunner runner, ISagaProgressReader progress, ISagaRestarter restarter)
{
    public async Task<Result<CommandReply>> ExecuteAsync(RetrySagaCommand command, RequestContext request, long? expectedVersion = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(request);
        if (!OrderAccess.MayIssue(request.Caller, OrderCommand.RetrySaga)) return ApplicationRejections.Forbidden("retry sagas");
        if (SagaRetries.Instance(command.OrderId, command.Saga, command.RefundId) is not { } saga)
            return ApplicationRejections.SagaNotAwaited($"'{command.Saga}'", "not waiting on it");
        var sagas = await progress.GetProgressAsync(command.OrderId, cancellationToken).ConfigureAwait(false);
        var running = SagaRetries.IsRunning(sagas, saga.InstanceId);

        var result = await runner.RunAsync(command.OrderId, OrderCommand.RetrySaga, request, command, (order, context) =>
            !SagaRetries.IsAwaited(order, saga.InstanceId) ? ApplicationRejections.SagaNotAwaited(saga.InstanceId, OrderStatusNames.Of(order.Status))
            : running ? ApplicationRejections.SagaRunning(saga.InstanceId)
            : order.RecordSagaRetry(saga.InstanceId, command.Reason, context),
            expectedVersion, cancellationToken: cancellationToken).ConfigureAwait(false);

        // On a replayed key too, unless it runs: the first attempt may have recorded the retry and failed to restart.
        if (result.IsSuccess && !running)
            await restarter.RestartAfterRecordingAsync(saga.Saga, command.OrderId, saga.InstanceId, command.RefundId, cancellationToken).ConfigureAwait(false);
        return result;
    }
}
