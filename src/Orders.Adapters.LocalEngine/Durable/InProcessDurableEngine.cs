using System.Net;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orders.Infrastructure.Durable.Direct;

namespace Orders.Infrastructure.Durable;

/// <summary>
/// The Durable Task engine in process, for tests and the local host, with the real <c>Microsoft.DurableTask</c>
/// orchestrators, activities and client API. Two backends (<see cref="DurableBackend"/>):
/// <list type="bullet">
/// <item>In memory (the default), dispatched in process (<see cref="EngineDispatch.Direct"/>, decision 0029): Durable
/// Task Core's dispatchers run the sagas through the SDK's shims straight on the in-memory orchestration service, and
/// the client calls the service directly; no sidecar, no socket. The stock test host caps concurrent work items at the
/// processor count (2 here) and sleeps 500 ms whenever the cap is hit; this host wraps the service to report a higher
/// cap (measured: 100 sagas of two activities in ~0.1–0.2 s instead of ~77 s). State does not survive a restart (the
/// local host's reconcile job restarts sagas of orders that were mid-flight). <see cref="EngineDispatch.Sidecar"/>
/// runs it behind the gRPC sidecar instead (the benchmark compares the two).</item>
/// <item>Azure Storage (e.g. Azurite): Durable Task's Azure Storage backend, the Durable Functions default, served by
/// the public <c>TaskHubGrpcServer</c> over HTTP/2 on a Unix domain socket (loopback TCP where there are none) to the
/// SDK's gRPC worker and client. Orchestrations, their timers and raised events survive a restart: a new engine on the
/// same task hub carries on. Slower (tens of ms per step, queues polled up to
/// <see cref="DurableBackend.MaxQueuePollingInterval"/> apart). The client's <c>WaitForInstanceCompletionAsync</c>
/// polls the backend every 2 s or so: poll <c>GetInstanceAsync</c> yourself where latency matters. Queries
/// (<c>GetAllInstancesAsync</c>) and purges work through the sidecar.</item>
/// </list>
/// </summary>
public sealed class InProcessDurableEngine : IAsyncDisposable
{
    private readonly WebApplication? _sidecar;
    private readonly IHost _worker;
    private readonly GrpcChannel? _channel;
    private readonly AzureStorageBackendService? _azureStorage;
    private readonly RaisedCapOrchestrationService? _inMemory;
    private readonly string? _socketPath;

    private InProcessDurableEngine(WebApplication? sidecar, IHost worker, GrpcChannel? channel, DurableBackend backend, AzureStorageBackendService? azureStorage,
        SagaGauge gauge, RaisedCapOrchestrationService? inMemory, string? socketPath)
    {
        Gauge = gauge;
        _inMemory = inMemory;
        _socketPath = socketPath;
        _sidecar = sidecar;
        _worker = worker;
        _channel = channel;
        _azureStorage = azureStorage;
        Backend = backend;
        Client = worker.Services.GetRequiredService<DurableTaskClient>();
    }

    public DurableTaskClient Client { get; }

    /// <summary>The orchestrations in flight on this engine, and the admission of new checkouts against its limit.</summary>
    public SagaGauge Gauge { get; }

    /// <summary>In memory: messages dropped because their instance had been purged (0 on Azure Storage).</summary>
    public long OrphanMessagesDropped => _inMemory?.OrphanMessagesDropped ?? 0;

    /// <summary>In memory: the instance ids indexed for queries by prefix (they follow creations and purges); otherwise 0.</summary>
    public int IndexedInstanceIds => _inMemory?.IndexedInstanceIds ?? 0;

    /// <summary>In memory: durable timers waiting to fire (a finished instance's are dropped when it finishes); otherwise 0.</summary>
    public int PendingTimers => _inMemory?.PendingTimers ?? 0;

    /// <summary>In memory: finished instances kept as their final status record only, until purged; otherwise 0.</summary>
    public int FinishedInstances => _inMemory?.FinishedInstances ?? 0;

    /// <summary>Orchestration episodes completed and activities run since start (what a saga costs the engine).</summary>
    public (long OrchestrationTurns, long ActivitiesRun) WorkDone => _inMemory?.WorkDone ?? _azureStorage?.WorkDone ?? (0, 0);

