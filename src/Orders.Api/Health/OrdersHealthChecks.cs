using Orders.Application.Admission;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Orders.Application.Jobs;
using Orders.Application.Ports.Outbound;
using Orders.Domain.ValueObjects;

namespace Orders.Api.Health;

/// <summary>
/// The health of the parts an order needs, the same on both hosts (served at <c>/health</c> by the local host and at
/// <c>/api/health</c> by the function app): <c>store</c> (a read of the order store), <c>engine</c> (a status query to
/// the Durable engine) and <c>relay-lag</c> (how long the oldest unpublished event has waited: degraded past
/// <see cref="RelayLagTolerance"/>); the function app adds <c>admission</c> (degraded while creates are refused for the
/// saga engine's backlog). Unhealthy answers 503, degraded and healthy 200; the body is JSON.
/// </summary>
public static partial class OrdersHealthChecks
{
    public static readonly TimeSpan RelayLagTolerance = TimeSpan.FromMinutes(5);

    /// <summary>The order the checks read (whether it exists does not matter: a missing order is an answer too).</summary>
    private static readonly OrderId Probe = OrderId.From("health-probe");

    public static IHealthChecksBuilder AddOrdersHealthChecks(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddHealthChecks()
            .AddCheck<StoreCheck>("store")
            .AddCheck<EngineCheck>("engine")
            .AddCheck<RelayLagCheck>("relay-lag");
    }

    /// <summary>
    /// Runs the three checks with services of the caller's own scope (the function app's: its saga ports need the
    /// invocation's Durable client, which a health-check service's private scope would not have), and a fourth,
    /// <c>admission</c>, where the admission can say whether it admits creates (the function app's, decision 0040).
    /// </summary>
    public static async Task<HealthReport> RunAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var checks = new List<(string Name, IHealthCheck Check)>
        {
            ("store", new StoreCheck(services.GetRequiredService<IOrderStore>())),
            ("engine", new EngineCheck(services)),
            ("relay-lag", new RelayLagCheck(services.GetRequiredService<IRelayMonitor>(), services.GetService<TimeProvider>() ?? TimeProvider.System)),
        };
        if (services.GetService<ISagaAdmission>() is IAdmissionReport admission) checks.Add(("admission", new AdmissionCheck(admission)));
        ILogger? logger = null;
        var started = TimeProvider.System.GetTimestamp();
        var entries = new Dictionary<string, HealthReportEntry>(StringComparer.Ordinal);
        foreach (var (name, check) in checks)
        {
            var at = TimeProvider.System.GetTimestamp();
            var result = await check.CheckHealthAsync(new HealthCheckContext { Registration = new HealthCheckRegistration(name, check, null, null) }, cancellationToken)
                .ConfigureAwait(false);
            entries[name] = new HealthReportEntry(result.Status, result.Description, TimeProvider.System.GetElapsedTime(at), result.Exception, result.Data);
            // The answer names the kind of fault only (it may be read by anyone); the fault itself goes to the log.
            if (result.Exception is { } fault) LogCheckFailed(logger ??= Logger(services), name, result.Status, fault);
        }
        return new HealthReport(entries, TimeProvider.System.GetElapsedTime(started));
    }

    public static async Task WriteAsync(HttpContext http, HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(report);
        http.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(http.Response.Body, Body(report), cancellationToken: http.RequestAborted).ConfigureAwait(false);
    }

    public static int StatusCodeOf(HealthReport report) =>
        (report ?? throw new ArgumentNullException(nameof(report))).Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;

    private static ILogger Logger(IServiceProvider services) =>
        services.GetService<ILoggerFactory>()?.CreateLogger(typeof(OrdersHealthChecks).FullName!) ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health check {Check} is {Status}")]
    private static partial void LogCheckFailed(ILogger logger, string check, HealthStatus status, Exception exception);

    /// <summary>The JSON body: overall status and, per check, its status and a sentence (never a stack trace, nor a dependency's own words).</summary>
    public static object Body(HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
    }

    private sealed class StoreCheck(IOrderStore store) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await store.LoadAsync(Probe, cancellationToken).ConfigureAwait(false);
                return HealthCheckResult.Healthy("The order store answers.");
            }
#pragma warning disable CA1031 // any failure is the answer
            catch (Exception e)
#pragma warning restore CA1031
            {
                return HealthCheckResult.Unhealthy(e is StoreUnavailableException store ? $"The order store does not answer: {store.PublicReason}." : "The order store does not answer.", e);
            }
        }
    }

    private sealed class EngineCheck(IServiceProvider services) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var sagas = services.GetRequiredService<ISagaProgressReader>();
                await sagas.GetProgressAsync(Probe, cancellationToken).ConfigureAwait(false);
                return HealthCheckResult.Healthy("The saga engine answers.");
            }
#pragma warning disable CA1031 // any failure is the answer
            catch (Exception e)
#pragma warning restore CA1031
            {
                return HealthCheckResult.Unhealthy("The saga engine does not answer.", e);
            }
        }
    }

    /// <summary>Degraded while creates are refused for the engine's backlog, or while that backlog cannot be measured.</summary>
    private sealed class AdmissionCheck(IAdmissionReport admission) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var report = admission.Report();
            return Task.FromResult(report.State == AdmissionState.Open ? HealthCheckResult.Healthy(report.Description) : HealthCheckResult.Degraded(report.Description));
        }
    }

    private sealed class RelayLagCheck(IRelayMonitor relay, TimeProvider time) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var lag = await relay.GetLagAsync(cancellationToken).ConfigureAwait(false);
                if (lag.OldestPendingAt is not { } oldest) return HealthCheckResult.Healthy("Every event is published.");
                var waited = time.GetUtcNow() - oldest;
                var text = $"{lag.Pending}{(lag.AtLeast ? "+" : "")} events wait; the oldest for {waited.TotalSeconds:0} s.";
                return waited > RelayLagTolerance ? HealthCheckResult.Degraded(text) : HealthCheckResult.Healthy(text);
            }
#pragma warning disable CA1031 // any failure is the answer
            catch (Exception e)
#pragma warning restore CA1031
            {
                return HealthCheckResult.Unhealthy(e is StoreUnavailableException store ? $"The relay's position cannot be read: {store.PublicReason}." : "The relay's position cannot be read.", e);
            }
        }
    }
}
