using Orders.Application.Jobs;

namespace Orders.Functions.Settings;

/// <summary>
/// Every setting the function app's own code reads, by its configuration key (<c>:</c>-separated; app settings and
/// local.settings.json spell the same key with <c>__</c>). Code reads settings only through these constants, so a test
/// can check this list against local.settings.sample.json (and infra provisions what the sample lists).
/// </summary>
public static class AppSettings
{
    // The store: Cosmos (production) or Sqlite (the embedded store, local only; refused on App Service).
    public const string Store = "Orders:Store";
    public const string CosmosEndpoint = "CosmosDb:Endpoint";
    public const string CosmosDatabase = "CosmosDb:Database";
    public const string CosmosOrdersContainer = "CosmosDb:OrdersContainer";
    public const string CosmosReadModelsContainer = "CosmosDb:ReadModelsContainer";
    public const string CosmosLeasesContainer = "CosmosDb:LeasesContainer";

    // Publishing order events (the outbox relay's Service Bus sender).
    public const string ServiceBusNamespace = "ServiceBus:FullyQualifiedNamespace";
    public const string ServiceBusOrderEventsTopic = "ServiceBus:OrderEventsTopic";

    // Sending requests to inventory, payments, shipping and notifications (the gateway's Service Bus sender).
    public const string ServiceBusRequestsTopic = "ServiceBus:RequestsTopic";

    // The use cases and the HTTP adapter.
    public const string IdempotencyRetention = "Orders:IdempotencyRetention";

    // Optional terms for new orders that name none (defaults: 14 days, 30 minutes).
    public const string ReturnWindow = "Orders:ReturnWindow";
    public const string UnpaidDeadline = "Orders:UnpaidDeadline";
    public const string StoreTimeout = "Orders:StoreTimeout";
    public const string AuthMode = "Auth:Mode";

    // Read by the Functions host, not by this code: the timer schedules and the Service Bus trigger's entity names
    // (as %...% binding expressions on the trigger attributes), and the task hub (host.json). Binding expressions use
    // ':' because the host cannot resolve a name with '__' in it (azure-functions-host#10246); the app setting
    // Jobs__AutoCancelUnpaid__Schedule is the configuration key Jobs:AutoCancelUnpaid:Schedule. The schedules' names
    // are the jobs' own (JobSchedules), shared with the local host.
    public const string AutoCancelUnpaidSchedule = JobSchedules.AutoCancelUnpaid.ConfigurationKey;
    public const string DetectStuckSchedule = JobSchedules.DetectStuck.ConfigurationKey;
    public const string ReconcileSchedule = JobSchedules.Reconcile.ConfigurationKey;
    public const string ChangeFeedSchedule = JobSchedules.ChangeFeed.ConfigurationKey;
    public const string AutoCloseSchedule = JobSchedules.AutoClose.ConfigurationKey;
    public const string PurgeSagasSchedule = JobSchedules.PurgeSagas.ConfigurationKey;
    public const string ServiceBusInboundTopic = "ServiceBus:InboundTopic";
    public const string ServiceBusInboundSubscription = "ServiceBus:InboundSubscription";

    /// <summary>The Service Bus trigger's <c>Connection</c>: an identity-based connection section (<c>__fullyQualifiedNamespace</c>).</summary>
    public const string ServiceBusTriggerConnection = "ServiceBusConnection";

    /// <summary>
    /// Settings that are for local runs only and must never be set in Azure (keys are disabled there), so they are
    /// not in local.settings.sample.json (which infra provisions); README.md says when to add them.
    /// </summary>
    public const string CosmosKey = "CosmosDb:Key";
    public const string ServiceBusConnectionString = "ServiceBus:ConnectionString";

    // Local-only choices, refused at start-up on App Service (see FunctionAppSettings): how requests reach the other
    // domains (ServiceBus, the default; or Simulated), the folder of the local-only parts' files, and the simulators.
    public const string Domains = "Orders:Domains";
    public const string DataDirectory = "Orders:DataDirectory";
    public const string SimulatorsAnswerDelay = "Simulators:AnswerDelay";
    public const string SimulatorsAnswerUrl = "Simulators:AnswerUrl";

    /// <summary>The Functions host's id; a local run must set it to the value derived from its data folder (<see cref="LocalHostId"/>).</summary>
    public const string HostId = LocalHostId.Setting;

