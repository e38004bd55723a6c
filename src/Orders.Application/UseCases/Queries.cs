using Orders.Application.Access;
using Orders.Application.Ports.Inbound;
using Orders.Application.Ports.Outbound;
using Orders.Application.Views;
using Orders.Domain.Common;
using Orders.Domain.ValueObjects;

namespace Orders.Application.UseCases;

/// <summary>An order with its whole history, for a caller allowed to see it.</summary>
public sealed class GetOrder(IOrderStore store)
{
    public async Task<Result<OrderView>> ExecuteAsync(OrderId orderId, Caller caller, CancellationToken cancellationToken = default)
    {
        var order = await store.LoadAsync(orderId, cancellationToken).ConfigureAwait(false);
        return order is not null && OrderAccess.CanSee(caller, order)
            ? Result<OrderView>.Ok(OrderView.From(order))
            : ApplicationRejections.NotFound(orderId.Value);
    }
}

/// <summary>An order's status and its sagas' progress.</summary>
public sealed class GetOrderStatus(IOrderStore store, IEnumerable<ISagaProgressReader> sagas) : IOrderStatusPort
{
    public async Task<Result<OrderStatusView>> GetStatusAsync(OrderId orderId, Caller caller, CancellationToken cancellationToken = default)
    {
        var order = await store.LoadAsync(orderId, cancellationToken).ConfigureAwait(false);
        if (order is null || !OrderAccess.CanSee(caller, order)) return ApplicationRejections.NotFound(orderId.Value);
        var progress = new List<SagaProgress>();
        foreach (var reader in sagas) progress.AddRange(await reader.GetProgressAsync(orderId, cancellationToken).ConfigureAwait(false));
        return Result<OrderStatusView>.Ok(new OrderStatusView(order.Id, order.Status, order.Version, order.History[^1].At, progress));
    }
}
