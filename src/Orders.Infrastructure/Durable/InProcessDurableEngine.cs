using System.Net;
using DurableTask.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Orders.Infrastructure.Durable;

/// <summary>
/// The Durable Task engine in process, for tests and the local host: the in-memory orchestration service served by
/// the public <c>TaskHubGrpcServer</c> on a loopback HTTP/2 port, with the real <c>Microsoft.DurableTask</c> gRPC
/// worker and client. The stock test host caps concurrent work items at the processor count (2 here) and sleeps
/// 500 ms whenever the cap is hit; this host wraps the service to report a higher cap (measured: 100 sagas of two
/// activities in ~0.1–0.2 s instead of ~77 s). State lives in memory: it does not survive a restart (the local host's
/// reconcile job restarts sagas of orders that were mid-flight; the Azurite-backed engine is the persistent option).
/// </summary>
public sealed class InProcessDurableEngine : IAsyncDisposable
{
    private readonly WebApplication _sidecar;
    private readonly IHost _worker;
    private readonly GrpcChannel _channel;

    private InProcessDurableEngine(WebApplication sidecar, IHost worker, GrpcChannel channel)
    {
        _sidecar = sidecar;
        _worker = worker;
        _channel = channel;
        Client = worker.Services.GetRequiredService<DurableTaskClient>();
    }

    public DurableTaskClient Client { get; }

    /// <summary>The worker's services: where activities are resolved from.</summary>
    public IServiceProvider Services => _worker.Services;

    /// <param name="registry">Registers the orchestrators and activities.</param>
    /// <param name="configureServices">Registers what activities need (constructor injection).</param>
    /// <param name="maxConcurrentWorkItems">The raised cap for orchestration and activity work items.</param>
    public static async Task<InProcessDurableEngine> StartAsync(
        Action<DurableTaskRegistry> registry,
        Action<IServiceCollection> configureServices,
        int maxConcurrentWorkItems = 1000,
        ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        var inMemory = new InMemoryOrchestrationService(loggerFactory);
        var backend = new RaisedCapOrchestrationService(inMemory, maxConcurrentWorkItems, maxConcurrentWorkItems);

        var sidecarBuilder = WebApplication.CreateSlimBuilder();
        sidecarBuilder.Logging.ClearProviders();
        if (loggerFactory is not null) sidecarBuilder.Services.AddSingleton(loggerFactory);
        sidecarBuilder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        sidecarBuilder.Services.AddGrpc();
        sidecarBuilder.Services.AddSingleton<IOrchestrationService>(backend);
        sidecarBuilder.Services.AddSingleton<IOrchestrationServiceClient>(backend);
        sidecarBuilder.Services.AddSingleton<TaskHubGrpcServer>();
        var sidecar = sidecarBuilder.Build();
        sidecar.MapGrpcService<TaskHubGrpcServer>();
        await sidecar.StartAsync(cancellationToken).ConfigureAwait(false);

        var channel = GrpcChannel.ForAddress(sidecar.Urls.First());
        var workerBuilder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        workerBuilder.Logging.ClearProviders();
        if (loggerFactory is not null) workerBuilder.Services.AddSingleton(loggerFactory);
        configureServices(workerBuilder.Services);
        workerBuilder.Services.AddDurableTaskWorker(b =>
        {
            b.UseGrpc(channel);
            b.AddTasks(registry);
        });
        workerBuilder.Services.AddDurableTaskClient(b =>
        {
            b.UseGrpc(channel);
            b.RegisterDirectly();
        });
        var worker = workerBuilder.Build();
        await worker.StartAsync(cancellationToken).ConfigureAwait(false);
        return new InProcessDurableEngine(sidecar, worker, channel);
    }

    public async ValueTask DisposeAsync()
    {
        await _worker.StopAsync().ConfigureAwait(false);
        _worker.Dispose();
        await _channel.ShutdownAsync().ConfigureAwait(false);
        _channel.Dispose();
        await _sidecar.StopAsync().ConfigureAwait(false);
        await _sidecar.DisposeAsync().ConfigureAwait(false);
    }
}