    // Optional saga terms (SagaOptions' production defaults otherwise); tests and local runs shorten them.
    public const string SagasInventoryTimeout = "Sagas:InventoryTimeout";
    public const string SagasPaymentTimeout = "Sagas:PaymentTimeout";
    public const string SagasShipmentTimeout = "Sagas:ShipmentTimeout";
    public const string SagasDeliveryTimeout = "Sagas:DeliveryTimeout";
    public const string SagasReversalTimeout = "Sagas:ReversalTimeout";
    public const string SagasRefundHoldRecheck = "Sagas:RefundHoldRecheck";
    public const string SagasMaxEscalations = "Sagas:MaxEscalations";
    public const string SagasMaxAttempts = "Sagas:MaxAttempts";
    public const string SagasFirstRetryInterval = "Sagas:FirstRetryInterval";
    public const string SagasResendAfter = "Sagas:ResendAfter";
    public const string SagasMaxResends = "Sagas:MaxResends";

    /// <summary>How long a completed saga is kept before the purge timer removes it from the task hub (default 7 days).</summary>
    public const string SagasRetention = "Sagas:Retention";

    /// <summary>
    /// Admission (decision 0040): creates are refused with 503 while the oldest work waiting for the engine (a message in
    /// the task hub's queues, or a change the saga-starts lane has not read) has waited longer than this (default 00:00:10) ...
    /// </summary>
    public const string AdmissionMaxEngineLag = "Orders:Admission:MaxEngineLag";

    /// <summary>... or while this many items or more wait (default 1000; 0: no count limit).</summary>
    public const string AdmissionMaxWaiting = "Orders:Admission:MaxWaiting";

    // The Functions host's own settings, read (never written) to measure the task hub's queues for admission: its
    // storage account, as a connection string or in the identity-based form, and the task hub's name (host.json).
    public const string HostStorage = "AzureWebJobsStorage";
    public const string HostStorageAccountName = "AzureWebJobsStorage:accountName";
    public const string HostStorageQueueServiceUri = "AzureWebJobsStorage:queueServiceUri";
    public const string HostStorageClientId = "AzureWebJobsStorage:clientId";
    public const string TaskHubName = "DurableTaskHubName";

    // Set by the platform, never by us: App Service sets the first two on every instance (that is how the app knows it
    // runs in Azure); the Functions host (and func-start) set the host name it listens on.
    public const string AzureInstanceId = "WEBSITE_INSTANCE_ID";
    public const string AzureSiteName = "WEBSITE_SITE_NAME";
    public const string HostName = "WEBSITE_HOSTNAME";

    /// <summary>Settings this code reads that every deployment must have (all are in local.settings.sample.json).</summary>
    public static IReadOnlyList<string> Required { get; } =
    [
        Store, CosmosEndpoint, CosmosDatabase, CosmosOrdersContainer, CosmosReadModelsContainer, CosmosLeasesContainer,
        ServiceBusNamespace, ServiceBusOrderEventsTopic, IdempotencyRetention, AuthMode,
    ];

    /// <summary>
    /// Settings this code reads that fall back to a default when absent (so an older deployment keeps starting); they
    /// are still in local.settings.sample.json, so infra provisions them with the value the code expects.
    /// </summary>
    public static IReadOnlyList<string> Defaulted { get; } = [ServiceBusRequestsTopic];

    /// <summary>Local-only settings this code reads when present.</summary>
    public static IReadOnlyList<string> LocalOnly { get; } =
        [CosmosKey, ServiceBusConnectionString, Domains, DataDirectory, SimulatorsAnswerDelay, SimulatorsAnswerUrl, HostId];

    /// <summary>Optional settings with production defaults in code (not provisioned by infra).</summary>
    public static IReadOnlyList<string> Optional { get; } =
    [
        SagasInventoryTimeout, SagasPaymentTimeout, SagasShipmentTimeout, SagasDeliveryTimeout, SagasReversalTimeout, SagasRefundHoldRecheck,
        SagasMaxEscalations, SagasMaxAttempts, SagasFirstRetryInterval, SagasResendAfter, SagasMaxResends, SagasRetention,
        AdmissionMaxEngineLag, AdmissionMaxWaiting,
    ];

    /// <summary>The binding expression of a setting, for a trigger attribute: <c>%Jobs:Reconcile:Schedule%</c>.</summary>
    public static string Expression(string key) => "%" + key + "%";

    /// <summary>The app-setting spelling of a configuration key: <c>Jobs__Reconcile__Schedule</c>.</summary>
    public static string AppSettingName(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Replace(":", "__", StringComparison.Ordinal);
    }
}
