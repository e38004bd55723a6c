namespace Orders.Application.Ports.Outbound;

/// <summary>Asks the shipping domain for shipments. Orders never talk to carriers themselves.</summary>
public interface IShippingPort
{
    Task CreateShipmentAsync(CreateShipment request, CancellationToken cancellationToken = default);

    Task DispatchAsync(DispatchShipment request, CancellationToken cancellationToken = default);

    Task CancelShipmentAsync(CancelShipment request, CancellationToken cancellationToken = default);
}
