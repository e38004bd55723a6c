using Orders.Application.Outbox;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orders.Application.Jobs;
using Orders.Functions.Durable;
using Orders.Functions.Settings;
using Orders.Orchestrations;

namespace Orders.Functions.Jobs;

/// <summary>
/// The scheduled work as timer functions. Schedules come from app settings (NCRONTAB with seconds), named by
/// <see cref="JobSchedules"/>. Each function resolves its job from the invocation's services, runs it once and logs
/// its one-line report; a failed run fails the invocation (visible in monitoring) and the next occurrence runs as
/// usual. The jobs that read or start sagas take the Durable client, as every saga-port user does.
/// <para>
/// Retries are declared here, per function, and only on the timers: the Functions host supports retry policies for
/// timer triggers (and a few event triggers), and a global <c>retry</c> block in host.json would also be applied to
/// the orchestrator and activity functions, on top of the sagas' own retry policies (seen under the real host: one
/// failing activity ran 6 times under one invocation id and the saga heard of it 98 s later). The enforcement jobs
/// retry a failed run a few times with back-off (<see cref="JobRetries"/>); the change-feed pump does not, because
/// its next tick, seconds later, is its retry and a retry would only hold the timer's lock.
/// </para>
/// </summary>
public static class JobFunctions
{
    public const string AutoCancelUnpaid = "AutoCancelUnpaidOrders";
    public const string DetectStuck = "DetectStuckOrders";
    public const string Reconcile = "ReconcileOrders";
    public const string ChangeFeed = "PumpChangeFeed";
    public const string AutoClose = "CloseDeliveredOrders";
    public const string PurgeSagas = "PurgeFinishedSagas";

    [Function(AutoCancelUnpaid)]
    [ExponentialBackoffRetry(JobRetries.MaxRetryCount, JobRetries.MinimumInterval, JobRetries.MaximumInterval)]
    public static async Task RunAutoCancelUnpaid([TimerTrigger(JobSchedules.AutoCancelUnpaid.TimerExpression)] TimerInfo timer,
        [DurableClient] DurableTaskClient client, FunctionContext context, CancellationToken cancellationToken)
    {
        // It applies parked answers first (a capture that came before the confirmation), which signal or start sagas.
        Services(context).GetRequiredService<InvocationDurableClient>().Use(client);
        var report = await Services(context).GetRequiredService<AutoCancelUnpaidOrders>().RunOnceAsync(cancellationToken);
        Log(context, AutoCancelUnpaid, timer, report.Summary);
    }

    [Function(DetectStuck)]
    [ExponentialBackoffRetry(JobRetries.MaxRetryCount, JobRetries.MinimumInterval, JobRetries.MaximumInterval)]
    public static async Task RunDetectStuck([TimerTrigger(JobSchedules.DetectStuck.TimerExpression)] TimerInfo timer,
        [DurableClient] DurableTaskClient client, FunctionContext context, CancellationToken cancellationToken)
    {
        Services(context).GetRequiredService<InvocationDurableClient>().Use(client);
        var report = await Services(context).GetRequiredService<DetectStuckOrders>().RunOnceAsync(cancellationToken);
        Log(context, DetectStuck, timer, report.Summary);
    }

    [Function(Reconcile)]
    [ExponentialBackoffRetry(JobRetries.MaxRetryCount, JobRetries.MinimumInterval, JobRetries.MaximumInterval)]
    public static async Task RunReconcile([TimerTrigger(JobSchedules.Reconcile.TimerExpression)] TimerInfo timer,
        [DurableClient] DurableTaskClient client, FunctionContext context, CancellationToken cancellationToken)
    {
        Services(context).GetRequiredService<InvocationDurableClient>().Use(client);
        var report = await Services(context).GetRequiredService<ReconcileOrders>().RunOnceAsync(cancellationToken);
        Log(context, Reconcile, timer, report.Summary);
    }

    [Function(AutoClose)]
    [ExponentialBackoffRetry(JobRetries.MaxRetryCount, JobRetries.MinimumInterval, JobRetries.MaximumInterval)]
    public static async Task RunAutoClose([TimerTrigger(JobSchedules.AutoClose.TimerExpression)] TimerInfo timer,
        FunctionContext context, CancellationToken cancellationToken)
    {
        var report = await Services(context).GetRequiredService<CloseDeliveredOrders>().RunOnceAsync(cancellationToken);
        Log(context, AutoClose, timer, report.Summary);
    }

    /// <summary>
    /// Removes completed sagas past <c>Sagas__Retention</c> from the task hub through Durable's purge API. No retry
    /// policy: like the pump's, its next run is its retry (what it did not purge is still there).
    /// </summary>
    [Function(PurgeSagas)]
    public static async Task RunPurgeSagas([TimerTrigger(JobSchedules.PurgeSagas.TimerExpression)] TimerInfo timer,
        [DurableClient] DurableTaskClient client, FunctionContext context, CancellationToken cancellationToken)
    {
        var services = Services(context);
        var purge = new FinishedSagaPurge(client, services.GetRequiredService<FunctionAppSettings>().SagaRetention, services.GetRequiredService<TimeProvider>());
        var report = await purge.RunOnceAsync(cancellationToken);
        Log(context, PurgeSagas, timer, report.Summary);
    }

    [Function(ChangeFeed)]
    public static async Task RunChangeFeed([TimerTrigger(JobSchedules.ChangeFeed.TimerExpression)] TimerInfo timer,
        [DurableClient] DurableTaskClient client, FunctionContext context, CancellationToken cancellationToken)
    {
        // Its parked-answer replayer applies answers that signal or start sagas (seen under the real host: without
        // the client, a parked capture failed every tick and the paid order never started its fulfillment).
        Services(context).GetRequiredService<InvocationDurableClient>().Use(client);
        var report = await Services(context).GetRequiredService<ChangeFeedPump>().RunOnceAsync(cancellationToken);
        Log(context, ChangeFeed, timer, report.Summary);
    }

    private static IServiceProvider Services(FunctionContext context) =>
        (context ?? throw new ArgumentNullException(nameof(context))).InstanceServices;

    private static void Log(FunctionContext context, string job, TimerInfo? timer, string summary) =>
        JobFunctionLog.Ran(Services(context).GetRequiredService<ILoggerFactory>().CreateLogger(typeof(JobFunctions).FullName!),
            job, timer?.IsPastDue == true, summary);
}

/// <summary>The retry policy of the enforcement jobs' timer functions (the host runs it; see <see cref="JobFunctions"/>).</summary>
public static class JobRetries
{
    public const int MaxRetryCount = 3;
    public const string MinimumInterval = "00:00:10";
    public const string MaximumInterval = "00:02:00";
}

internal static partial class JobFunctionLog
{
    [LoggerMessage(EventId = 7401, EventName = "JobRan", Level = LogLevel.Information, Message = "{Job} ran (past due: {PastDue}): {Summary}")]
    public static partial void Ran(ILogger logger, string job, bool pastDue, string summary);
}
