namespace Orders.Infrastructure.ServiceBus.Gateway;

/// <summary>
/// Where requests to other domains go. <see cref="RequestsTopic"/> binds from <c>ServiceBus__RequestsTopic</c>
/// (local.settings.sample.json); the topic has duplicate detection on (infra/modules/servicebus.bicep).
/// </summary>
public sealed record GatewayRequestOptions
{
    public const string DefaultRequestsTopic = "order-requests";

    /// <summary>The topic every request is sent to; the other domains subscribe to the types they act on.</summary>
    public string RequestsTopic { get; init; } = DefaultRequestsTopic;

    /// <summary>The CloudEvents <c>source</c> of every request (a URI reference), the same as Orders' events by default.</summary>
    public string Source { get; init; } = "/orders";
}
