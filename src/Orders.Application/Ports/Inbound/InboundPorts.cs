using Orders.Application.Access;
using Orders.Application.UseCases;
using Orders.Application.UseCases.Commands;
using Orders.Application.Views;
using Orders.Domain.Common;
using Orders.Domain.ValueObjects;

namespace Orders.Application.Ports.Inbound;

/// <summary>Create an order (the checkout saga starts from it).</summary>
public interface ICreateOrderPort
{
    Task<Result<CommandReply>> ExecuteAsync(CreateOrderCommand command, RequestContext request, CancellationToken cancellationToken = default);
}

/// <summary>Cancel an order.</summary>
public interface ICancelOrderPort
{
    Task<Result<CommandReply>> ExecuteAsync(CancelOrderCommand command, RequestContext request, long? expectedVersion = null, CancellationToken cancellationToken = default);
}

/// <summary>Where an order is: its status, version, and the progress of its sagas.</summary>
public interface IOrderStatusPort
{
    Task<Result<OrderStatusView>> GetStatusAsync(OrderId orderId, Caller caller, CancellationToken cancellationToken = default);
}
