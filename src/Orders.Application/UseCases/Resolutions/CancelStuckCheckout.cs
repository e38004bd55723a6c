using Orders.Application.Access;
using Orders.Domain.Common;

namespace Orders.Application.UseCases.Resolutions;

/// <summary>
/// An operator cancels an order whose checkout is stuck (CREATED, or CONFIRMED before any money moved). The
/// compensation is the one every cancellation gets: the cancellation compensator, reading the change log, releases
/// the stock reservation and voids the authorisation with keys of its own; a checkout saga still waiting asks for
/// nothing more and gives back, with its own keys, whatever it is granted afterwards (decision 0041).
/// </summary>
public sealed class CancelStuckCheckout(OrderCommandRunner runner)
{
    public Task<Result<CommandReply>> ExecuteAsync(CancelStuckCheckoutCommand command, RequestContext request, long? expectedVersion = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        // The reason is checked as given (the recorded one is prefixed, so an empty reason would otherwise pass).
        if (string.IsNullOrWhiteSpace(command.Reason)) throw new DomainException("reason.empty", "reason must not be empty.");
        return runner.RunAsync(command.OrderId, OrderCommand.CancelStuckCheckout, request, command,
            (order, context) => order.Payment is not null
                ? Domain.OrderAggregate.OrderRejections.Of(Domain.OrderAggregate.OrderRejections.Codes.NotCancellable, "Money has moved: refund instead.")
                : order.Cancel($"checkout stuck, cancelled by an operator: {command.Reason}", context),
            expectedVersion, cancellationToken: cancellationToken);
    }
}
