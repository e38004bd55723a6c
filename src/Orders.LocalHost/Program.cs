using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Orders.Api;
using Orders.Api.Health;
using Orders.Application.Integration;
using Orders.Application.Ports.Outbound;
using Orders.Application.ReadModels;
using Orders.Application.UseCases;
using Orders.Infrastructure.Durable;
using Orders.Infrastructure.Simulators;
using Orders.LocalHost;
using Orders.Orchestrations;

// Orders on a laptop: `dotnet run --project src/Orders.LocalHost`. The same HTTP adapter as the function app, the
// same sagas on the Durable Task engine in process, the same jobs on their cron schedules, the change feed pumped
// into read models and an outbound event file, SQLite under .orders/, and simulators for payments, inventory and
// shipping. See README.md ("Run it locally").
// appsettings.json is read from beside the program, wherever it is started from; .orders/ is under the current folder.
// `import <file>` imports legacy orders into the configured store and exits (ImportCommand); settings as usual.
var (importVerb, settingArgs) = ImportCommand.SplitArguments(args);
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = settingArgs, ContentRootPath = AppContext.BaseDirectory });
LocalSettings settings;
try
{
    settings = LocalSettings.Read(builder.Configuration);
}
catch (InvalidLocalSettingsException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

// Until the host listens, a failure (a data directory that cannot be written, a port that is taken) is reported below
// as one line and exit code 2; the hosting and Kestrel loggers would print the same failure as stack traces first.
var listening = false;
builder.Logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel", level => listening && level >= LogLevel.Warning);
builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", level => level >= LogLevel.Warning && (listening || level < LogLevel.Error));
var data = Path.GetFullPath(settings.DataDirectory);
try
{
    return await RunAsync();
}
catch (Exception e) when (!listening && StartupFailure.Describe(e, data, builder.Configuration["urls"] ?? builder.Configuration["Urls"]) is { } line)
{
    Console.Error.WriteLine(line);
    return 2;
}

async Task<int> RunAsync()
{
StartupFailure.RequireWritableDirectory(data);
await using var stores = await LocalStores.OpenAsync(settings, data);
if (importVerb.Length > 0) return await ImportCommand.RunAsync(importVerb, stores.Store, stores.Description, Console.Out);
// Every save pulses the change signal: the change-feed loop (and the saga-start loop) wake at once instead of at
// their next tick.
var sagaStarts = new SagaStartSignal(new ChangeSignal());
var changes = new ChangeSignal();
IOrderStore store = new SignallingOrderStore(stores.Store, changes, sagaStarts.Changes);
var knobs = new SimulatorKnobs { AnswerDelay = settings.AnswerDelay, Retention = settings.SimulatorRetention };
foreach (var failure in settings.FailAll) knobs.FailAll(failure);
var ledger = new SimulatorLedger { Retention = settings.SimulatorRetention };
using var engineLogs = LoggerFactory.Create(logging => logging
    .AddConfiguration(builder.Configuration.GetSection("Logging"))
    .AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning) // the engine's own hosts: one start-up banner is enough
    .AddSimpleConsole(console => { console.SingleLine = true; console.TimestampFormat = "HH:mm:ss.fff "; }));

// The engine's worker resolves activities from its own container: give it the same store, use cases and ports.
var gauge = new SagaGauge(settings.MaxSagasInFlight);
await using var engine = await InProcessDurableEngine.StartAsync(registry => registry.AddOrderSagas(), services =>
{
    services.AddSingleton<ILoggerFactory>(engineLogs);
    services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
    services.AddSingleton(TimeProvider.System);
    services.AddSingleton(store);
    services.AddSingleton(stores.Inbox);
    services.AddSingleton(stores.StuckOrders);
    services.AddOrdersUseCases();
    services.AddSingleton(settings.Sagas);
    services.AddDurableSagaClient();
    services.AddSingleton<IntegrationEventHandler>();
    services.AddSimulatedDomains(knobs, ledger);
}, backend: settings.Durable(builder.Configuration["Orders:Durable:AzureStorage"], builder.Configuration["Orders:Durable:TaskHub"]), gauge: gauge);
var sagas = engine.Services.GetRequiredService<DurableSagaClient>();

builder.Services.AddSingleton(settings);
builder.Services.AddSingleton(changes);
builder.Services.AddSingleton(sagaStarts);
builder.Services.TryAddSingleton(TimeProvider.System);
builder.Services.AddSingleton(store);
builder.Services.AddSingleton(stores.ChangeLog);
builder.Services.AddSingleton(stores.Inbox);
builder.Services.AddSingleton(stores.Queries);
builder.Services.AddSingleton(stores.ReadModels);
builder.Services.AddSingleton(stores.StuckOrders);
builder.Services.AddSingleton<ISagaScheduler>(sagas);
builder.Services.AddSingleton<ISagaSignals>(sagas);
builder.Services.AddSingleton<ISagaProgressReader>(sagas);
builder.Services.AddSingleton<ISagaRestarter>(sagas);
builder.Services.AddSingleton(sagas);
builder.Services.AddSingleton<ISagaAdmission>(gauge);
builder.Services.AddSingleton(gauge);
builder.Services.AddSingleton(new EngineStats(() => new(gauge.InFlight, gauge.Peak, gauge.Limit, gauge.Refused, engine.OrphanMessagesDropped,
    engine.WorkDone.OrchestrationTurns, engine.WorkDone.ActivitiesRun, GC.GetTotalAllocatedBytes(), gauge.AwaitingStart, gauge.PeakAwaitingStart,
    GC.GetTotalPauseDuration().TotalMilliseconds, [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)])));
