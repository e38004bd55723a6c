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
    int MaxSagasInFlight = LocalSettings.DefaultMaxSagasInFlight,
    TimeSpan? SagaRetention = null,
    TimeSpan? SimulatorRetention = null,
    DurableTuning? DurableTuning = null,
    TimeSpan? StoreTimeout = null)
{
    /// <summary>How long a call to the order store may take before the request is answered 503 (Orders:StoreTimeout).</summary>
    public TimeSpan StoreBound => StoreTimeout ?? Orders.Application.Ports.Outbound.TimeBoundOrderStore.DefaultBound;

    /// <summary>The engine's backend: in memory, or Azure Storage with the tuning host.json gives Durable Functions.</summary>
    public Orders.Infrastructure.Durable.DurableBackend Durable(string? azureStorage, string? taskHub)
    {
        var backend = Orders.Infrastructure.Durable.DurableBackend.FromSettings(azureStorage, taskHub);
        if (!backend.IsAzureStorage || DurableTuning is not { } tuning) return backend;
        return backend with
        {
            MaxQueuePollingInterval = tuning.MaxQueuePollingInterval,
            PartitionCount = tuning.PartitionCount,
            ControlQueueBatchSize = tuning.ControlQueueBatchSize,
            MaxConcurrentWorkItems = tuning.MaxConcurrentWorkItems,
        };
    }

    public static readonly string[] JobNames = ["AutoCancelUnpaid", "DetectStuck", "Reconcile", "AutoClose", "PurgeSagas"];

    /// <summary>Jobs with a schedule of their own when none is configured.</summary>
    private static readonly Dictionary<string, string> DefaultSchedules = new(StringComparer.Ordinal) { ["PurgeSagas"] = "5 * * * * *" };

    /// <summary>Measured with tests/Orders.Benchmarks: see its README (the engine stays responsive well past this).</summary>
    public const int DefaultMaxSagasInFlight = 5000;

    /// <summary>How long the local host keeps a completed saga (its engine keeps them in memory).</summary>
    public static readonly TimeSpan DefaultSagaRetention = TimeSpan.FromMinutes(10);

    public TimeSpan Retention => SagaRetention ?? DefaultSagaRetention;

    /// <summary>How long the simulated domains remember their effects (their idempotency records) and an order's SKUs.</summary>
    public static readonly TimeSpan DefaultSimulatorRetention = TimeSpan.FromMinutes(30);

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
            RefundHoldRecheck = Duration(configuration, "Sagas:RefundHoldRecheck", defaults.RefundHoldRecheck, errors),
            MaxEscalations = Count(configuration, "Sagas:MaxEscalations", defaults.MaxEscalations, errors),
            MaxAttempts = Count(configuration, "Sagas:MaxAttempts", defaults.MaxAttempts, errors),
            FirstRetryInterval = Duration(configuration, "Sagas:FirstRetryInterval", defaults.FirstRetryInterval, errors),
        };

        var schedules = new Dictionary<string, CronExpression>(StringComparer.Ordinal);
        foreach (var job in JobNames)
        {
            var text = configuration[$"Jobs:{job}:Schedule"];
            if (string.IsNullOrWhiteSpace(text) && DefaultSchedules.TryGetValue(job, out var fallback)) text = fallback;
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

        var maxSagas = Count(configuration, "Orders:MaxSagasInFlight", DefaultMaxSagasInFlight, errors);
        var retention = Duration(configuration, "Sagas:Retention", DefaultSagaRetention, errors);
        if (retention < Orders.Orchestrations.SagaRetention.Minimum)
            errors.Add($"Sagas:Retention must be at least {Orders.Orchestrations.SagaRetention.Minimum} (a finished saga's last timers and duplicate answers arrive within that).");

        var simulatorRetention = Duration(configuration, "Simulators:Retention", DefaultSimulatorRetention, errors);
        if (simulatorRetention < retention)
            errors.Add($"Simulators:Retention ({simulatorRetention}) must be at least Sagas:Retention ({retention}): a simulated domain must remember a request for as long as a saga may send it again.");

        var defaultsDurable = new Orders.Infrastructure.Durable.DurableBackend();
        var tuning = new DurableTuning(
            Duration(configuration, "Orders:Durable:MaxQueuePollingInterval", defaultsDurable.MaxQueuePollingInterval, errors),
            Count(configuration, "Orders:Durable:PartitionCount", defaultsDurable.PartitionCount, errors),
            Count(configuration, "Orders:Durable:ControlQueueBatchSize", defaultsDurable.ControlQueueBatchSize, errors),
            Count(configuration, "Orders:Durable:MaxConcurrentWorkItems", defaultsDurable.MaxConcurrentWorkItems, errors));
        if (tuning.MaxQueuePollingInterval <= TimeSpan.Zero) errors.Add("Orders:Durable:MaxQueuePollingInterval must be more than zero.");
        if (tuning.PartitionCount is < 1 or > 16) errors.Add("Orders:Durable:PartitionCount must be 1 to 16.");
        if (tuning.ControlQueueBatchSize is < 1 or > 32) errors.Add("Orders:Durable:ControlQueueBatchSize must be 1 to 32.");
        if (tuning.MaxConcurrentWorkItems < 1) errors.Add("Orders:Durable:MaxConcurrentWorkItems must be at least 1.");

        var storeTimeout = Duration(configuration, "Orders:StoreTimeout", Orders.Application.Ports.Outbound.TimeBoundOrderStore.DefaultBound, errors);
        if (storeTimeout <= TimeSpan.Zero || storeTimeout > TimeSpan.FromMinutes(5))
            errors.Add($"Orders:StoreTimeout: '{configuration["Orders:StoreTimeout"]}' must be more than zero and at most 00:05:00.");

        if (errors.Count > 0) throw new InvalidLocalSettingsException(errors);
        return new LocalSettings(dataDirectory, pump, delay, failAll, sagas, schedules, settle, returnWindow, paymentWindow, cosmos,
            configuration["CosmosDb:ReadModelsContainer"] ?? "read-models", storeMaxBytes, maxSagas, retention, simulatorRetention, tuning, storeTimeout);
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

/// <summary>
/// The Azure Storage backend's tuning, mirroring the function app's host.json (<c>extensions.durableTask</c>):
/// <c>storageProvider.maxQueuePollingInterval</c>, <c>storageProvider.partitionCount</c>,
/// <c>storageProvider.controlQueueBatchSize</c>, <c>maxConcurrent*Functions</c>. Decision record 0018 says why these values.
/// </summary>
public sealed record DurableTuning(TimeSpan MaxQueuePollingInterval, int PartitionCount, int ControlQueueBatchSize, int MaxConcurrentWorkItems);

public sealed class InvalidLocalSettingsException(IReadOnlyList<string> errors)
    : Exception("The local host's settings are not valid:\n  - " + string.Join("\n  - ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
