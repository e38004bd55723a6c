using Orders.Application.Access;
using Orders.Application.Ports.Inbound;
using Orders.Domain.Common;

namespace Orders.Application.UseCases.Commands;

// Each use case: one class, one public method, one line of domain. The runner does the rest identically for all.

public sealed class ConfirmOrder(OrderCommandRunner runner)
{
    public Task<Result<CommandReply>> ExecuteAsync(ConfirmOrderCommand command, RequestContext request, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        runner.RunAsync(command.OrderId, OrderCommand.Confirm, request, command,
            (order, context) => order.Confirm(command.ReservationId, command.PaymentAuthorizationId, context), expectedVersion, cancellationToken: cancellationToken);
}

public sealed class CancelOrder(OrderCommandRunner runner) : ICancelOrderPort
{
    public Task<Result<CommandReply>> ExecuteAsync(CancelOrderCommand command, RequestContext request, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        runner.RunAsync(command.OrderId, OrderCommand.Cancel, request, command,
            (order, context) => order.Cancel(command.Reason, context), expectedVersion, cancellationToken: cancellationToken);
}

public sealed class MarkOrderPaid(OrderCommandRunner runner)
{
    public Task<Result<CommandReply>> ExecuteAsync(MarkOrderPaidCommand command, RequestContext request, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        runner.RunAsync(command.OrderId, OrderCommand.MarkPaid, request, command,
            (order, context) => order.MarkPaid(command.PaymentId, command.Amount, context, command.CapturedAt), expectedVersion, cancellationToken: cancellationToken);
}

public sealed class RecordShipment(OrderCommandRunner runner)
{
    public Task<Result<CommandReply>> ExecuteAsync(RecordShipmentCommand command, RequestContext request, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        runner.RunAsync(command.OrderId, OrderCommand.Ship, request, command,
            (order, context) => order.Ship(command.ShipmentId, command.Carrier, command.TrackingNumber, context), expectedVersion, cancellationToken: cancellationToken);
}

public sealed class RecordDelivery(OrderCommandRunner runner)
{
    public Task<Result<CommandReply>> ExecuteAsync(RecordDeliveryCommand command, RequestContext request, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        runner.RunAsync(command.OrderId, OrderCommand.Deliver, request, command,
            (order, context) => order.Deliver(command.ShipmentId, context), expectedVersion, cancellationToken: cancellationToken);
}

public sealed class RecordCashCollected(OrderCommandRunner runner)
{
    public Task<Result<CommandReply>> ExecuteAsync(RecordCashCollectedCommand command, RequestContext request, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        runner.RunAsync(command.OrderId, OrderCommand.RecordCashCollected, request, command,
            (order, context) => order.RecordCashCollected(command.PaymentId, command.Amount, context, command.CollectedAt), expectedVersion, cancellationToken: cancellationToken);
}

public sealed class InitiateRefund(OrderCommandRunner runner)
{
    public Task<Result<CommandReply>> ExecuteAsync(InitiateRefundCommand command, RequestContext request, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        runner.RunAsync(command.OrderId, OrderCommand.RequestRefund, request, command,
            (order, context) => order.RequestRefund(command.RefundId, command.Amount, command.Reason, context), expectedVersion, cancellationToken: cancellationToken);
}

public sealed class RecordRefund(OrderCommandRunner runner)
{
    public Task<Result<CommandReply>> ExecuteAsync(RecordRefundCommand command, RequestContext request, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        runner.RunAsync(command.OrderId, OrderCommand.RecordRefund, request, command,
            (order, context) => order.RecordRefund(command.RefundId, context), expectedVersion, cancellationToken: cancellationToken);
}

public sealed class CloseOrder(OrderCommandRunner runner)
{
    public Task<Result<CommandReply>> ExecuteAsync(CloseOrderCommand command, RequestContext request, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        runner.RunAsync(command.OrderId, OrderCommand.Close, request, command,
            (order, context) => order.Close(context), expectedVersion, cancellationToken: cancellationToken);
}

public sealed class ChangeShippingAddress(OrderCommandRunner runner)
{
    public Task<Result<CommandReply>> ExecuteAsync(ChangeShippingAddressCommand command, RequestContext request, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        runner.RunAsync(command.OrderId, OrderCommand.ChangeShippingAddress, request, command,
            (order, context) => order.ChangeShippingAddress(command.ShippingAddress, context), expectedVersion, cancellationToken: cancellationToken);
}
