using Orders.Application.Access;
using Orders.Application.Jobs;
using Orders.Domain.Common;

namespace Orders.Application.UseCases.Resolutions;

/// <summary>
/// An operator acknowledges a stuck flag with a note (they know, and say why it may stay as it is for now). The note
/// is recorded in the order's history; the flag itself stays until the order moves on (detect-stuck clears it), and
/// the stuck list shows it as acknowledged.
/// </summary>
public sealed class AcknowledgeStuck(OrderCommandRunner runner, IStuckOrderLog stuck)
{
    public async Task<Result<CommandReply>> ExecuteAsync(AcknowledgeStuckCommand command, RequestContext request, long? expectedVersion = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(request);
        if (!OrderAccess.MayIssue(request.Caller, OrderCommand.AcknowledgeStuck)) return ApplicationRejections.Forbidden("acknowledge stuck orders");
        var flag = await stuck.GetAsync(command.OrderId, cancellationToken).ConfigureAwait(false);
        return await runner.RunAsync(command.OrderId, OrderCommand.AcknowledgeStuck, request, command,
            (order, context) => flag is null ? ApplicationRejections.NotStuck(command.OrderId.Value) : order.AcknowledgeStuck(flag.Reason, command.Note, context),
            expectedVersion, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
