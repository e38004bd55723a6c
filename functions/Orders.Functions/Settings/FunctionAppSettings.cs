using System.Globalization;
using Microsoft.Extensions.Configuration;
using Orders.Infrastructure.Cosmos;
using Orders.Infrastructure.ServiceBus;
using Orders.Infrastructure.ServiceBus.Gateway;

namespace Orders.Functions.Settings;

/// <summary>
/// The function app's settings, read once at startup and checked together: a missing or invalid setting stops the
/// worker before it serves anything, with one message naming every problem (<see cref="FunctionAppSettingsException"/>),
/// rather than a null reference on the first request.
/// </summary>
/// <param name="ReadModelsContainer">The Cosmos DB container of the read models and the stuck-order log.</param>
/// <param name="Requests">Where requests to other domains go (the requests topic).</param>
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

        var store = Required(AppSettings.Store);
        if (store is not null && !string.Equals(store, CosmosStore, StringComparison.OrdinalIgnoreCase))
            problems.Add($"{AppSettings.AppSettingName(AppSettings.Store)} is '{store}', but the function app only serves the Cosmos DB store ('{CosmosStore}'); the SQLite store is the local host's.");

        var endpoint = Required(AppSettings.CosmosEndpoint);
        if (endpoint is not null && !(Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps))
            problems.Add($"{AppSettings.AppSettingName(AppSettings.CosmosEndpoint)} must be an absolute https URI (e.g. https://orders-prod.documents.azure.com:443/), not '{endpoint}'.");
        var database = Required(AppSettings.CosmosDatabase);
        var orders = Required(AppSettings.CosmosOrdersContainer);
        var readModels = Required(AppSettings.CosmosReadModelsContainer);
        var leases = Required(AppSettings.CosmosLeasesContainer);

        var serviceBusNamespace = Required(AppSettings.ServiceBusNamespace);
        var connectionString = configuration[AppSettings.ServiceBusConnectionString];
        if (serviceBusNamespace is not null && string.IsNullOrWhiteSpace(connectionString))
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
        var topic = Required(AppSettings.ServiceBusOrderEventsTopic);
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

        var auth = AuthMode.AppService;
        if (Required(AppSettings.AuthMode) is { } mode && !Enum.TryParse(mode, ignoreCase: false, out auth))
            problems.Add($"{AppSettings.AppSettingName(AppSettings.AuthMode)} must be one of {string.Join(", ", Enum.GetNames<AuthMode>())}, not '{mode}'.");

        if (problems.Count > 0) throw new FunctionAppSettingsException(problems);

        var serviceBus = new ServiceBusOptions
        {
            FullyQualifiedNamespace = serviceBusNamespace,
            ConnectionString = NullIfBlank(connectionString),
            OrderEventsTopic = topic!,
        };

        return new FunctionAppSettings(
            new CosmosStoreOptions
            {
                Endpoint = endpoint,
                Key = NullIfBlank(configuration[AppSettings.CosmosKey]),
                Database = database!,
                OrdersContainer = orders!,
                LeasesContainer = leases!,
            },
            readModels!,
            serviceBus,
            new GatewayRequestOptions { RequestsTopic = requestsTopic, Source = serviceBus.EventSource },
            retention,
            auth,
            returnWindow,
            paymentWindow);
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>Who the HTTP API believes a caller is (setting <c>Auth__Mode</c>).</summary>
public enum AuthMode
{
    /// <summary>App Service authentication's X-MS-CLIENT-PRINCIPAL header (Azure: Easy Auth strips client copies).</summary>
    AppService,

    /// <summary>The X-Dev-Caller header: for <c>func start</c> on a developer's machine only, never in Azure.</summary>
    Development,
}
