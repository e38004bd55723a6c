using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Orders.Application.Telemetry;

namespace Orders.Functions.Composition;

/// <summary>
/// OpenTelemetry in the worker: the Functions worker's defaults (each invocation's span continues the host's trace),
/// the Orders activity source and meter (<see cref="OrdersTelemetry"/>), exported to Application Insights when
/// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set (as Bicep provisions it), signed in with the app's managed
/// identity when <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> says <c>Authorization=AAD</c> (the component
/// accepts only Entra ID tokens), else over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (a local collector),
/// else nowhere (nothing is recorded: no listener, no cost).
/// </summary>
public static class FunctionAppTelemetry
{
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string AuthenticationSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Which exporter the settings choose: "azure-monitor", "otlp" or "none".</summary>
    public static string ExporterFor(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!string.IsNullOrWhiteSpace(configuration[ConnectionStringSetting])) return "azure-monitor";
        return string.IsNullOrWhiteSpace(configuration[OtlpEndpointSetting]) ? "none" : "otlp";
    }

    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        var exporter = ExporterFor(configuration);
        if (exporter == "none") return;
        var otel = services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithTracing(tracing => tracing.AddSource(OrdersTelemetry.Name))
            .WithMetrics(metrics => metrics.AddMeter(OrdersTelemetry.Name));
        if (exporter == "otlp")
        {
            otel.UseOtlpExporter();
            return;
        }
        var clientId = ManagedIdentityClientId(configuration[AuthenticationSetting]);
        otel.UseAzureMonitorExporter(options =>
        {
            options.ConnectionString = configuration[ConnectionStringSetting];
            if (clientId is not null) options.Credential = new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
        });
    }

    /// <summary>The client id in <c>ClientId=…;Authorization=AAD</c>; null when the string does not ask for Entra ID.</summary>
    public static string? ManagedIdentityClientId(string? authentication)
    {
        if (string.IsNullOrWhiteSpace(authentication)) return null;
        var parts = authentication.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        return parts.TryGetValue("Authorization", out var mode) && string.Equals(mode, "AAD", StringComparison.OrdinalIgnoreCase)
            && parts.TryGetValue("ClientId", out var id) && !string.IsNullOrWhiteSpace(id) ? id : null;
    }
}
