using Orders.Application.ReadModels;
using Orders.Domain.ValueObjects;

namespace Orders.ReadModels.Tests.Support;

/// <summary>A store that dies on its n-th write (1-based) while armed: the projector's process crashing mid-batch.</summary>
public sealed class CrashingReadModelStore(IReadModelStore inner, int crashOnWrite) : IReadModelStore
{
    private int _writes;

    public bool Armed { get; set; } = true;

    public bool Crashed { get; private set; }

    public Task<OrderDetailRecord?> GetDetailAsync(OrderId orderId, CancellationToken cancellationToken = default) =>
        inner.GetDetailAsync(orderId, cancellationToken);

    public Task<bool> PutDetailAsync(OrderDetailRecord detail, CancellationToken cancellationToken = default)
    {
        Write();
        return inner.PutDetailAsync(detail, cancellationToken);
    }

    public Task<OrderListItem?> GetBuyerItemAsync(BuyerId buyerId, OrderId orderId, CancellationToken cancellationToken = default) =>
        inner.GetBuyerItemAsync(buyerId, orderId, cancellationToken);

    public Task<bool> PutBuyerItemAsync(OrderListItem item, CancellationToken cancellationToken = default)
    {
        Write();
        return inner.PutBuyerItemAsync(item, cancellationToken);
    }

    public Task<SellerOrderRecord?> GetSellerItemAsync(SellerId sellerId, OrderId orderId, CancellationToken cancellationToken = default) =>
        inner.GetSellerItemAsync(sellerId, orderId, cancellationToken);

    public Task<bool> PutSellerItemAsync(SellerOrderRecord record, CancellationToken cancellationToken = default)
    {
        Write();
        return inner.PutSellerItemAsync(record, cancellationToken);
    }

    private void Write()
    {
        if (!Armed || ++_writes != crashOnWrite) return;
        Crashed = true;
        throw new SimulatedCrashException($"Simulated crash before write {crashOnWrite}.");
    }
}

public sealed class SimulatedCrashException(string message) : Exception(message);
