using Orders.Application.Access;
using Orders.Application.Integration;
using Orders.Application.Ports.Outbound;
using Orders.Domain.Common;

namespace Orders.Application.UseCases.Resolutions;

/// <summary>
/// An operator settled a refund by other means (the payments domain refused or never answered) and records its
/// reference: the refund completes as a reversal would, then the refund saga runs again and, finding the refund
/// done, finishes the rest (stock, closing the order). Refused while the refund saga still waits for an answer.
/// </summary>
public sealed class SettleRefund(OrderCommandRunner runner, ISagaProgressReader progress, ISagaRestarter restarter)
{
    public async Task<Result<CommandReply>> ExecuteAsync(SettleRefundCommand command, RequestContext request, long? expectedVersion = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(request);
        if (!OrderAccess.MayIssue(request.Caller, OrderCommand.SettleRefund)) return ApplicationRejections.Forbidden("settle refunds");
        var saga = SagaNames.RefundId(command.OrderId, command.RefundId);
        var running = SagaRetries.IsRunning(await progress.GetProgressAsync(command.OrderId, cancellationToken).ConfigureAwait(false), saga);

        var result = await runner.RunAsync(command.OrderId, OrderCommand.SettleRefund, request, command, (order, context) =>
            running && order.Refunds.Any(r => r.RefundId == command.RefundId && !r.IsCompleted)
                ? ApplicationRejections.SagaRunning(saga)
                : order.SettleRefundManually(command.RefundId, command.Reference, command.Reason, context),
            expectedVersion, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (result.IsSuccess && !running)
            await restarter.RestartAfterRecordingAsync(SagaNames.Refund, command.OrderId, saga, command.RefundId, cancellationToken).ConfigureAwait(false);
        return result;
    }
}
