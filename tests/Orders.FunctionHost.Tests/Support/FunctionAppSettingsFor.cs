using System.Globalization;

namespace Orders.FunctionHost.Tests.Support;

/// <summary>
/// The app settings of a test run, as a developer would put them in local.settings.json: the local-only parts (SQLite
/// store and simulated domains, in the data directory), Durable on Azurite in a task hub of the run's own, development
/// callers, short saga deadlines, and no timer on its own schedule except the change-feed pump (every second), so the
/// read models and the relay are driven by the pump's real timer.
/// </summary>
public static class FunctionAppSettingsFor
{
    /// <summary>A cron occurrence (midnight, 1 January) that no run reaches: the job runs only when a test asks.</summary>
    public const string Never = "0 0 0 1 1 *";

    public static string NewTaskHub(string prefix) =>
        prefix + Guid.NewGuid().ToString("N")[..12];

    public static Dictionary<string, string> Local(string dataDirectory, string taskHub, TimeSpan? paymentTimeout = null, TimeSpan? answerDelay = null) => new()
    {
        ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
        ["AzureWebJobsStorage"] = FunctionHostLocator.Azurite ?? throw new InvalidOperationException(FunctionHostLocator.SkipReason),
        ["DurableTaskHubName"] = taskHub,
        ["Orders__Store"] = "Sqlite",
        ["Orders__Domains"] = "Simulated",
        ["Orders__DataDirectory"] = dataDirectory,
        // One host id per data folder, as the app requires of a local run (LocalHostId in the function app; it refuses to
        // start with any other value, naming the right one): every host of the suite runs one build on one machine, so
        // the host's default id would be the same for all of them, and they would share every timer through Azurite.
        ["AzureFunctionsWebHost__hostid"] = HostIdFor(dataDirectory),
        ["Simulators__AnswerDelay"] = (answerDelay ?? TimeSpan.FromMilliseconds(100)).ToString("c", CultureInfo.InvariantCulture),
        ["Sagas__PaymentTimeout"] = (paymentTimeout ?? TimeSpan.FromSeconds(5)).ToString("c", CultureInfo.InvariantCulture),
        ["Sagas__FirstRetryInterval"] = "00:00:01",
        ["Orders__IdempotencyRetention"] = "1.00:00:00",
        ["Auth__Mode"] = "Development",
        ["Jobs__AutoCancelUnpaid__Schedule"] = Never,
        ["Jobs__DetectStuck__Schedule"] = Never,
        ["Jobs__Reconcile__Schedule"] = Never,
        ["Jobs__AutoClose__Schedule"] = Never,
        ["Jobs__PurgeSagas__Schedule"] = Never,
        ["Jobs__ChangeFeed__Schedule"] = "*/1 * * * * *",
        // Admission (decision 0040) as a limit these runs never reach: they test journeys, crashes and scale-out, and a
        // CI machine running other suites beside them can hold the change feed behind for longer than the 10-second
        // default. AdmissionTests runs it with a limit that is reached.
        ["Orders__Admission__MaxEngineLag"] = "00:05:00",
        // The host logs every storage request at Information (Azure.Core): thousands of lines a minute that drown
        // what the tests look for and cost CPU on a 2-core machine.
        ["AzureFunctionsJobHost__logging__logLevel__Azure.Core"] = "Warning",
    };

    /// <summary>
    /// The function app's <c>LocalHostId.For</c> (the tests do not load the app's assembly): <c>orders-</c> and 20 hex
    /// digits of the SHA-256 of the data folder's full path. Should the two ever differ, the app refuses to start and says so.
    /// </summary>
    public static string HostIdFor(string dataDirectory)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDirectory));
        return "orders-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(full)))[..20];
    }

    /// <summary>
    /// Settings for runs where hosts die: deadlines far beyond a host's recovery (the saga must never give up because
    /// the orders service was down), and re-sends from 5 s on, doubling, so an answer lost with a dead worker is asked
    /// for again soon (5, 10, 20, 40, 80 s: all five fit in the 5-minute deadline).
    /// </summary>
    public static Dictionary<string, string> CrashSafe(string dataDirectory, string taskHub, TimeSpan answerDelay)
    {
        var settings = Local(dataDirectory, taskHub, TimeSpan.FromMinutes(5), answerDelay);
        settings["Sagas__InventoryTimeout"] = "00:05:00";
        settings["Sagas__ShipmentTimeout"] = "00:05:00";
        settings["Sagas__DeliveryTimeout"] = "00:05:00";
        settings["Sagas__ResendAfter"] = "00:00:05";
        settings["Sagas__MaxResends"] = "5";
        return settings;
    }
}
