namespace Orders.Infrastructure.ServiceBus;

/// <summary>
/// Where Orders' Service Bus entities live. Binds from the <c>ServiceBus</c> configuration section
/// (<c>ServiceBus__FullyQualifiedNamespace</c>, <c>ServiceBus__OrderEventsTopic</c>, <c>ServiceBus__InboundTopic</c>,
/// <c>ServiceBus__InboundSubscription</c> in local.settings.sample.json).
/// </summary>
public sealed record ServiceBusOptions
{
    public const string SectionName = "ServiceBus";

    /// <summary>
    /// The namespace host, e.g. <c>orders-prod.servicebus.windows.net</c>. The client signs in with a token credential
    /// (<c>DefaultAzureCredential</c>: managed identity in Azure); the namespace has local (SAS) auth disabled.
    /// </summary>
    public string? FullyQualifiedNamespace { get; init; }

    /// <summary>
    /// A connection string: for the local Service Bus emulator only
    /// (<c>Endpoint=sb://localhost;SharedAccessKeyName=…;SharedAccessKey=…;UseDevelopmentEmulator=true;</c>). When set it
    /// wins over <see cref="FullyQualifiedNamespace"/>. Never used in Azure, where SAS is disabled.
    /// </summary>
    public string? ConnectionString { get; init; }

    /// <summary>The topic the outbox relay publishes order events to.</summary>
    public string OrderEventsTopic { get; init; } = "order-events";

    /// <summary>The topic other domains publish their integration events to.</summary>
    public string InboundTopic { get; init; } = "order-integration-events";

    /// <summary>Orders' subscription on <see cref="InboundTopic"/> (session-enabled).</summary>
    public string InboundSubscription { get; init; } = "orders";

    /// <summary>The CloudEvents <c>source</c> of every event Orders publishes (a URI reference).</summary>
    public string EventSource { get; init; } = "/orders";

    /// <summary>
    /// Start a new batch whenever the session id (order id) changes. Off by default: the topics are not partitioned,
    /// and a batch may mix sessions. Turn it on for a partitioned entity, which refuses a batch spanning partitions.
    /// </summary>
    public bool OneSessionPerBatch { get; init; }

    /// <summary>
    /// How long the inbound processor holds a message before abandoning it for a retry, on its first delivery; doubled
    /// on each later delivery up to <see cref="InboundRetryMaxDelay"/>. Abandoning at once would burn through the
    /// subscription's MaxDeliveryCount in milliseconds (a session receiver gets the message straight back), turning a
    /// capture that merely arrived before its confirmation into a dead letter.
    /// </summary>
    public TimeSpan InboundRetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest hold before an abandon. Keep it well under the subscription's lock duration (1 minute).</summary>
    public TimeSpan InboundRetryMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>AMQP over WebSockets (port 443) for networks that block AMQP's 5671.</summary>
    public bool UseWebSockets { get; init; }
}
