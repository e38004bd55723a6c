using Orders.Application.Admission;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Orders.Infrastructure.Cosmos;
using Orders.Infrastructure.ServiceBus;
using Orders.Infrastructure.ServiceBus.Gateway;
using Orders.Orchestrations;

namespace Orders.Functions.Settings;

/// <summary>
/// The function app's settings, read once at startup and checked together: a missing or invalid setting stops the
/// worker before it serves anything, with one message naming every problem (<see cref="FunctionAppSettingsException"/>),
/// rather than a null reference on the first request.
/// <para>
/// Production is Cosmos DB (<see cref="Store"/>) and Service Bus (<see cref="Domains"/>) with App Service
/// authentication. The local-only choices (the embedded SQLite store, simulated domains, development authentication)
/// are refused when the app runs on App Service (<see cref="InAzure"/>), whatever else the settings say.
/// </para>
/// </summary>
/// <param name="Cosmos">The Cosmos DB store; checked and used only when <see cref="Store"/> is <see cref="StoreKind.Cosmos"/>.</param>
/// <param name="ReadModelsContainer">The Cosmos DB container of the read models and the stuck-order log.</param>
/// <param name="ServiceBus">Service Bus; checked and used only when <see cref="Domains"/> is <see cref="DomainsKind.ServiceBus"/>.</param>
/// <param name="Requests">Where requests to other domains go (the requests topic).</param>
/// <param name="Local">The local-only parts' settings (data directory, simulators); null when neither is on.</param>
/// <param name="Sagas">The sagas' deadlines and retries (production defaults unless <c>Sagas__*</c> settings say otherwise).</param>
public sealed record FunctionAppSettings(
    CosmosStoreOptions Cosmos,
    string ReadModelsContainer,
    ServiceBusOptions ServiceBus,
    GatewayRequestOptions Requests,
    TimeSpan IdempotencyRetention,
    AuthMode Auth,
    TimeSpan? DefaultReturnWindow = null,
    TimeSpan? DefaultPaymentWindow = null)
{
    public const string CosmosStore = "Cosmos";

    public StoreKind Store { get; init; } = StoreKind.Cosmos;

    public DomainsKind Domains { get; init; } = DomainsKind.ServiceBus;

    public LocalRunSettings? Local { get; init; }

    public SagaOptions Sagas { get; init; } = new();

    /// <summary>How long a call to the order store may take before a request is answered 503 (<c>Orders__StoreTimeout</c>).</summary>
    public TimeSpan StoreTimeout { get; init; } = Orders.Application.Ports.Outbound.TimeBoundOrderStore.DefaultBound;
    /// <summary>How long completed sagas are kept in the task hub (<c>Sagas__Retention</c>, default 7 days).</summary>
    public SagaRetention SagaRetention { get; init; } = new();

    /// <summary>Admission of creates against the task hub's backlog (<c>Orders__Admission__*</c>, decision 0040).</summary>
    public AdmissionSettings Admission { get; init; } = new(new EngineBacklogLimits(), null, null, null, null, null);

    /// <summary>App Service said so (<c>WEBSITE_INSTANCE_ID</c> or <c>WEBSITE_SITE_NAME</c> is set).</summary>
    public bool InAzure { get; init; }

    public static FunctionAppSettings Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var problems = new List<string>();

        string? Required(string key)
        {
            var value = configuration[key];
            if (string.IsNullOrWhiteSpace(value))
            {
                problems.Add($"{AppSettings.AppSettingName(key)} is missing.");
                return null;
            }
            return value.Trim();
        }

        string? RequiredIf(bool needed, string key) => needed ? Required(key) : NullIfBlank(configuration[key]);

        var inAzure = !string.IsNullOrWhiteSpace(configuration[AppSettings.AzureInstanceId]) || !string.IsNullOrWhiteSpace(configuration[AppSettings.AzureSiteName]);
        string Refused(string key, string value) =>
            $"{AppSettings.AppSettingName(key)} is '{value}', which is for a developer's machine only, but this app runs on App Service " +
            $"({AppSettings.AzureInstanceId}/{AppSettings.AzureSiteName} are set): the app refuses to start with it in Azure.";

        var storeKind = StoreKind.Cosmos;
        var store = Required(AppSettings.Store);
        if (store is not null && !Enum.TryParse(store, ignoreCase: true, out storeKind))
            problems.Add($"{AppSettings.AppSettingName(AppSettings.Store)} must be {CosmosStore} (production) or {StoreKind.Sqlite} (local only), not '{store}'.");
        else if (storeKind == StoreKind.Sqlite && inAzure) problems.Add(Refused(AppSettings.Store, store!));
        var onCosmos = storeKind == StoreKind.Cosmos;

        var domains = DomainsKind.ServiceBus;
        var domainsText = NullIfBlank(configuration[AppSettings.Domains]);
        if (domainsText is not null && !Enum.TryParse(domainsText, ignoreCase: true, out domains))
            problems.Add($"{AppSettings.AppSettingName(AppSettings.Domains)} must be {DomainsKind.ServiceBus} (production, the default) or {DomainsKind.Simulated} (local only), not '{domainsText}'.");
        else if (domains == DomainsKind.Simulated && inAzure) problems.Add(Refused(AppSettings.Domains, domainsText!));
        var onServiceBus = domains == DomainsKind.ServiceBus;

        var endpoint = RequiredIf(onCosmos, AppSettings.CosmosEndpoint);
        if (onCosmos && endpoint is not null && !(Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps))
            problems.Add($"{AppSettings.AppSettingName(AppSettings.CosmosEndpoint)} must be an absolute https URI (e.g. https://orders-prod.documents.azure.com:443/), not '{endpoint}'.");
        var database = RequiredIf(onCosmos, AppSettings.CosmosDatabase);
        var orders = RequiredIf(onCosmos, AppSettings.CosmosOrdersContainer);
        var readModels = RequiredIf(onCosmos, AppSettings.CosmosReadModelsContainer);
        var leases = RequiredIf(onCosmos, AppSettings.CosmosLeasesContainer);

        var serviceBusNamespace = RequiredIf(onServiceBus, AppSettings.ServiceBusNamespace);
        var connectionString = configuration[AppSettings.ServiceBusConnectionString];
        if (onServiceBus && serviceBusNamespace is not null && string.IsNullOrWhiteSpace(connectionString))
        {
            try
            {
                ServiceBusClientFactory.NamespaceHost(serviceBusNamespace);
            }
            catch (InvalidOperationException e)
            {
                problems.Add(e.Message.Replace(AppSettings.ServiceBusNamespace, AppSettings.AppSettingName(AppSettings.ServiceBusNamespace), StringComparison.Ordinal));
            }
        }
        var topic = RequiredIf(onServiceBus, AppSettings.ServiceBusOrderEventsTopic);
        var requestsTopic = NullIfBlank(configuration[AppSettings.ServiceBusRequestsTopic]) ?? GatewayRequestOptions.DefaultRequestsTopic;

        var retention = TimeSpan.Zero;
        if (Required(AppSettings.IdempotencyRetention) is { } text
            && !(TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out retention) && retention > TimeSpan.Zero))
            problems.Add($"{AppSettings.AppSettingName(AppSettings.IdempotencyRetention)} must be a positive time span such as 1.00:00:00, not '{text}'.");

        TimeSpan? Optional(string key, bool allowZero)
        {
            var text = NullIfBlank(configuration[key]);
            if (text is null) return null;
            if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) && (value > TimeSpan.Zero || (allowZero && value == TimeSpan.Zero))) return value;
            problems.Add($"{AppSettings.AppSettingName(key)} must be a {(allowZero ? "non-negative" : "positive")} time span such as 14.00:00:00, not '{text}'.");
            return null;
        }
        var returnWindow = Optional(AppSettings.ReturnWindow, allowZero: true);
        var paymentWindow = Optional(AppSettings.UnpaidDeadline, allowZero: false);
        var storeTimeout = Optional(AppSettings.StoreTimeout, allowZero: false) ?? Orders.Application.Ports.Outbound.TimeBoundOrderStore.DefaultBound;
        if (storeTimeout > TimeSpan.FromMinutes(5))
            problems.Add($"{AppSettings.AppSettingName(AppSettings.StoreTimeout)} must be at most 00:05:00, not '{configuration[AppSettings.StoreTimeout]}'.");

        var auth = AuthMode.AppService;
        if (Required(AppSettings.AuthMode) is { } mode && !Enum.TryParse(mode, ignoreCase: false, out auth))
            problems.Add($"{AppSettings.AppSettingName(AppSettings.AuthMode)} must be one of {string.Join(", ", Enum.GetNames<AuthMode>())}, not '{mode}'.");
        else if (auth == AuthMode.Development && inAzure) problems.Add(Refused(AppSettings.AuthMode, auth.ToString()));

        // The local-only parts keep their files (SQLite databases, the published-events file) in one folder.
        LocalRunSettings? local = null;
        if (!onCosmos || !onServiceBus)
        {
            var dataDirectory = Required(AppSettings.DataDirectory);
            var answerDelay = Optional(AppSettings.SimulatorsAnswerDelay, allowZero: true) ?? LocalRunSettings.DefaultAnswerDelay;
            Uri? answerUrl = null;
            if (!onServiceBus)
            {
                var url = NullIfBlank(configuration[AppSettings.SimulatorsAnswerUrl])
                    ?? (NullIfBlank(configuration[AppSettings.HostName]) is { } hostName ? $"http://{hostName}/api/{LocalRunSettings.AnswerRoute}" : null);
                if (url is null)
                    problems.Add($"{AppSettings.AppSettingName(AppSettings.Domains)} is {DomainsKind.Simulated}, so the simulators need to know where the app listens: set " +
                        $"{AppSettings.AppSettingName(AppSettings.SimulatorsAnswerUrl)} (e.g. http://localhost:7071/api/{LocalRunSettings.AnswerRoute}); the Functions host normally sets {AppSettings.HostName}.");
                else if (!Uri.TryCreate(url, UriKind.Absolute, out answerUrl) || (answerUrl.Scheme != Uri.UriSchemeHttp && answerUrl.Scheme != Uri.UriSchemeHttps))
                    problems.Add($"{AppSettings.AppSettingName(AppSettings.SimulatorsAnswerUrl)} must be an absolute http(s) URL, not '{url}'.");
            }
            if (dataDirectory is not null)
            {
                local = new LocalRunSettings(Path.GetFullPath(dataDirectory), answerDelay, answerUrl);
                // Timers are singletons per host id on the storage account: hosts on this folder must share one id, and
                // no host on another folder may have it, or one app's change-feed pump runs and the other's never does.
                var expected = LocalHostId.For(local.DataDirectory);
                var hostId = NullIfBlank(configuration[AppSettings.HostId]);
                if (!inAzure && !string.Equals(hostId, expected, StringComparison.Ordinal))
                    problems.Add($"{AppSettings.AppSettingName(AppSettings.HostId)} is {(hostId is null ? "not set" : $"'{hostId}'")}; with the data folder " +
                        $"{local.DataDirectory} it must be '{expected}'. The Functions host keeps its timer locks in the storage account under " +
                        "its host id, and off Azure that id defaults to one per machine and build: two local apps on one Azurite would share " +
                        "every timer, and only one of them would run its change-feed pump (the other's read models and published events " +
                        "would never move). Hosts on the same data folder share the id; hosts on another folder get another.");
            }
        }

        var sagas = SagaSettings(configuration, problems);
        var sagaRetention = new SagaRetention();
        if (NullIfBlank(configuration[AppSettings.SagasRetention]) is { } keepText)
        {
            if (TimeSpan.TryParse(keepText, CultureInfo.InvariantCulture, out var keep) && keep >= SagaRetention.Minimum) sagaRetention = sagaRetention with { Retention = keep };
            else problems.Add($"{AppSettings.AppSettingName(AppSettings.SagasRetention)} must be a time span of at least {SagaRetention.Minimum}, not '{keepText}'.");
        }

        var admission = AdmissionSettingsFrom(configuration, problems);

        if (problems.Count > 0) throw new FunctionAppSettingsException(problems);

        // Off Cosmos DB or off Service Bus, their settings are not needed: whatever is set (or the defaults) is kept, unused.
        var serviceBus = new ServiceBusOptions
        {
            FullyQualifiedNamespace = serviceBusNamespace,
            ConnectionString = NullIfBlank(connectionString),
        };
        if (topic is not null) serviceBus = serviceBus with { OrderEventsTopic = topic };
        var cosmos = new CosmosStoreOptions { Endpoint = endpoint, Key = NullIfBlank(configuration[AppSettings.CosmosKey]) };
        if (database is not null) cosmos = cosmos with { Database = database };
        if (orders is not null) cosmos = cosmos with { OrdersContainer = orders };
        if (leases is not null) cosmos = cosmos with { LeasesContainer = leases };

        return new FunctionAppSettings(
            cosmos,
            readModels ?? "read-models",
            serviceBus,
            new GatewayRequestOptions { RequestsTopic = requestsTopic, Source = serviceBus.EventSource },
            retention,
            auth,
            returnWindow,
            paymentWindow)
        {
            Store = storeKind,
            Domains = domains,
            Local = local,
            Sagas = sagas,
            SagaRetention = sagaRetention,
            InAzure = inAzure,
            StoreTimeout = storeTimeout,
            Admission = admission,
        };
    }

    /// <summary>
    /// The admission limits (each optional) and what the probe of the task hub's queues needs: the Functions host's
    /// storage account and task hub name. Those two are the host's own settings; if either is missing the host cannot
    /// run its Durable extension either, and admission reports the backlog as not measured rather than stopping the app.
    /// </summary>
    private static AdmissionSettings AdmissionSettingsFrom(IConfiguration configuration, List<string> problems)
    {
        var limits = new EngineBacklogLimits();
        if (NullIfBlank(configuration[AppSettings.AdmissionMaxEngineLag]) is { } lagText)
        {
            if (TimeSpan.TryParse(lagText, CultureInfo.InvariantCulture, out var lag) && lag > TimeSpan.Zero) limits = limits with { MaxEngineLag = lag };
            else problems.Add($"{AppSettings.AppSettingName(AppSettings.AdmissionMaxEngineLag)} must be a positive time span such as 00:00:10, not '{lagText}'.");
        }
        if (NullIfBlank(configuration[AppSettings.AdmissionMaxWaiting]) is { } countText)
        {
            if (long.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out var count)) limits = limits with { MaxWaiting = count };
            else problems.Add($"{AppSettings.AppSettingName(AppSettings.AdmissionMaxWaiting)} must be a whole number (0: no count limit), not '{countText}'.");
        }
        Uri? queueServiceUri = null;
        if (NullIfBlank(configuration[AppSettings.HostStorageQueueServiceUri]) is { } uriText && !Uri.TryCreate(uriText, UriKind.Absolute, out queueServiceUri))
            problems.Add($"{AppSettings.AppSettingName(AppSettings.HostStorageQueueServiceUri)} must be an absolute URI, not '{uriText}'.");
        return new AdmissionSettings(limits, NullIfBlank(configuration[AppSettings.TaskHubName]), NullIfBlank(configuration[AppSettings.HostStorage]),
            NullIfBlank(configuration[AppSettings.HostStorageAccountName]), queueServiceUri, NullIfBlank(configuration[AppSettings.HostStorageClientId]));
    }

    /// <summary>The sagas' deadlines and retries: the production defaults of <see cref="SagaOptions"/>, each overridable.</summary>
    private static SagaOptions SagaSettings(IConfiguration configuration, List<string> problems)
    {
        var defaults = new SagaOptions();
        TimeSpan Duration(string key, TimeSpan fallback)
        {
            var text = NullIfBlank(configuration[key]);
            if (text is null) return fallback;
            if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) && value > TimeSpan.Zero) return value;
            problems.Add($"{AppSettings.AppSettingName(key)} must be a positive time span such as 00:05:00, not '{text}'.");
            return fallback;
        }
        int Count(string key, int fallback, int minimum)
        {
            var text = NullIfBlank(configuration[key]);
            if (text is null) return fallback;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= minimum) return value;
            problems.Add($"{AppSettings.AppSettingName(key)} must be a whole number of at least {minimum}, not '{text}'.");
            return fallback;
        }
        return new SagaOptions
        {
            InventoryTimeout = Duration(AppSettings.SagasInventoryTimeout, defaults.InventoryTimeout),
            PaymentTimeout = Duration(AppSettings.SagasPaymentTimeout, defaults.PaymentTimeout),
            ShipmentTimeout = Duration(AppSettings.SagasShipmentTimeout, defaults.ShipmentTimeout),
            DeliveryTimeout = Duration(AppSettings.SagasDeliveryTimeout, defaults.DeliveryTimeout),
            ReversalTimeout = Duration(AppSettings.SagasReversalTimeout, defaults.ReversalTimeout),
            RefundHoldRecheck = Duration(AppSettings.SagasRefundHoldRecheck, defaults.RefundHoldRecheck),
            MaxEscalations = Count(AppSettings.SagasMaxEscalations, defaults.MaxEscalations, 0),
            MaxAttempts = Count(AppSettings.SagasMaxAttempts, defaults.MaxAttempts, 1),
            FirstRetryInterval = Duration(AppSettings.SagasFirstRetryInterval, defaults.FirstRetryInterval),
            ResendAfter = Duration(AppSettings.SagasResendAfter, defaults.ResendAfter),
            MaxResends = Count(AppSettings.SagasMaxResends, defaults.MaxResends, 0),
        };
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>Admission of creates (decision 0040): its limits, and where the task hub's queues are.</summary>
/// <param name="TaskHub">The task hub's name (<c>DurableTaskHubName</c>, host.json's <c>hubName</c>).</param>
/// <param name="StorageConnectionString">The Functions host's <c>AzureWebJobsStorage</c> when it is a connection string.</param>
/// <param name="StorageAccountName">The identity-based form's account name (<c>AzureWebJobsStorage__accountName</c>).</param>
/// <param name="QueueServiceUri">The identity-based form's queue endpoint (<c>AzureWebJobsStorage__queueServiceUri</c>).</param>
/// <param name="ClientId">The user-assigned managed identity to sign in with (<c>AzureWebJobsStorage__clientId</c>).</param>
public sealed record AdmissionSettings(EngineBacklogLimits Limits, string? TaskHub, string? StorageConnectionString, string? StorageAccountName,
    Uri? QueueServiceUri, string? ClientId)
{
    /// <summary>Why the queues cannot be measured with these settings; null when they can.</summary>
    public string? Unmeasurable =>
        TaskHub is null ? $"{AppSettings.TaskHubName} is not set"
        : StorageConnectionString is null && StorageAccountName is null && QueueServiceUri is null
            ? $"neither {AppSettings.HostStorage} nor {AppSettings.AppSettingName(AppSettings.HostStorageAccountName)} is set"
            : null;
}

