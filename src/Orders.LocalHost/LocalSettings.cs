using Cronos;
using Orders.Infrastructure.Cosmos;
using Orders.Infrastructure.Simulators;
using Orders.Orchestrations;

namespace Orders.LocalHost;

/// <summary>The local host's settings, checked once at start: a bad value stops the host with a clear message.</summary>
public sealed record LocalSettings(
    string DataDirectory,
    TimeSpan PumpInterval,
    TimeSpan AnswerDelay,
    IReadOnlyList<SimulatedFailure> FailAll,
    SagaOptions Sagas,
    IReadOnlyDictionary<string, CronExpression> Schedules,
    TimeSpan SettleTime,
    TimeSpan DefaultReturnWindow,
    TimeSpan DefaultPaymentWindow,
    CosmosStoreOptions? Cosmos = null,
    string CosmosReadModelsContainer = "read-models",
    long? StoreMaxBytes = null,
    TimeSpan? StoreTimeout = null)
{
    /// <summary>How long a call to the order store may take before the request is answered 503 (Orders:StoreTimeout).</summary>
    public TimeSpan StoreBound => StoreTimeout ?? Orders.Application.Ports.Outbound.TimeBoundOrderStore.DefaultBound;

    public static readonly string[] JobNames = ["AutoCancelUnpaid", "DetectStuck", "Reconcile", "AutoClose"];

    public static LocalSettings Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var errors = new List<string>();
        var dataDirectory = configuration["Orders:DataDirectory"] ?? ".orders";
        var pump = Duration(configuration, "Orders:PumpInterval", TimeSpan.FromMilliseconds(200), errors);
        var delay = Duration(configuration, "Simulators:AnswerDelay", TimeSpan.FromMilliseconds(500), errors);

        var failAll = new List<SimulatedFailure>();
        foreach (var name in configuration.GetSection("Simulators:FailAll").GetChildren().Select(c => c.Value))
        {
            if (Enum.TryParse<SimulatedFailure>(name, ignoreCase: true, out var failure)) failAll.Add(failure);
            else errors.Add($"Simulators:FailAll: '{name}' is not one of {string.Join(", ", Enum.GetNames<SimulatedFailure>())}.");
        }

        var defaults = new SagaOptions();
        var sagas = new SagaOptions
        {
            InventoryTimeout = Duration(configuration, "Sagas:InventoryTimeout", defaults.InventoryTimeout, errors),
            PaymentTimeout = Duration(configuration, "Sagas:PaymentTimeout", defaults.PaymentTimeout, errors),
            ShipmentTimeout = Duration(configuration, "Sagas:ShipmentTimeout", defaults.ShipmentTimeout, errors),
            DeliveryTimeout = Duration(configuration, "Sagas:DeliveryTimeout", defaults.DeliveryTimeout, errors),
            ReversalTimeout = Duration(configuration, "Sagas:ReversalTimeout", defaults.ReversalTimeout, errors),
            MaxEscalations = Count(configuration, "Sagas:MaxEscalations", defaults.MaxEscalations, errors),
            MaxAttempts = Count(configuration, "Sagas:MaxAttempts", defaults.MaxAttempts, errors),
            FirstRetryInterval = Duration(configuration, "Sagas:FirstRetryInterval", defaults.FirstRetryInterval, errors),
        };

        var schedules = new Dictionary<string, CronExpression>(StringComparer.Ordinal);
        foreach (var job in JobNames)
        {
            var text = configuration[$"Jobs:{job}:Schedule"];
            if (string.IsNullOrWhiteSpace(text)) { errors.Add($"Jobs:{job}:Schedule is missing (six fields, seconds first, e.g. '0 * * * * *')."); continue; }
            try { schedules[job] = CronExpression.Parse(text, CronFormat.IncludeSeconds); }
            catch (CronFormatException e) { errors.Add($"Jobs:{job}:Schedule '{text}' is not a valid cron expression: {e.Message}"); }
        }

        var settle = Duration(configuration, "Jobs:SettleTime", TimeSpan.FromMinutes(1), errors);
        var returnWindow = Duration(configuration, "Orders:ReturnWindow", TimeSpan.FromDays(14), errors);
        var paymentWindow = Duration(configuration, "Orders:UnpaidDeadline", TimeSpan.FromMinutes(30), errors);
        if (paymentWindow == TimeSpan.Zero) errors.Add("Orders:UnpaidDeadline must be more than zero.");
        if (pump == TimeSpan.Zero) errors.Add("Orders:PumpInterval must be more than zero.");

        CosmosStoreOptions? cosmos = null;
        var store = configuration["Orders:Store"];
        if (string.Equals(store, "Cosmos", StringComparison.OrdinalIgnoreCase))
        {
            var endpoint = configuration["CosmosDb:Endpoint"];
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
                errors.Add($"Orders:Store is Cosmos, so CosmosDb:Endpoint must be the account's https URI (the emulator's is https://localhost:8081/), not '{endpoint}'.");
            cosmos = new CosmosStoreOptions
            {
                Endpoint = endpoint,
                Key = configuration["CosmosDb:Key"],
                Database = configuration["CosmosDb:Database"] ?? "orders",
                OrdersContainer = configuration["CosmosDb:OrdersContainer"] ?? "orders",
                LeasesContainer = configuration["CosmosDb:LeasesContainer"] ?? "leases",
            };
        }
        else if (!string.IsNullOrEmpty(store) && !string.Equals(store, "Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"Orders:Store must be Sqlite (the default) or Cosmos, not '{store}'.");
        }

        long? storeMaxBytes = null;
        if (configuration["Orders:StoreMaxBytes"] is { Length: > 0 } cap)
        {
            if (long.TryParse(cap, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bytes) && bytes >= 65536) storeMaxBytes = bytes;
            else errors.Add($"Orders:StoreMaxBytes: '{cap}' is not a whole number of bytes ≥ 65536.");
        }

        var storeTimeout = Duration(configuration, "Orders:StoreTimeout", Orders.Application.Ports.Outbound.TimeBoundOrderStore.DefaultBound, errors);
        if (storeTimeout <= TimeSpan.Zero || storeTimeout > TimeSpan.FromMinutes(5))
            errors.Add($"Orders:StoreTimeout: '{configuration["Orders:StoreTimeout"]}' must be more than zero and at most 00:05:00.");

        if (errors.Count > 0) throw new InvalidLocalSettingsException(errors);
        return new LocalSettings(dataDirectory, pump, delay, failAll, sagas, schedules, settle, returnWindow, paymentWindow, cosmos,
            configuration["CosmosDb:ReadModelsContainer"] ?? "read-models", storeMaxBytes, storeTimeout);
    }

    private static TimeSpan Duration(IConfiguration configuration, string key, TimeSpan fallback, List<string> errors)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= TimeSpan.Zero) return value;
        errors.Add($"{key}: '{text}' is not a non-negative duration (hh:mm:ss).");
        return fallback;
    }

    private static int Count(IConfiguration configuration, string key, int fallback, List<string> errors)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= 0) return value;
        errors.Add($"{key}: '{text}' is not a whole number ≥ 0.");
        return fallback;
    }
}

public sealed class InvalidLocalSettingsException(IReadOnlyList<string> errors)
    : Exception("The local host's settings are not valid:\n  - " + string.Join("\n  - ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
