using Orders.Application.Admission;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orders.Api;
using Orders.Api.Endpoints;
using Orders.Application.Integration;
using Orders.Application.Jobs;
using Orders.Application.Outbox;
using Orders.Application.Ports.Outbound;
using Orders.Application.ReadModels;
using Orders.Application.UseCases;
using Orders.Functions.Composition;
using Orders.Functions.Durable;
using Orders.Functions.Jobs;
using Orders.Functions.Tests.Support;
using Orders.Infrastructure.Cosmos;
using Orders.Infrastructure.Cosmos.Inbox;
using Orders.Infrastructure.Cosmos.ReadModels;
using Orders.Infrastructure.ServiceBus;
using Orders.Infrastructure.ServiceBus.Gateway;
using Orders.Orchestrations;

namespace Orders.Functions.Tests;

/// <summary>
/// Program's composition, from local.settings.sample.json, builds and resolves everything the functions use, without
/// connecting anywhere (the Cosmos DB and Service Bus clients connect on first use; nothing here uses them).
/// </summary>
public sealed class CompositionTests : IAsyncLifetime
{
    private ServiceProvider _provider = null!;

    public Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOrdersFunctionApp(Repo.SampleConfiguration());
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _provider.DisposeAsync();

    [Fact]
    public void TheStoreIsCosmosDb_ForOrdersAndTheChangeLog()
    {
        // The port is the Cosmos DB store behind its time bound (a slow store answers 503, decision 0012).
        var bounded = Assert.IsType<Orders.Application.Ports.Outbound.TimeBoundOrderStore>(_provider.GetRequiredService<IOrderStore>());
        Assert.Equal(Orders.Application.Ports.Outbound.TimeBoundOrderStore.DefaultBound, bounded.Bound);
        Assert.IsType<CosmosOrderStore>(bounded.Inner);
        Assert.Same(bounded.Inner, _provider.GetRequiredService<IOrderChangeLog>());
    }

    [Fact]
    public void EventsArePublishedToServiceBus_ByTheOutboxRelay()
    {
        Assert.IsType<ServiceBusEventPublisher>(_provider.GetRequiredService<IEventPublisher>());
        Assert.NotNull(_provider.GetRequiredService<OutboxRelay>());
    }

    [Fact]
    public async Task EveryServiceAFunctionResolves_Resolves()
    {
        await using var scope = _provider.CreateAsyncScope();
        var services = scope.ServiceProvider;

        Assert.NotNull(services.GetRequiredService<OrderCommandEndpoints>());
        Assert.NotNull(services.GetRequiredService<OrderQueryEndpoints>());
        Assert.NotNull(services.GetRequiredService<OrderCommandRunner>());
        Assert.NotNull(services.GetRequiredService<InboundMessageProcessor>());
        Assert.NotNull(services.GetRequiredService<IntegrationEventHandler>());
        Assert.NotNull(services.GetRequiredService<AutoCancelUnpaidOrders>());
        Assert.NotNull(services.GetRequiredService<DetectStuckOrders>());
        Assert.NotNull(services.GetRequiredService<ReconcileOrders>());
        Assert.NotNull(services.GetRequiredService<ChangeFeedPump>());
    }

    [Fact]
    public void ReadModelsAndTheStuckOrderLog_AreInCosmosDb_AndTheInboxToo()
    {
        var readModels = _provider.GetRequiredService<IReadModelStore>();

        Assert.IsType<CosmosReadModelStore>(readModels);
        Assert.Same(readModels, _provider.GetRequiredService<IReadModelQueries>());
        Assert.IsType<CosmosStuckOrderLog>(_provider.GetRequiredService<IStuckOrderLog>());
        Assert.IsType<CosmosInbox>(_provider.GetRequiredService<IInbox>());
    }

    [Fact]
    public void RequestsToOtherDomains_GoToTheRequestsTopic_ThroughOneGateway()
    {
        var gateway = _provider.GetRequiredService<IInventoryPort>();

        Assert.IsType<ServiceBusGatewayRequests>(gateway);
        Assert.Same(gateway, _provider.GetRequiredService<IPaymentsPort>());
        Assert.Same(gateway, _provider.GetRequiredService<IShippingPort>());
        Assert.Same(gateway, _provider.GetRequiredService<IPromotionsPort>());
        Assert.Same(gateway, _provider.GetRequiredService<INotificationPort>());
        Assert.Equal("order-requests", _provider.GetRequiredKeyedService<ServiceBusSender>(FunctionAppServices.RequestsSender).EntityPath);
        Assert.Equal("order-events", _provider.GetRequiredService<ServiceBusSender>().EntityPath);
    }

    [Fact]
    public void TheRequestsTopic_DefaultsToOrderRequests_WhenTheSettingIsAbsent()
    {
        var settings = new ServiceCollection().AddOrdersFunctionApp(Repo.SampleConfiguration(new Dictionary<string, string?> { ["ServiceBus:RequestsTopic"] = null }));

        Assert.Equal("order-requests", settings.Requests.RequestsTopic);
        Assert.Equal("read-models", settings.ReadModelsContainer);
    }

