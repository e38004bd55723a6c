using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Orders.Application.Telemetry;

namespace Orders.LocalHost;

/// <summary>
/// Optional locally: with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set (e.g. <c>http://127.0.0.1:4317</c>, a collector or
/// Jaeger/Aspire dashboard), the Orders traces and metrics and the HTTP server's spans go there over OTLP; without it,
/// nothing is recorded.
/// </summary>
public static class LocalTelemetry
{
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (string.IsNullOrWhiteSpace(configuration[OtlpEndpointSetting])) return;
        services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddSource(OrdersTelemetry.Name).AddAspNetCoreInstrumentation())
            .WithMetrics(metrics => metrics.AddMeter(OrdersTelemetry.Name))
            .UseOtlpExporter();
    }
}
