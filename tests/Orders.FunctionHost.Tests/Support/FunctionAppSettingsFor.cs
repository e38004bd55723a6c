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
    };
}
