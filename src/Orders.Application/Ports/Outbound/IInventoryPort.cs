namespace Orders.Application.Ports.Outbound;

/// <summary>Asks the inventory domain to reserve or release stock. Orders never lock stock themselves.</summary>
public interface IInventoryPort
{
    Task ReserveAsync(ReserveStock request, CancellationToken cancellationToken = default);

    Task ReleaseAsync(ReleaseStock request, CancellationToken cancellationToken = default);
}
