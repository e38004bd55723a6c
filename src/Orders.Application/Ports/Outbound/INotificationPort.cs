namespace Orders.Application.Ports.Outbound;

/// <summary>Asks the notification domain to tell someone about their order (best effort; never blocks an order).</summary>
public interface INotificationPort
{
    Task NotifyAsync(Notification notification, CancellationToken cancellationToken = default);
}
