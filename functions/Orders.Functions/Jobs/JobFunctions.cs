using Orders.Application.Outbox;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orders.Application.Jobs;
using Orders.Functions.Durable;

namespace Orders.Functions.Jobs;

/// <summary>
/// The scheduled work as timer functions. Schedules come from app settings (NCRONTAB with seconds), named by
/// <see cref="JobSchedules"/>. Each function resolves its job from the invocation's services, runs it once and logs
/// its one-line report; a failed run fails the invocation (visible in monitoring) and the next occurrence runs as
/// usual. The jobs that read or start sagas take the Durable client, as every saga-port user does.
/// </summary>
public static class JobFunctions
{
    public const string AutoCancelUnpaid = "AutoCancelUnpaidOrders";
    public const string DetectStuck = "DetectStuckOrders";
    public const string Reconcile = "ReconcileOrders";
    public const string ChangeFeed = "PumpChangeFeed";
    public const string AutoClose = "CloseDeliveredOrders";

    [Function(AutoCancelUnpaid)]
    public static async Task RunAutoCancelUnpaid([TimerTrigger(JobSchedules.AutoCancelUnpaid.TimerExpression)] TimerInfo timer,
        FunctionContext context, CancellationToken cancellationToken)
    {
        var report = await Services(context).GetRequiredService<AutoCancelUnpaidOrders>().RunOnceAsync(cancellationToken);
        Log(context, AutoCancelUnpaid, timer, report.Summary);
    }

    [Function(DetectStuck)]
    public static async Task RunDetectStuck([TimerTrigger(JobSchedules.DetectStuck.TimerExpression)] TimerInfo timer,
        [DurableClient] DurableTaskClient client, FunctionContext context, CancellationToken cancellationToken)
    {
        Services(context).GetRequiredService<InvocationDurableClient>().Use(client);
        var report = await Services(context).GetRequiredService<DetectStuckOrders>().RunOnceAsync(cancellationToken);
        Log(context, DetectStuck, timer, report.Summary);
    }

    [Function(Reconcile)]
    public static async Task RunReconcile([TimerTrigger(JobSchedules.Reconcile.TimerExpression)] TimerInfo timer,
        [DurableClient] DurableTaskClient client, FunctionContext context, CancellationToken cancellationToken)
    {
        Services(context).GetRequiredService<InvocationDurableClient>().Use(client);
        var report = await Services(context).GetRequiredService<ReconcileOrders>().RunOnceAsync(cancellationToken);
        Log(context, Reconcile, timer, report.Summary);
    }

    [Function(AutoClose)]
    public static async Task RunAutoClose([TimerTrigger(JobSchedules.AutoClose.TimerExpression)] TimerInfo timer,
        FunctionContext context, CancellationToken cancellationToken)
    {
        var report = await Services(context).GetRequiredService<CloseDeliveredOrders>().RunOnceAsync(cancellationToken);
        Log(context, AutoClose, timer, report.Summary);
    }

    [Function(ChangeFeed)]
    public static async Task RunChangeFeed([TimerTrigger(JobSchedules.ChangeFeed.TimerExpression)] TimerInfo timer,
        FunctionContext context, CancellationToken cancellationToken)
    {
        var report = await Services(context).GetRequiredService<ChangeFeedPump>().RunOnceAsync(cancellationToken);
        Log(context, ChangeFeed, timer, report.Summary);
    }

    private static IServiceProvider Services(FunctionContext context) =>
        (context ?? throw new ArgumentNullException(nameof(context))).InstanceServices;

    private static void Log(FunctionContext context, string job, TimerInfo? timer, string summary) =>
        JobFunctionLog.Ran(Services(context).GetRequiredService<ILoggerFactory>().CreateLogger(typeof(JobFunctions).FullName!),
            job, timer?.IsPastDue == true, summary);
}

internal static partial class JobFunctionLog
{
    [LoggerMessage(EventId = 7401, EventName = "JobRan", Level = LogLevel.Information, Message = "{Job} ran (past due: {PastDue}): {Summary}")]
    public static partial void Ran(ILogger logger, string job, bool pastDue, string summary);
}
