namespace Orders.Application.Ports.Outbound;

/// <summary>Asks the payments domain to authorise, void or reverse. Orders never charge money themselves.</summary>
public interface IPaymentsPort
{
    Task InitiateAsync(InitiatePayment request, CancellationToken cancellationToken = default);

    Task VoidAsync(VoidPayment request, CancellationToken cancellationToken = default);

    Task ReverseAsync(ReversePayment request, CancellationToken cancellationToken = default);
}
