using Orders.Application.Access;
using Orders.Application.Ports.Inbound;
using Orders.Application.Ports.Outbound;
using Orders.Application.Views;
using Orders.Domain.Common;
using Orders.Domain.ValueObjects;

namespace Orders.Application.UseCases;

/// <summary>
/// An order with its whole history, for a caller allowed to see it. The state is the store's point read (written in
/// the same transaction as the history, so a read right after a command sees it, with its version); the history and
/// <see cref="OrderView.HistoryIntact"/> come from the stored history itself, never from a read model.
/// </summary>
public sealed class GetOrder(IOrderStore store)
{
    public async Task<Result<OrderView>> ExecuteAsync(OrderId orderId, Caller caller, CancellationToken cancellationToken = default)
    {
        var state = await store.ReadStateAsync(orderId, cancellationToken).ConfigureAwait(false);
        if (state is null || !OrderAccess.CanSee(caller, state.View.BuyerId, state.View.Items.Select(i => i.SellerId)))
            return ApplicationRejections.NotFound(orderId.Value);
        var (history, intact) = await HistoryAsync(orderId, state.Version, cancellationToken).ConfigureAwait(false);
        return Result<OrderView>.Ok(state.View with { History = history, HistoryIntact = intact });
    }

    /// <summary>
    /// The stored entries up to the state's version (a save after the point read may have added more; history is
    /// append-only, so the prefix is what the state reflects). A history that cannot be read, is shorter than the
    /// version, or whose chain is broken is not intact: the state is still answered, the break is reported.
    /// </summary>
    private async Task<(IReadOnlyList<HistoryView> History, bool Intact)> HistoryAsync(OrderId orderId, long version, CancellationToken cancellationToken)
    {
        try
        {
            var order = await store.LoadAsync(orderId, cancellationToken).ConfigureAwait(false);
            if (order is null) return ([], false);
            var entries = order.History.Where(e => e.Sequence <= version).ToArray();
            return ([.. entries.Select(HistoryView.Of)],
                entries.Length == version && Domain.OrderAggregate.OrderHistory.Verify(entries).IsIntact);
        }
        catch (OrderHistoryUnreadableException)
        {
            return ([], false);
        }
    }
}

/// <summary>An order's status (the store's point read, with its version) and its sagas' progress.</summary>
public sealed class GetOrderStatus(IOrderStore store, IEnumerable<ISagaProgressReader> sagas) : IOrderStatusPort
{
    public async Task<Result<OrderStatusView>> GetStatusAsync(OrderId orderId, Caller caller, CancellationToken cancellationToken = default)
    {
        var state = await store.ReadStateAsync(orderId, cancellationToken).ConfigureAwait(false);
        if (state is null || !OrderAccess.CanSee(caller, state.View.BuyerId, state.View.Items.Select(i => i.SellerId)))
            return ApplicationRejections.NotFound(orderId.Value);
        var progress = new List<SagaProgress>();
        foreach (var reader in sagas) progress.AddRange(await reader.GetProgressAsync(orderId, cancellationToken).ConfigureAwait(false));
        return Result<OrderStatusView>.Ok(new OrderStatusView(orderId, state.View.Status, state.Version, state.UpdatedAt, progress));
    }
}
