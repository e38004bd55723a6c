using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Hosting;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Orders.Infrastructure.Durable.Direct;

/// <summary>
/// A <c>Microsoft.DurableTask</c> worker that runs the registered orchestrators and activities on Durable Task Core's
/// own dispatchers (<see cref="TaskHubWorker"/>) in this process, with no gRPC sidecar between them and the
/// orchestration service (decision 0029).
/// <para>
/// The orchestrators are the same classes the gRPC worker runs, wrapped by the SDK's public
/// <see cref="DurableTaskShimFactory"/> into Core's <see cref="TaskOrchestration"/>/<see cref="TaskActivity"/> — the
/// same shims the gRPC worker hands to Core's executor after it has decoded a work item from protobuf. What the sidecar
/// adds and this skips: for every orchestration turn and every activity, encoding the instance's history to protobuf,
/// an HTTP/2 round trip, decoding it again, and the same for the answer. Failures are propagated as failure details
/// (<see cref="ErrorPropagationMode.UseFailureDetails"/>), as the gRPC worker does, so an activity's exception reaches
/// the saga as a <see cref="TaskFailedException"/> with the same details.
/// </para>
/// </summary>
internal sealed class DirectDurableTaskWorker : DurableTaskWorker
{
    private readonly IOrchestrationService _service;
    private readonly IServiceProvider _services;
    private readonly ILoggerFactory _loggerFactory;
    private readonly DurableTaskShimFactory _shims;

    public DirectDurableTaskWorker(string name, IDurableTaskFactory factory, IOptionsMonitor<DurableTaskWorkerOptions> options,
        IServiceProvider services, DirectEngineService engine, ILoggerFactory? loggerFactory = null)
        : base(name, factory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(engine);
        _service = engine.Service;
        _services = services ?? throw new ArgumentNullException(nameof(services));
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _shims = new DurableTaskShimFactory(options.Get(name), _loggerFactory);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var worker = new TaskHubWorker(_service, new Orchestrations(Factory, _shims, _services), new Activities(Factory, _shims, _services), _loggerFactory)
        {
            ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails,
        };
        await worker.StartAsync().ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
        finally
        {
            // Not forced: the dispatchers finish the work items they hold (Core waits for them) before the service stops.
            await worker.StopAsync(isForced: false).ConfigureAwait(false);
            worker.Dispose();
        }
    }

    /// <summary>Orchestrators by name, resolved from the worker's registry and wrapped in the SDK's shim each time Core asks.</summary>
    private sealed class Orchestrations(IDurableTaskFactory factory, DurableTaskShimFactory shims, IServiceProvider services) : INameVersionObjectManager<TaskOrchestration>
    {
        public void Add(ObjectCreator<TaskOrchestration> creator) =>
            throw new NotSupportedException("Orchestrators are registered with the worker's DurableTaskRegistry, not added to Core's object manager.");

        public TaskOrchestration? GetObject(string name, string? version)
        {
            var task = new TaskName(name);
            // Null makes Core fail the instance with a TypeMissingException naming the orchestrator, as the gRPC worker does.
            return factory.TryCreateOrchestrator(task, services, out var orchestrator) ? shims.CreateOrchestration(task, orchestrator) : null;
        }
    }

    /// <summary>Activities by name: each run gets its own service scope, disposed when it ends (as in the gRPC worker).</summary>
    private sealed class Activities(IDurableTaskFactory factory, DurableTaskShimFactory shims, IServiceProvider services) : INameVersionObjectManager<TaskActivity>
    {
        public void Add(ObjectCreator<TaskActivity> creator) =>
            throw new NotSupportedException("Activities are registered with the worker's DurableTaskRegistry, not added to Core's object manager.");

        public TaskActivity? GetObject(string name, string? version)
        {
            var task = new TaskName(name);
            var scope = services.CreateAsyncScope();
            if (!factory.TryCreateActivity(task, scope.ServiceProvider, out var activity))
            {
                scope.Dispose();
                return null;
            }
            return new ScopedActivity(shims.CreateActivity(task, activity), scope);
        }
    }

    /// <summary>Runs one activity through its shim, then disposes the scope it was created in.</summary>
    private sealed class ScopedActivity(TaskActivity shim, AsyncServiceScope scope) : TaskActivity
    {
        public override async Task<string> RunAsync(TaskContext context, string input)
        {
            try
            {
                return await shim.RunAsync(context, input).ConfigureAwait(false);
            }
            finally
            {
                await scope.DisposeAsync().ConfigureAwait(false);
            }
        }

        // Core's activity dispatcher only calls RunAsync; the synchronous form runs the same path.
        public override string Run(TaskContext context, string input) => RunAsync(context, input).GetAwaiter().GetResult();
    }
}

/// <summary>The orchestration service the direct worker dispatches from (one per engine), as a service the worker resolves.</summary>
internal sealed record DirectEngineService(IOrchestrationService Service);