    /// <summary>How the worker reaches the orchestration service: in process (in memory) or through the gRPC sidecar.</summary>
    public EngineDispatch Dispatch => _sidecar is null ? EngineDispatch.Direct : EngineDispatch.Sidecar;

    /// <summary>Where this engine keeps its orchestrations.</summary>
    public DurableBackend Backend { get; }

    /// <summary>The worker's services: where activities are resolved from.</summary>
    public IServiceProvider Services => _worker.Services;

    /// <param name="registry">Registers the orchestrators and activities.</param>
    /// <param name="configureServices">Registers what activities need (constructor injection).</param>
    /// <param name="maxConcurrentWorkItems">
    /// In memory: the raised cap for orchestration and activity work items. (Azure Storage uses
    /// <see cref="DurableBackend.MaxConcurrentWorkItems"/>.)
    /// </param>
    /// <param name="backend">In memory when null or without a connection string; otherwise Azure Storage, whose task
    /// hub (tables, queues, containers) is created when missing.</param>
    /// <param name="checkpoints">
    /// In memory only (tests): told each orchestration's whole history (instance id, events) every time an episode of it
    /// is saved, just before it is saved (so an instance reported complete has had its final history told); the last call
    /// for an instance is its history so far. Replay tests record sagas' histories with it.
    /// </param>
    public static async Task<InProcessDurableEngine> StartAsync(
        Action<DurableTaskRegistry> registry,
        Action<IServiceCollection> configureServices,
        int maxConcurrentWorkItems = 1000,
        ILoggerFactory? loggerFactory = null,
        DurableBackend? backend = null,
        CancellationToken cancellationToken = default,
        SagaGauge? gauge = null,
        Action<string, IReadOnlyList<DurableTask.Core.History.HistoryEvent>>? checkpoints = null,
        EngineDispatch dispatch = EngineDispatch.Direct)
    {
        gauge ??= new SagaGauge(0);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(configureServices);
        backend ??= DurableBackend.InMemory;
        backend.Validate();

        IOrchestrationService service;
        IOrchestrationServiceClient serviceClient;
        AzureStorageBackendService? azureStorage = null;
        RaisedCapOrchestrationService? raised = null;
        if (backend.IsAzureStorage)
        {
            azureStorage = await CreateAzureStorageAsync(backend, loggerFactory, gauge, cancellationToken).ConfigureAwait(false);
            (service, serviceClient) = (azureStorage, azureStorage);
        }
        else
        {
            var inMemory = new InMemoryOrchestrationService(loggerFactory);
            raised = new RaisedCapOrchestrationService(inMemory, maxConcurrentWorkItems, maxConcurrentWorkItems, gauge, checkpoints);
            (service, serviceClient) = (raised, raised);
        }

        try
        {
            if (raised is not null && dispatch == EngineDispatch.Direct)
            {
                var worker = await StartDirectAsync(raised, registry, configureServices, loggerFactory, cancellationToken).ConfigureAwait(false);
                return new InProcessDurableEngine(null, worker, null, backend, azureStorage, gauge, raised, null);
            }
            var engine = await StartOnAsync(service, serviceClient, registry, configureServices, loggerFactory, backend, azureStorage, cancellationToken).ConfigureAwait(false);
            return new InProcessDurableEngine(engine.Sidecar, engine.Worker, engine.Channel, backend, azureStorage, gauge, raised, engine.SocketPath);
        }
        catch
        {
            if (azureStorage is not null)
            {
                await azureStorage.StopAsync().ConfigureAwait(false);
                azureStorage.Dispose();
            }
            throw;
        }
    }

