using Orders.Application.Ports.Outbound;

namespace Orders.Functions.Composition;

/// <summary>
/// The requests Orders sends to inventory, payments, shipping and notifications, in the function app, until their
/// Azure adapters exist. None is written yet (the only implementations are the local host's simulators, which must
/// never answer in Azure). Each call fails with this message, so the saga's retry policy retries, then the saga
/// escalates or compensates — visibly, never pretending a request went out. NotifyBuyer swallows the failure by
/// design (notifications are best effort) and logs it.
/// </summary>
public sealed class UnwiredGatewayPorts : IInventoryPort, IPaymentsPort, IShippingPort, INotificationPort
{
    public static string Message(string port) =>
        $"No Azure adapter for {port} is wired into the function app yet, so the request was not sent. " +
        "See functions/Orders.Functions/README.md (\"What is not wired yet\").";

    public Task ReserveAsync(ReserveStock request, CancellationToken cancellationToken = default) => Fail(nameof(IInventoryPort));

    public Task ReleaseAsync(ReleaseStock request, CancellationToken cancellationToken = default) => Fail(nameof(IInventoryPort));

    public Task InitiateAsync(InitiatePayment request, CancellationToken cancellationToken = default) => Fail(nameof(IPaymentsPort));

    public Task VoidAsync(VoidPayment request, CancellationToken cancellationToken = default) => Fail(nameof(IPaymentsPort));

    public Task ReverseAsync(ReversePayment request, CancellationToken cancellationToken = default) => Fail(nameof(IPaymentsPort));

    public Task CreateShipmentAsync(CreateShipment request, CancellationToken cancellationToken = default) => Fail(nameof(IShippingPort));

    public Task DispatchAsync(DispatchShipment request, CancellationToken cancellationToken = default) => Fail(nameof(IShippingPort));

    public Task CancelShipmentAsync(CancelShipment request, CancellationToken cancellationToken = default) => Fail(nameof(IShippingPort));

    public Task NotifyAsync(Notification notification, CancellationToken cancellationToken = default) => Fail(nameof(INotificationPort));

    private static Task Fail(string port) => Task.FromException(new NotSupportedException(Message(port)));
}
