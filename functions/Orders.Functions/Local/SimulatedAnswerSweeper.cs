using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orders.Infrastructure.Simulators;

namespace Orders.Functions.Local;

/// <summary>
/// Local only (wired when <c>Orders__Domains</c> is Simulated, which App Service refuses): every few seconds, delivers
/// again the simulated domains' answers that the process meant to deliver them left unsettled — it was killed, or
/// every delivery failed. This is what Service Bus does for a message whose consumer died holding its lock; without
/// it, an answer nobody waits for any more (a capture that follows an authorisation) would die with the worker
/// that was sending it. The answers are kept in the data folder's ledger (<see cref="SimulatorLedger"/>), so another
/// instance, or the restarted one, finds them.
/// </summary>
public sealed partial class SimulatedAnswerSweeper(SimulatedDomains domains, TimeProvider clock, ILogger<SimulatedAnswerSweeper> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await domains.RedeliverLostAnswersAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // the sweep runs again next tick; the log shows why this one failed
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogSweepFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep of the simulated domains' unsettled answers failed; it runs again shortly")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
