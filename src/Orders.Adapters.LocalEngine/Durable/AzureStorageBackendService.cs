using DurableTask.AzureStorage;

namespace Orders.Infrastructure.Durable;

/// <summary>
/// Thin decorator over <see cref="AzureStorageOrchestrationService"/> for the sidecar (<c>TaskHubGrpcServer</c>).
/// Everything is delegated; what it adds:
/// <list type="bullet">
/// <item>Start and stop happen once each, and a stop can be awaited. The sidecar stops its dispatchers and the
/// service from a fire-and-forget <c>ApplicationStopping</c> callback, so without this nothing waits for the service to
/// drain and release its partition leases before the engine's disposal returns (a new engine on the same task hub
/// would then find the partitions still owned). The engine awaits <see cref="StopAsync(bool)"/> when disposed; the
/// sidecar's own call gets the same task.</item>
/// </list>
/// </summary>
internal sealed class AzureStorageBackendService : DelegatingOrchestrationService, IDisposable
{
    private readonly AzureStorageOrchestrationService inner;
    private readonly Lock gate = new();
    private Task? started;
    private Task? stopped;

    public AzureStorageBackendService(AzureStorageOrchestrationService inner, SagaGauge? gauge = null)
        : base(inner, gauge) => this.inner = inner;

    public AzureStorageOrchestrationService Inner => this.inner;

    // ---- lifecycle: once each ----
    public override Task StartAsync()
    {
        lock (this.gate)
        {
            if (this.stopped is not null) throw new InvalidOperationException("The Azure Storage orchestration service was stopped; start a new engine.");
            return this.started ??= this.inner.StartAsync();
        }
    }

    public override Task StopAsync() => this.StopAsync(isForced: false);

    public override Task StopAsync(bool isForced)
    {
        lock (this.gate)
        {
            // Never started (no worker ever connected): nothing runs and no lease is held.
            if (this.started is null) return this.stopped ??= Task.CompletedTask;
            return this.stopped ??= StopStartedAsync(this.started, isForced);
        }
    }

    private async Task StopStartedAsync(Task start, bool isForced)
    {
        try
        {
            await start.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // a start that failed left nothing to stop; its error was reported to whoever started it
        catch (Exception)
#pragma warning restore CA1031
        {
            return;
        }
        await this.inner.StopAsync(isForced).ConfigureAwait(false);
    }

    public void Dispose() => this.inner.Dispose();
}
