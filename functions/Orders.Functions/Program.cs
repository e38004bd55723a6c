using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Orders.Functions.Composition;
using Orders.Functions.Settings;

// The Orders function app: .NET isolated worker with ASP.NET Core integration. The functions are thin: each calls
// the shared code it fronts (HTTP routes, sagas, jobs, the change feed, inbound integration events); everything they
// resolve is registered by FunctionAppServices from the app settings (README.md lists them).
FunctionsApplicationBuilder builder;
try
{
    builder = FunctionAppHost.CreateBuilder(args);
}
catch (FunctionAppSettingsException e)
{
    // Stop before serving anything; the host shows the worker's standard error in its log.
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}

await builder.Build().RunAsync();
return 0;