    /// <summary>
    /// The in-memory service dispatched by Durable Task Core in this process, with a client straight over it (decision
    /// 0029): no sidecar, no socket.
    /// </summary>
    private static async Task<IHost> StartDirectAsync(RaisedCapOrchestrationService service, Action<DurableTaskRegistry> registry,
        Action<IServiceCollection> configureServices, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        var workerBuilder = WorkerBuilder(configureServices, loggerFactory);
        workerBuilder.Services.AddSingleton(new DirectEngineService(service));
        workerBuilder.Services.AddDurableTaskWorker(b =>
        {
            b.AddTasks(registry);
            b.UseBuildTarget<DirectDurableTaskWorker>();
        });
        workerBuilder.Services.AddSingleton<DurableTaskClient>(new DirectDurableTaskClient("direct", service, JsonDataConverter.Default));
        var worker = workerBuilder.Build();
        await worker.StartAsync(cancellationToken).ConfigureAwait(false);
        return worker;
    }

    /// <summary>The worker's host, either dispatch: no default logging, the caller's logger factory and services.</summary>
    private static HostApplicationBuilder WorkerBuilder(Action<IServiceCollection> configureServices, ILoggerFactory? loggerFactory)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        if (loggerFactory is not null) builder.Services.AddSingleton(loggerFactory);
        configureServices(builder.Services);
        return builder;
    }

    private static async Task<AzureStorageBackendService> CreateAzureStorageAsync(DurableBackend backend, ILoggerFactory? loggerFactory, SagaGauge gauge, CancellationToken cancellationToken)
    {
        var settings = new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(backend.AzureStorageConnectionString!),
            TaskHubName = backend.TaskHubName,
            MaxConcurrentTaskOrchestrationWorkItems = backend.MaxConcurrentWorkItems,
            MaxConcurrentTaskActivityWorkItems = backend.MaxConcurrentWorkItems,
            MaxQueuePollingInterval = backend.MaxQueuePollingInterval,
            PartitionCount = backend.PartitionCount,
            ControlQueueBatchSize = backend.ControlQueueBatchSize,
            ControlQueueVisibilityTimeout = backend.QueueVisibilityTimeout,
            WorkItemQueueVisibilityTimeout = backend.QueueVisibilityTimeout,
            // Partition leases in a table (the newer manager): a stopping engine releases them at once, and an engine
            // restarted under the same worker id (the machine name) takes its own leases back without waiting for them
            // to expire.
            UseTablePartitionManagement = true,
            // "Start at most once" (DurableSagaClient passes every status as a dedupe status) then fails exactly as on
            // the in-memory engine (OrchestrationAlreadyExistsException) instead of being dropped with a warning.
            ThrowExceptionOnInvalidDedupeStatus = true,
        };
        if (loggerFactory is not null) settings.LoggerFactory = loggerFactory;

        var service = new AzureStorageBackendService(new AzureStorageOrchestrationService(settings), gauge);
        try
        {
            await service.CreateIfNotExistsAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            service.Dispose();
            // The storage client retries for about half a minute before this: say what to check, not just "refused".
            var cause = (e is AggregateException { InnerExceptions.Count: > 0 } all ? all.InnerExceptions[^1] : e).GetBaseException().Message;
            throw new DurableEngineUnavailableException(
                $"The Durable Task engine could not create or open its task hub '{backend.TaskHubName}' in Azure Storage ({cause}). " +
                "Is the storage account (or Azurite, for UseDevelopmentStorage=true) running and reachable?", e);
        }
        catch
        {
            service.Dispose();
            throw;
        }
        return service;
    }

    private sealed record Started(WebApplication Sidecar, IHost Worker, GrpcChannel Channel, string? SocketPath);

    /// <summary>
    /// A fresh socket address, or null where the OS has no Unix domain sockets. On Linux an abstract one (a leading NUL:
    /// no file, gone with the process, so a killed host leaves nothing behind); elsewhere a file under the temp folder
    /// (short: socket paths are limited to ~100 bytes), removed when the engine stops.
    /// </summary>
    private static string? UnixSocketPath()
    {
        if (!System.Net.Sockets.Socket.OSSupportsUnixDomainSockets) return null;
        if (OperatingSystem.IsLinux()) return $"\0orders-durable-{Guid.NewGuid():N}";
        var path = Path.Combine(Path.GetTempPath(), $"orders-dt-{Guid.NewGuid():N}.sock");
        return path.Length < 100 ? path : null;
    }

    private static async Task<Started> StartOnAsync(
        IOrchestrationService service,
        IOrchestrationServiceClient serviceClient,
        Action<DurableTaskRegistry> registry,
        Action<IServiceCollection> configureServices,
        ILoggerFactory? loggerFactory,
        DurableBackend backend,
        AzureStorageBackendService? azureStorage,
        CancellationToken cancellationToken)
    {
        var sidecarBuilder = WebApplication.CreateSlimBuilder();
        sidecarBuilder.Logging.ClearProviders();
        if (loggerFactory is not null) sidecarBuilder.Services.AddSingleton(loggerFactory);
        // Worker and sidecar talk gRPC over a Unix domain socket where the OS has them (Linux, macOS, Windows 10+):
        // every orchestration turn and activity crosses it twice, and a Unix socket skips the loopback TCP stack.
        var socket = UnixSocketPath();
        sidecarBuilder.WebHost.ConfigureKestrel(k =>
        {
            if (socket is not null) k.Listen(new System.Net.Sockets.UnixDomainSocketEndPoint(socket), listen => listen.Protocols = HttpProtocols.Http2);
            else k.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
        });
        sidecarBuilder.Services.AddGrpc();
        sidecarBuilder.Services.AddSingleton<IOrchestrationService>(service);
        sidecarBuilder.Services.AddSingleton<IOrchestrationServiceClient>(serviceClient);
        sidecarBuilder.Services.AddSingleton<TaskHubGrpcServer>();
        var sidecar = sidecarBuilder.Build();
        sidecar.MapGrpcService<TaskHubGrpcServer>();
        await sidecar.StartAsync(cancellationToken).ConfigureAwait(false);

        var channel = socket is null ? GrpcChannel.ForAddress(sidecar.Urls.First()) : GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                ConnectCallback = async (_, ct) =>
                {
                    var client = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
                    try
                    {
                        await client.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(socket), ct).ConfigureAwait(false);
                        return new System.Net.Sockets.NetworkStream(client, ownsSocket: true);
                    }
                    catch
                    {
                        client.Dispose();
                        throw;
                    }
                },
            },
        });
        var workerBuilder = WorkerBuilder(configureServices, loggerFactory);
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
        return new Started(sidecar, worker, channel, socket);
    }

    public async ValueTask DisposeAsync()
    {
        await _worker.StopAsync().ConfigureAwait(false);
        _worker.Dispose();
        _inMemory?.StopTimers();
        if (_channel is not null)
        {
            await _channel.ShutdownAsync().ConfigureAwait(false);
            _channel.Dispose();
        }
        if (_sidecar is not null)
        {
            await _sidecar.StopAsync().ConfigureAwait(false);
            await _sidecar.DisposeAsync().ConfigureAwait(false);
        }
        if (_socketPath is not null && _socketPath[0] != '\0')
        {
            try { File.Delete(_socketPath); } catch (IOException) { } catch (UnauthorizedAccessException) { } // a temp file: best effort
        }
        if (_azureStorage is not null)
        {
            // The sidecar stops the service from a callback nobody awaits: wait here until it has drained and released
            // its partitions, so a new engine on the same task hub can take them at once.
            await _azureStorage.StopAsync().ConfigureAwait(false);
            _azureStorage.Dispose();
        }
    }
}

/// <summary>How the engine's worker reaches its orchestration service.</summary>
public enum EngineDispatch
{
    /// <summary>
    /// In memory: Durable Task Core's dispatchers run the sagas in this process, straight on the service (decision
    /// 0029). Azure Storage always goes through the sidecar.
    /// </summary>
    Direct,

    /// <summary>The public gRPC sidecar (<c>TaskHubGrpcServer</c>) between the SDK's gRPC worker/client and the service.</summary>
    Sidecar,
}

/// <summary>
/// The engine's backend cannot be reached or opened at start-up (Azure Storage or Azurite down, refused, wrong
/// credentials). The message says what to check; a host reports it as one line, not a stack trace.
/// </summary>
public sealed class DurableEngineUnavailableException : InvalidOperationException
{
    public DurableEngineUnavailableException() { }

    public DurableEngineUnavailableException(string message) : base(message) { }

    public DurableEngineUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}
