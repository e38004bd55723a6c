namespace Orders.Application.Jobs;

/// <summary>
/// The settings that hold each job's schedule: six-field NCRONTAB with seconds (<c>sec min hour day month weekday</c>),
/// as Azure Functions timer triggers read it. The Application parses no cron: the function app hands the expression to
/// its timer trigger (<see cref="AutoCancelUnpaid.TimerExpression"/> and its siblings) and the local host parses it
/// itself and drives <see cref="ScheduledJobRunner"/>.
/// <para>
/// Three spellings of one setting: <c>Setting</c> as it is named in app settings and <c>local.settings.json</c>
/// (<c>__</c> nests, and works on Linux), <c>ConfigurationKey</c> as <c>IConfiguration</c> sees it, and
/// <c>TimerExpression</c> for <c>[TimerTrigger]</c>. The timer uses the colon form because app-setting binding
/// expressions are resolved through configuration and cannot contain <c>__</c> (Azure/azure-functions-host#10246).
/// </para>
/// </summary>
public static class JobSchedules
{
    public static IReadOnlyList<JobSchedule> All { get; } =
    [
        new(AutoCancelUnpaid.Job, AutoCancelUnpaid.Setting, AutoCancelUnpaid.ConfigurationKey, AutoCancelUnpaid.TimerExpression, AutoCancelUnpaid.Default),
        new(DetectStuck.Job, DetectStuck.Setting, DetectStuck.ConfigurationKey, DetectStuck.TimerExpression, DetectStuck.Default),
        new(Reconcile.Job, Reconcile.Setting, Reconcile.ConfigurationKey, Reconcile.TimerExpression, Reconcile.Default),
        new(AutoClose.Job, AutoClose.Setting, AutoClose.ConfigurationKey, AutoClose.TimerExpression, AutoClose.Default),
        new(ChangeFeed.Job, ChangeFeed.Setting, ChangeFeed.ConfigurationKey, ChangeFeed.TimerExpression, ChangeFeed.Default),
        new(PurgeSagas.Job, PurgeSagas.Setting, PurgeSagas.ConfigurationKey, PurgeSagas.TimerExpression, PurgeSagas.Default),
    ];

    /// <summary><see cref="AutoCancelUnpaidOrders"/>: every five minutes.</summary>
    public static class AutoCancelUnpaid
    {
        public const string Job = "auto-cancel-unpaid";
        public const string Setting = "Jobs__AutoCancelUnpaid__Schedule";
        public const string ConfigurationKey = "Jobs:AutoCancelUnpaid:Schedule";
        public const string TimerExpression = "%" + ConfigurationKey + "%";
        public const string Default = "0 */5 * * * *";
    }

    /// <summary><see cref="DetectStuckOrders"/>: every fifteen minutes.</summary>
    public static class DetectStuck
    {
        public const string Job = "detect-stuck";
        public const string Setting = "Jobs__DetectStuck__Schedule";
        public const string ConfigurationKey = "Jobs:DetectStuck:Schedule";
        public const string TimerExpression = "%" + ConfigurationKey + "%";
        public const string Default = "0 */15 * * * *";
    }

    /// <summary><see cref="ReconcileOrders"/>: at the top of every hour.</summary>
    public static class Reconcile
    {
        public const string Job = "reconcile";
        public const string Setting = "Jobs__Reconcile__Schedule";
        public const string ConfigurationKey = "Jobs:Reconcile:Schedule";
        public const string TimerExpression = "%" + ConfigurationKey + "%";
        public const string Default = "0 0 * * * *";
    }

    /// <summary><see cref="CloseDeliveredOrders"/>: every hour, at ten past.</summary>
    public static class AutoClose
    {
        public const string Job = "auto-close";
        public const string Setting = "Jobs__AutoClose__Schedule";
        public const string ConfigurationKey = "Jobs:AutoClose:Schedule";
        public const string TimerExpression = "%" + ConfigurationKey + "%";
        public const string Default = "0 10 * * * *";
    }

    /// <summary>The change feed pump (projections, outbox relay): every second (decision record 0009). Not a job of this folder; named here with the others.</summary>
    public static class ChangeFeed
    {
        public const string Job = "change-feed";
        public const string Setting = "Jobs__ChangeFeed__Schedule";
        public const string ConfigurationKey = "Jobs:ChangeFeed:Schedule";
        public const string TimerExpression = "%" + ConfigurationKey + "%";
        public const string Default = "*/1 * * * * *";
    }

    /// <summary>Purging completed sagas past their retention (<c>FinishedSagaPurge</c>, beside the sagas): every hour, at twenty past.</summary>
    public static class PurgeSagas
    {
        public const string Job = "purge-sagas";
        public const string Setting = "Jobs__PurgeSagas__Schedule";
        public const string ConfigurationKey = "Jobs:PurgeSagas:Schedule";
        public const string TimerExpression = "%" + ConfigurationKey + "%";
        public const string Default = "0 20 * * * *";
    }
}

/// <summary>One job's schedule setting, in its three spellings, and its default value.</summary>
public sealed record JobSchedule(string Job, string Setting, string ConfigurationKey, string TimerExpression, string Default);
