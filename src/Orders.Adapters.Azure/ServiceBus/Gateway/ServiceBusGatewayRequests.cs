using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Orders.Application.Ports.Outbound;
using Orders.Application.Telemetry;
using Orders.Contracts.Integration;
using Orders.Domain.Common;
using Orders.Domain.ValueObjects;

namespace Orders.Infrastructure.ServiceBus.Gateway;

/// <summary>
/// The outbound ports to inventory, payments, shipping, promotions and notifications, over Service Bus. Orders never locks stock,
/// charges money or talks to carriers: each port method sends one <em>request</em> to the requests topic
/// (<c>order-requests</c>) as a CloudEvent 1.0 in structured JSON mode, the same envelope and headers as
/// <see cref="ServiceBusEventPublisher"/>, and returns once Service Bus has accepted it. The answer comes later, as an
/// integration event on <c>order-integration-events</c>, and the waiting saga picks it up from there.
/// <list type="bullet">
/// <item><c>type</c>: one per request (<see cref="GatewayRequestTypes"/>), also the message's <c>Subject</c> and its
/// <c>cloudEvents:type</c> application property, so a domain's subscription filters on it without parsing bodies.</item>
/// <item>Message id and CloudEvent id: the request's idempotency key (the saga derives it from its instance and step),
/// so the topic's duplicate detection drops a request that a retried activity sends again at once, and a receiver that
/// dedupes by CloudEvent id acts on it once. The topic remembers ids for 20 s only (infra: the requests topic's own
/// window): a saga's deliberate re-send of an unanswered request, 30 s or more later, must reach the domain, which
/// acts once and answers again. A key longer than Service Bus' 128 characters is replaced by its
/// SHA-256 (<see cref="MessageIdOf"/>). A <see cref="Notification"/> has no key: its id is the SHA-256 of its content
/// (<see cref="NotificationKey"/>), so the same notification sent twice is one message.</item>
/// <item>Session id: the order id, so a session-aware receiver handles one order's requests one at a time, in order
/// (a release after its reservation).</item>
/// <item><c>data</c>: the request record in the domain's JSON (<see cref="DomainJson.Options"/>): camelCase, ids as
/// strings, money as <c>{"minor":…,"currency":…}</c>.</item>
/// </list>
/// A send that fails throws (<see cref="ServiceBusException"/>): the activity fails and the saga's retry policy sends
/// the same request again, which duplicate detection makes harmless.
/// </summary>
public sealed class ServiceBusGatewayRequests : IInventoryPort, IPaymentsPort, IShippingPort, IPromotionsPort, INotificationPort
{
    /// <summary>Service Bus' limit on a message id.</summary>
    public const int MaxMessageIdLength = 128;

    private readonly ServiceBusSender _sender;
    private readonly GatewayRequestOptions _options;
    private readonly TimeProvider _time;

    public ServiceBusGatewayRequests(ServiceBusSender sender, GatewayRequestOptions? options = null, TimeProvider? time = null)
    {
        _sender = sender ?? throw new ArgumentNullException(nameof(sender));
        _options = options ?? new GatewayRequestOptions();
        ArgumentException.ThrowIfNullOrWhiteSpace(_options.Source, "options.Source");
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The sender for <see cref="GatewayRequestOptions.RequestsTopic"/> (one per process, like the client).</summary>
    public static ServiceBusSender CreateSender(ServiceBusClient client, GatewayRequestOptions options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.RequestsTopic, "options.RequestsTopic");
        return client.CreateSender(options.RequestsTopic);
    }

    public Task ReserveAsync(ReserveStock request, CancellationToken cancellationToken = default) =>
        SendAsync(GatewayRequestTypes.ReserveStock, Checked(request).OrderId, request.IdempotencyKey, request, cancellationToken);

    public Task ReleaseAsync(ReleaseStock request, CancellationToken cancellationToken = default) =>
        SendAsync(GatewayRequestTypes.ReleaseStock, Checked(request).OrderId, request.IdempotencyKey, request, cancellationToken);

    public Task InitiateAsync(InitiatePayment request, CancellationToken cancellationToken = default) =>
        SendAsync(GatewayRequestTypes.InitiatePayment, Checked(request).OrderId, request.IdempotencyKey, request, cancellationToken);

    public Task VoidAsync(VoidPayment request, CancellationToken cancellationToken = default) =>
        SendAsync(GatewayRequestTypes.VoidPayment, Checked(request).OrderId, request.IdempotencyKey, request, cancellationToken);