/// <summary>Where orders, read models, the inbox and the stuck-order log are kept (setting <c>Orders__Store</c>).</summary>
public enum StoreKind
{
    /// <summary>Cosmos DB: production, the only store allowed on App Service.</summary>
    Cosmos,

    /// <summary>The embedded SQLite store the local host uses, in <c>Orders__DataDirectory</c>: a developer's machine only.</summary>
    Sqlite,
}

/// <summary>How requests reach inventory, payments and shipping, and how events leave (setting <c>Orders__Domains</c>).</summary>
public enum DomainsKind
{
    /// <summary>Service Bus topics (production, the default).</summary>
    ServiceBus,

    /// <summary>
    /// The local host's simulators, in the worker, answering through this app's own local-only HTTP function; public
    /// events go to <c>published-events.jsonl</c> in the data directory. A developer's machine only.
    /// </summary>
    Simulated,
}

/// <summary>The local-only parts' settings.</summary>
/// <param name="DataDirectory">Where the SQLite files and published-events.jsonl are kept (absolute).</param>
/// <param name="AnswerDelay">How long a simulated domain takes to answer.</param>
/// <param name="AnswerUrl">Where the simulators post their answers (this app's local-only function); null unless simulated.</param>
public sealed record LocalRunSettings(string DataDirectory, TimeSpan AnswerDelay, Uri? AnswerUrl)
{
    public static readonly TimeSpan DefaultAnswerDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>The route (under <c>api/</c>) of the function that takes the simulators' answers.</summary>
    public const string AnswerRoute = "local/integration-events";
}

/// <summary>Who the HTTP API believes a caller is (setting <c>Auth__Mode</c>).</summary>
public enum AuthMode
{
    /// <summary>App Service authentication's X-MS-CLIENT-PRINCIPAL header (Azure: Easy Auth strips client copies).</summary>
    AppService,

    /// <summary>The X-Dev-Caller header: for <c>func start</c> on a developer's machine only, never in Azure.</summary>
    Development,
}