    [Fact]
    public async Task EveryActivityClass_CanBeBuiltFromAnInvocationsServices()
    {
        await using var scope = _provider.CreateAsyncScope();
        var activities = TaskTypes.Deriving(typeof(Microsoft.DurableTask.TaskActivity<,>)).ToList();
        // Every activity the engine registers is found here (none hidden behind a base class of its own).
        Assert.Equal(new Microsoft.DurableTask.DurableTaskRegistry().AddOrderSagas().GetActivities().Count(), activities.Count);

        Assert.All(activities, type => Assert.NotNull(ActivatorUtilities.GetServiceOrCreateInstance(scope.ServiceProvider, type)));
    }

    [Fact]
    public async Task TheSagaPorts_AreOnePerInvocation_OverItsDurableClient()
    {
        await using var first = _provider.CreateAsyncScope();
        await using var second = _provider.CreateAsyncScope();

        var scheduler = first.ServiceProvider.GetRequiredService<ISagaScheduler>();

        Assert.IsType<InvocationSagaClient>(scheduler);
        Assert.Same(scheduler, first.ServiceProvider.GetRequiredService<ISagaSignals>());
        Assert.Same(scheduler, first.ServiceProvider.GetRequiredService<ISagaProgressReader>());
        Assert.NotSame(scheduler, second.ServiceProvider.GetRequiredService<ISagaScheduler>());
    }

    [Fact]
    public void TheApiTrustsAppServiceAuthentication_AndNotTheDevelopmentHeader()
    {
        var options = _provider.GetRequiredService<IOptions<OrdersApiOptions>>().Value;

        Assert.True(options.TrustAppServicePrincipal);
        Assert.False(options.DevelopmentAuthentication);
    }

    [Fact]
    public void TheApiBodyLimits_ComeFromTheOrdersApiSection_AsOnTheLocalHost()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddOrdersFunctionApp(Repo.SampleConfiguration(new Dictionary<string, string?>
        {
            ["OrdersApi:MaxBodyBytes"] = "1234",
            ["OrdersApi:DevelopmentAuthentication"] = "true", // not the section's to decide: the Auth mode's
        }));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<OrdersApiOptions>>().Value;

        Assert.Equal(1234, options.MaxBodyBytes);
        Assert.False(options.DevelopmentAuthentication);
    }

    [Fact]
    public void TheDefaultTermsOfNewOrders_ComeFromTheSettings()
    {
        var options = _provider.GetRequiredService<CommandOptions>();
        Assert.Equal((TimeSpan.FromDays(14), TimeSpan.FromMinutes(30)), (options.DefaultReturnWindow, options.DefaultPaymentWindow));
    }

    [Fact]
    public void TheIdempotencyRetention_ComesFromTheSettings() =>
        Assert.Equal(TimeSpan.FromDays(1), _provider.GetRequiredService<CommandOptions>().IdempotencyRetention);

    [Fact]
    public void BadSettings_StopTheComposition() =>
        Assert.Throws<Settings.FunctionAppSettingsException>(() =>
            new ServiceCollection().AddOrdersFunctionApp(Repo.SampleConfiguration(new Dictionary<string, string?> { ["Orders:Store"] = null })));

    [Fact]
    public void CreatesAreAdmittedAgainstTheEnginesBacklog_MeasuredWhileTheWorkerRuns()
    {
        var admission = Assert.IsType<EngineBacklogAdmission>(_provider.GetRequiredService<ISagaAdmission>());
        Assert.Same(admission, _provider.GetRequiredService<EngineBacklogAdmission>());
        Assert.Contains(_provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>(), s => s is EngineBacklogMonitor);
        // Nothing measured yet: admitted, and the health report says so.
        admission.EnsureRoom();
        Assert.Equal(AdmissionState.Unmeasured, admission.Report().State);
    }

    [Fact]
    public void TheTaskHubsPartitionCount_IsReadFromHostJson()
    {
        Assert.Equal(4, EngineBacklogMonitor.PartitionCount(Repo.HostJson));
        var folder = Directory.CreateTempSubdirectory();
        try
        {
            var file = Path.Combine(folder.FullName, "host.json");
            File.WriteAllText(file, """{ "version": "2.0", "extensions": { "durableTask": { "storageProvider": { "partitionCount": 2 } } } }""");
            Assert.Equal(2, EngineBacklogMonitor.PartitionCount(file));
            File.WriteAllText(file, """{ "version": "2.0" }""");
            Assert.Equal(4, EngineBacklogMonitor.PartitionCount(file)); // the backend's default
            Assert.Equal(4, EngineBacklogMonitor.PartitionCount(Path.Combine(folder.FullName, "missing.json")));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