    public Task ReverseAsync(ReversePayment request, CancellationToken cancellationToken = default) =>
        SendAsync(GatewayRequestTypes.ReversePayment, Checked(request).OrderId, request.IdempotencyKey, request, cancellationToken);

    public Task CreateShipmentAsync(CreateShipment request, CancellationToken cancellationToken = default) =>
        SendAsync(GatewayRequestTypes.CreateShipment, Checked(request).OrderId, request.IdempotencyKey, request, cancellationToken);

    public Task DispatchAsync(DispatchShipment request, CancellationToken cancellationToken = default) =>
        SendAsync(GatewayRequestTypes.DispatchShipment, Checked(request).OrderId, request.IdempotencyKey, request, cancellationToken);

    public Task CancelShipmentAsync(CancelShipment request, CancellationToken cancellationToken = default) =>
        SendAsync(GatewayRequestTypes.CancelShipment, Checked(request).OrderId, request.IdempotencyKey, request, cancellationToken);

    public Task RedeemAsync(RedeemPromotions request, CancellationToken cancellationToken = default) =>
        SendAsync(GatewayRequestTypes.RedeemPromotions, Checked(request).OrderId, request.IdempotencyKey, request, cancellationToken);

    public Task ReleaseAsync(ReleasePromotions request, CancellationToken cancellationToken = default) =>
        SendAsync(GatewayRequestTypes.ReleasePromotions, Checked(request).OrderId, request.IdempotencyKey, request, cancellationToken);

    public Task NotifyAsync(Notification notification, CancellationToken cancellationToken = default) =>
        SendAsync(GatewayRequestTypes.Notify, Checked(notification).OrderId, NotificationKey(notification), notification, cancellationToken);

    /// <summary>The message of one request: the CloudEvent as its body, and the headers described on the class.</summary>
    public ServiceBusMessage ToMessage<TRequest>(string type, OrderId orderId, string idempotencyKey, TRequest request)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        ArgumentNullException.ThrowIfNull(orderId);
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        ArgumentNullException.ThrowIfNull(request);
        var id = MessageIdOf(idempotencyKey);
        var cloudEvent = new CloudEvent(id, _options.Source, type, orderId.Value, _time.GetUtcNow(),
            JsonSerializer.SerializeToElement(request, DomainJson.Options), TraceParent: OrderTrace.TraceParentFor(orderId));
        var message = new ServiceBusMessage(ContractJson.SerializeCloudEvent(cloudEvent))
        {
            MessageId = id,
            SessionId = orderId.Value,
            ContentType = ServiceBusEventPublisher.CloudEventsContentType,
            Subject = type,
        };
        message.ApplicationProperties[ServiceBusEventPublisher.TypeProperty] = type;
        message.ApplicationProperties[ServiceBusEventPublisher.IdProperty] = id;
        message.ApplicationProperties[ServiceBusEventPublisher.SourceProperty] = _options.Source;
        return message;
    }

    /// <summary>The idempotency key itself when Service Bus accepts it as a message id, else <c>sha256:</c> and its hash.</summary>
    public static string MessageIdOf(string idempotencyKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        return idempotencyKey.Length <= MaxMessageIdLength ? idempotencyKey : "sha256:" + Sha256(idempotencyKey);
    }

    /// <summary>
    /// A notification's idempotency key: <c>notify:</c> and the SHA-256 of its order, recipient, template and data
    /// (data by key, ordinal), so the same notification gives the same key whatever order its dictionary was built in.
    /// </summary>
    public static string NotificationKey(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var canonical = new StringBuilder();
        void Field(string value) => canonical.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append('|');
        Field(notification.OrderId.Value);
        Field(notification.Recipient);
        Field(notification.Template);
        foreach (var (key, value) in notification.Data.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Field(key);
            Field(value);
        }
        return "notify:" + Sha256(canonical.ToString());
    }

    private async Task SendAsync<TRequest>(string type, OrderId orderId, string idempotencyKey, TRequest request, CancellationToken cancellationToken)
    {
        // The request's span is the parent the receiving domain continues (the message's traceparent).
        using var activity = OrderTrace.Start($"orders.request {type}", orderId, System.Diagnostics.ActivityKind.Producer);
        await _sender.SendMessageAsync(ToMessage(type, orderId, idempotencyKey, request), cancellationToken).ConfigureAwait(false);
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static T Checked<T>(T request) where T : class => request ?? throw new ArgumentNullException(nameof(request));
}
