using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

namespace Orders.Functions.Composition;

/// <summary>
/// The worker host Program.cs runs: the Functions application builder with ASP.NET Core integration and everything
/// <see cref="FunctionAppServices"/> registers. A separate method so that a test can build it exactly as Program does.
/// </summary>
public static class FunctionAppHost
{
    /// <summary>The builder, configured; throws <see cref="Settings.FunctionAppSettingsException"/> for bad settings.</summary>
    public static FunctionsApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();
        builder.Services.AddOrdersFunctionApp(builder.Configuration);
        FunctionAppTelemetry.Add(builder.Services, builder.Configuration);
        return builder;
    }
}