builder.Services.AddSingleton(new FinishedSagaPurge(engine.Client, new SagaRetention { Retention = settings.Retention }, TimeProvider.System));
builder.Services.AddSingleton(knobs);
builder.Services.AddSingleton(ledger);
// One handler for answers: the engine's (its activities apply parked answers); the pump and jobs use the same one.
builder.Services.AddSingleton(engine.Services.GetRequiredService<IntegrationEventHandler>());
// The same simulators the engine's activities use: the compensator and the /local endpoints talk to them too.
var simulators = engine.Services.GetRequiredService<SimulatedDomains>();
builder.Services.AddSingleton(simulators);
builder.Services.AddSingleton<IInventoryPort>(simulators);
builder.Services.AddSingleton<IPaymentsPort>(simulators);
builder.Services.AddSingleton<IPromotionsPort>(simulators);
builder.Services.AddSingleton<INotificationPort>(simulators);
builder.Services.AddSingleton(new CommandOptions { DefaultReturnWindow = settings.DefaultReturnWindow, DefaultPaymentWindow = settings.DefaultPaymentWindow });
builder.Services.AddOrdersUseCases();
builder.Services.AddOrdersApi(builder.Configuration);
LocalComposition.AddRelayAndJobs(builder.Services, data, settings.SettleTime);
builder.Services.AddSingleton<JobScheduler>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<JobScheduler>());
builder.Services.AddHostedService<ChangeFeedLoop>();
builder.Services.AddHostedService<SagaStartLoop>();
builder.Services.AddHostedService<StartupRecovery>();
builder.Services.AddOrdersHealthChecks();
LocalTelemetry.Add(builder.Services, builder.Configuration);

var app = builder.Build();
app.Logger.LogInformation("Orders keeps its data in {Stores}; the API is under /api, the OpenAPI document at /api/openapi.yaml", stores.Description);
app.UseOrdersProblems();
// The operations page (static files over the public API): /ops/ serves ops/index.html.
app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = new PhysicalFileProvider(OpsPage.Directory), RequestPath = OpsPage.LocalPath });
app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(OpsPage.Directory), RequestPath = OpsPage.LocalPath });
// Routing after the static files: the catch-all fallback endpoint would otherwise match /ops/ first (the static-file
// middleware serves only requests no endpoint matched).
app.UseRouting();
app.MapOrdersHttpApi();
app.MapLocalEndpoints();
app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = OrdersHealthChecks.WriteAsync });
app.MapOrdersFallback();
await app.StartAsync();
listening = true;
await app.WaitForShutdownAsync();
return 0;
}
