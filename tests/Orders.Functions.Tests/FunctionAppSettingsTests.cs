using Orders.Functions.Settings;
using Orders.Functions.Tests.Support;

namespace Orders.Functions.Tests;

/// <summary>Startup reads the settings once and stops with one message naming every problem.</summary>
public sealed class FunctionAppSettingsTests
{
    [Fact]
    public void TheSample_Loads()
    {
        var settings = FunctionAppSettings.Load(Repo.SampleConfiguration());

        Assert.Equal("https://localhost:8081", settings.Cosmos.Endpoint);
        Assert.Null(settings.Cosmos.Key);
        Assert.Equal("orders", settings.Cosmos.OrdersContainer);
        Assert.Equal("order-events", settings.ServiceBus.OrderEventsTopic);
        Assert.Equal(TimeSpan.FromDays(1), settings.IdempotencyRetention);
        Assert.Equal(AuthMode.AppService, settings.Auth);
    }

    [Fact]
    public void MissingSettings_StopStartup_NamingEachAsAnAppSetting()
    {
        var configuration = Repo.SampleConfiguration(new Dictionary<string, string?> { ["CosmosDb:Endpoint"] = null, ["ServiceBus:OrderEventsTopic"] = " " });

        var error = Assert.Throws<FunctionAppSettingsException>(() => FunctionAppSettings.Load(configuration));

        Assert.Equal(2, error.Problems.Count);
        Assert.Contains("CosmosDb__Endpoint is missing.", error.Message, StringComparison.Ordinal);
        Assert.Contains("ServiceBus__OrderEventsTopic is missing.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Orders:Store", "Postgres", "must be Cosmos (production) or Sqlite (local only)")]
    [InlineData("Orders:Domains", "Kafka", "must be ServiceBus (production, the default) or Simulated (local only)")]
    [InlineData("Sagas:PaymentTimeout", "soon", "positive time span")]
    [InlineData("CosmosDb:Endpoint", "localhost:8081", "absolute https URI")]
    [InlineData("ServiceBus:FullyQualifiedNamespace", "not a host!", "is not a host name")]
    [InlineData("Orders:IdempotencyRetention", "-1:00:00", "positive time span")]
    [InlineData("Auth:Mode", "appservice", "must be one of AppService, Development")]
    [InlineData("Orders:ReturnWindow", "-1.00:00:00", "non-negative time span")]
    [InlineData("Orders:UnpaidDeadline", "00:00:00", "positive time span")]
    [InlineData("Orders:Admission:MaxEngineLag", "00:00:00", "positive time span")]
    [InlineData("Orders:Admission:MaxWaiting", "-5", "whole number (0: no count limit)")]
    [InlineData("AzureWebJobsStorage:queueServiceUri", "queues", "absolute URI")]
    public void AnInvalidSetting_StopsStartup_SayingWhatIsExpected(string key, string value, string expected)
    {
        var error = Assert.Throws<FunctionAppSettingsException>(() =>
            FunctionAppSettings.Load(Repo.SampleConfiguration(new Dictionary<string, string?> { [key] = value })));

        Assert.Contains(expected, Assert.Single(error.Problems), StringComparison.Ordinal);
        Assert.Contains(AppSettings.AppSettingName(key), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheEmulatorSettings_AreReadWhenPresent()
    {
        var settings = FunctionAppSettings.Load(Repo.SampleConfiguration(new Dictionary<string, string?>
        {
            [AppSettings.CosmosKey] = "emulator-key",
            [AppSettings.ServiceBusConnectionString] = "Endpoint=sb://localhost;SharedAccessKeyName=k;SharedAccessKey=v;UseDevelopmentEmulator=true;",
        }));

        Assert.Equal("emulator-key", settings.Cosmos.Key);
        Assert.StartsWith("Endpoint=sb://localhost", settings.ServiceBus.ConnectionString, StringComparison.Ordinal);
    }

    [Fact]
    public void DevelopmentAuthentication_IsASettingNotADefault() =>
        Assert.Equal(AuthMode.Development, FunctionAppSettings.Load(Repo.SampleConfiguration(new Dictionary<string, string?> { ["Auth:Mode"] = "Development" })).Auth);

    [Theory]
    [InlineData("WEBSITE_INSTANCE_ID")]
    [InlineData("WEBSITE_SITE_NAME")]
    public void DevelopmentAuthentication_OnAppService_StopsStartup(string platformSetting)
    {
        var error = Assert.Throws<FunctionAppSettingsException>(() => FunctionAppSettings.Load(Repo.SampleConfiguration(new Dictionary<string, string?>
        {
            ["Auth:Mode"] = "Development",
            [platformSetting] = "orders-prod",
        })));

        var problem = Assert.Single(error.Problems);
        Assert.Contains("Auth__Mode is 'Development'", problem, StringComparison.Ordinal);
        Assert.Contains("refuses to start with it in Azure", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSample_OnAppService_Loads_AndSaysSo()
    {
        var settings = FunctionAppSettings.Load(Repo.SampleConfiguration(new Dictionary<string, string?> { ["WEBSITE_INSTANCE_ID"] = "abc123" }));

        Assert.True(settings.InAzure);
        Assert.Equal(StoreKind.Cosmos, settings.Store);
        Assert.Equal(DomainsKind.ServiceBus, settings.Domains);
        Assert.Null(settings.Local);
    }

    private static Dictionary<string, string?> LocalOnly(string dataDirectory) => new()
    {
        ["Orders:Store"] = "Sqlite",
        ["Orders:Domains"] = "Simulated",
        ["Orders:DataDirectory"] = dataDirectory,
        ["AzureFunctionsWebHost:hostid"] = LocalHostId.For(dataDirectory),
        ["Auth:Mode"] = "Development",
        ["WEBSITE_HOSTNAME"] = "localhost:7071",
        // Off Cosmos DB and Service Bus their settings are not needed.
        ["CosmosDb:Endpoint"] = null,
        ["ServiceBus:FullyQualifiedNamespace"] = null,
        ["ServiceBus:OrderEventsTopic"] = null,
    };

    [Fact]
    public void TheLocalOnlyParts_LoadOnADevelopersMachine_WithoutCosmosOrServiceBusSettings()
    {
        var settings = FunctionAppSettings.Load(Repo.SampleConfiguration(LocalOnly("/tmp/orders-local")));

        Assert.False(settings.InAzure);
        Assert.Equal(StoreKind.Sqlite, settings.Store);
        Assert.Equal(DomainsKind.Simulated, settings.Domains);
        Assert.Equal("/tmp/orders-local", settings.Local!.DataDirectory);
        Assert.Equal(new Uri("http://localhost:7071/api/local/integration-events"), settings.Local.AnswerUrl);
    }

    [Fact]
    public void TheLocalOnlyParts_OnAppService_StopStartup_NamingEach()
    {
        var values = LocalOnly("/tmp/orders-local");
        values["WEBSITE_SITE_NAME"] = "orders-prod";

        var error = Assert.Throws<FunctionAppSettingsException>(() => FunctionAppSettings.Load(Repo.SampleConfiguration(values)));

        Assert.Equal(3, error.Problems.Count);
        Assert.Contains(error.Problems, p => p.StartsWith("Orders__Store is 'Sqlite'", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("Orders__Domains is 'Simulated'", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("Auth__Mode is 'Development'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, "AzureFunctionsWebHost__hostid is not set; with the data folder /tmp/orders-local it must be '")]
    [InlineData("vm-301714606", "AzureFunctionsWebHost__hostid is 'vm-301714606'; with the data folder /tmp/orders-local it must be '")]
    public void ALocalRun_WithoutTheHostIdOfItsDataFolder_StopsStartup_NamingTheValue(string? hostId, string expected)
    {
        // The host's default id off Azure (machine name and a hash of the app's folder, "vm-301714606" in CI) is the same
        // for every local app of one build: they would share every timer lock in Azurite, and only one would pump.
        var values = LocalOnly("/tmp/orders-local");
        values["AzureFunctionsWebHost:hostid"] = hostId;

        var error = Assert.Throws<FunctionAppSettingsException>(() => FunctionAppSettings.Load(Repo.SampleConfiguration(values)));

        var problem = Assert.Single(error.Problems);
        Assert.StartsWith(expected + LocalHostId.For("/tmp/orders-local") + "'.", problem, StringComparison.Ordinal);
        Assert.Contains("change-feed pump", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ALocalRun_TakesTheHostIdOfItsDataFolder_WhateverTheSpellingOfThePath()
    {
        var values = LocalOnly("/tmp/orders-local/");
        values["AzureFunctionsWebHost:hostid"] = LocalHostId.For("/tmp/../tmp/orders-local");

        Assert.Equal("/tmp/orders-local/", FunctionAppSettings.Load(Repo.SampleConfiguration(values)).Local!.DataDirectory);
    }

    [Fact]
    public void TheLocalHostId_IsOnePerDataFolder_AndAValidHostId()
    {
        var one = LocalHostId.For("/tmp/orders-a");

        Assert.Equal(one, LocalHostId.For("/tmp/orders-a/"));
        Assert.NotEqual(one, LocalHostId.For("/tmp/orders-b"));
        // What the Functions host accepts: at most 32 characters, lowercase letters, digits and dashes, no dash at either end.
        Assert.Matches("^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$", one);
    }

    [Fact]
    public void TheSqliteStore_WithoutADataDirectory_StopsStartup()
    {
        var values = LocalOnly("x");
        values["Orders:DataDirectory"] = null;

        var error = Assert.Throws<FunctionAppSettingsException>(() => FunctionAppSettings.Load(Repo.SampleConfiguration(values)));

        Assert.Equal("Orders__DataDirectory is missing.", Assert.Single(error.Problems));
    }

    [Fact]
    public void Admission_HasDefaults_ReadsItsLimits_AndFindsTheTaskHubsQueues()
    {
        var defaults = FunctionAppSettings.Load(Repo.SampleConfiguration()).Admission;
        Assert.Equal(new Orders.Application.Admission.EngineBacklogLimits(), defaults.Limits);
        Assert.Equal("OrdersHub", defaults.TaskHub);
        Assert.Equal("UseDevelopmentStorage=true", defaults.StorageConnectionString);
        Assert.Null(defaults.Unmeasurable);

        var set = FunctionAppSettings.Load(Repo.SampleConfiguration(new Dictionary<string, string?>
        {
            [AppSettings.AdmissionMaxEngineLag] = "00:00:03",
            [AppSettings.AdmissionMaxWaiting] = "0",
            [AppSettings.HostStorage] = null,
            [AppSettings.HostStorageAccountName] = "ordersprod",
            [AppSettings.HostStorageClientId] = "00000000-0000-0000-0000-000000000001",
        })).Admission;
        Assert.Equal((TimeSpan.FromSeconds(3), 0L), (set.Limits.MaxEngineLag, set.Limits.MaxWaiting));
        Assert.Equal(("ordersprod", "00000000-0000-0000-0000-000000000001"), (set.StorageAccountName, set.ClientId));
        Assert.Null(set.Unmeasurable);

        var unnamed = FunctionAppSettings.Load(Repo.SampleConfiguration(new Dictionary<string, string?> { [AppSettings.HostStorage] = null })).Admission;
        Assert.Contains("AzureWebJobsStorage", unnamed.Unmeasurable, StringComparison.Ordinal);
    }
}
