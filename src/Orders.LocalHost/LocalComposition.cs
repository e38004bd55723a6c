using System.Text.Json;
using Orders.Application.Integration;
using Orders.Application.Jobs;
using Orders.Application.Outbox;
using Orders.Application.Reactions;
using Orders.Application.Ports.Outbound;
using Orders.Application.ReadModels;
using Orders.Infrastructure.Local;

namespace Orders.LocalHost;

/// <summary>The outbound relay and the enforcement jobs, as the local host runs them.</summary>
public static class LocalComposition
{
    private static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static void AddRelayAndJobs(IServiceCollection services, string dataDirectory, TimeSpan settleTime)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOrdersJsonLinesPublisher(dataDirectory);
        services.AddSingleton(sp => new OutboxRelay(sp.GetRequiredService<IOrderChangeLog>(), sp.GetRequiredService<IEventPublisher>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new ChangeFeedPump(sp.GetRequiredService<OutboxRelay>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ChangeFeedPump>>(),
            new OrderProjector(sp.GetRequiredService<IOrderChangeLog>(), sp.GetRequiredService<IReadModelStore>()),
            new OrderReactions(sp.GetRequiredService<IOrderChangeLog>(), sp.GetRequiredService<IOrderStore>(), sp.GetRequiredService<ISagaScheduler>(),
                new CancellationCompensator(sp.GetRequiredService<IOrderStore>(),
                    sp.GetRequiredService<IInventoryPort>(), sp.GetRequiredService<IPaymentsPort>(), sp.GetRequiredService<IPromotionsPort>()),
                sp.GetRequiredService<IntegrationEventHandler>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<OrderReactions>>()),
            runsSagaStarts: false)); // SagaStartLoop runs that lane, woken by every commit
        services.AddSingleton<ProgressLogConsumer>();
        services.AddSingleton<JobScanPositions>();
        services.AddSingleton<IRelayMonitor>(sp => new ChangeLogRelayMonitor(sp.GetRequiredService<IOrderChangeLog>()));
        services.AddSingleton(sp => ReadModelPosition.Over(sp.GetRequiredService<IOrderChangeLog>()));
        services.AddSingleton(new JobOptions { SettleTime = settleTime });
        services.AddScoped<AutoCancelUnpaidOrders>();
        services.AddScoped<DetectStuckOrders>();
        services.AddScoped<ReconcileOrders>();
        services.AddScoped<CloseDeliveredOrders>();
        services.AddSingleton(Job<AutoCancelUnpaidOrders>("AutoCancelUnpaid", Widen<AutoCancelUnpaidOrders, AutoCancelReport>((job, ct) => job.RunOnceAsync(ct))));
        services.AddSingleton(Job<DetectStuckOrders>("DetectStuck", Widen<DetectStuckOrders, StuckOrdersReport>((job, ct) => job.RunOnceAsync(ct))));
        services.AddSingleton(Job<ReconcileOrders>("Reconcile", Widen<ReconcileOrders, ReconcileReport>((job, ct) => job.RunOnceAsync(ct))));
        services.AddSingleton(Job<CloseDeliveredOrders>("AutoClose", Widen<CloseDeliveredOrders, AutoCloseReport>((job, ct) => job.RunOnceAsync(ct))));
        services.AddSingleton(Job<Orders.Orchestrations.FinishedSagaPurge>("PurgeSagas",
            Widen<Orders.Orchestrations.FinishedSagaPurge, Orders.Orchestrations.SagaPurgeReport>((job, ct) => job.RunOnceAsync(ct))));
    }

    private static ScheduledJob Job<T>(string name, Func<T, CancellationToken, Task<JobReport>> run) where T : notnull =>
        new(name, async (services, ct) =>
        {
            var report = await run(services.GetRequiredService<T>(), ct).ConfigureAwait(false);
            return JsonSerializer.Serialize(report, report.GetType(), ReportJson);
        });

    private static Func<T, CancellationToken, Task<JobReport>> Widen<T, TReport>(Func<T, CancellationToken, Task<TReport>> run) where TReport : JobReport =>
        async (job, ct) => await run(job, ct).ConfigureAwait(false);
}

/// <summary>
/// At start the engine is empty (it keeps orchestrations in memory), so every saga an order expects is missing, however
/// recent: reconcile, with no settle time, every order that is in a non-terminal status at start
/// (<see cref="ReconcileOrders.RecoverAllAsync"/>: the whole list first, then a batch at a time), which restarts the saga
/// of every order that was mid-flight (checkout, fulfillment, pending refunds) from the store's state. Sagas are
/// idempotent, so steps that had already run are replays. It used to page through the periodic job's walk, which then
/// resumed by position and passed over orders while the restarted sagas moved others out of their status (a lost
/// checkout left an order CONFIRMED that way, found by the repeated-crash test), and which never says it is done while
/// a status holds more orders than the scan limit.
/// </summary>
public sealed partial class StartupRecovery(IServiceProvider services, ILogger<StartupRecovery> logger) : BackgroundService
{
    private const int Attempts = 5;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = services.GetRequiredService<JobOptions>() with { SettleTime = TimeSpan.Zero };
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var reconcile = ActivatorUtilities.CreateInstance<ReconcileOrders>(services, options);
                await foreach (var report in reconcile.RecoverAllAsync(stoppingToken).ConfigureAwait(false))
                    LogRecovered(logger, report.Summary);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // A store fault (a busy or full disk, a timeout) must not stop the host: the pass is repeatable (what it
                // already restarted is found running), so try again a few times, then leave it to the periodic job.
                if (attempt == Attempts)
                {
                    LogGaveUp(logger, attempt, e.GetType().Name, e.Message);
                    return;
                }
                LogRetrying(logger, attempt, e.GetType().Name, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(2 * attempt), time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Start-up recovery: {Summary}")]
    private static partial void LogRecovered(ILogger logger, string summary);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Start-up recovery attempt {Attempt} failed ({Error}: {Detail}); trying again")]
    private static partial void LogRetrying(ILogger logger, int attempt, string error, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Start-up recovery gave up after {Attempt} attempts ({Error}: {Detail}): the periodic reconcile job restarts the " +
        "sagas lost with the last process as it walks the orders, but not the refund a cancelled order still owes; restart the host once the fault clears")]
    private static partial void LogGaveUp(ILogger logger, int attempt, string error, string detail);
}
