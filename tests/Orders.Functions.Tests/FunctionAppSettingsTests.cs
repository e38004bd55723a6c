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
    [InlineData("Orders:Store", "Sqlite", "only serves the Cosmos DB store")]
    [InlineData("CosmosDb:Endpoint", "localhost:8081", "absolute https URI")]
    [InlineData("ServiceBus:FullyQualifiedNamespace", "not a host!", "is not a host name")]
    [InlineData("Orders:IdempotencyRetention", "-1:00:00", "positive time span")]
    [InlineData("Auth:Mode", "appservice", "must be one of AppService, Development")]
    [InlineData("Orders:ReturnWindow", "-1.00:00:00", "non-negative time span")]
    [InlineData("Orders:UnpaidDeadline", "00:00:00", "positive time span")]
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
}
