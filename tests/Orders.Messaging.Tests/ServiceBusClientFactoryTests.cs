using Azure.Core;
using Azure.Messaging.ServiceBus;
using Orders.Infrastructure.ServiceBus;

namespace Orders.Messaging.Tests;

public sealed class ServiceBusClientFactoryTests
{
    [Theory]
    [InlineData("orders-prod.servicebus.windows.net", "orders-prod.servicebus.windows.net")]
    [InlineData(" orders-prod.servicebus.windows.net ", "orders-prod.servicebus.windows.net")]
    [InlineData("sb://orders-prod.servicebus.windows.net/", "orders-prod.servicebus.windows.net")]
    [InlineData("https://orders-prod.servicebus.windows.net:443/", "orders-prod.servicebus.windows.net")]
    [InlineData("localhost", "localhost")]
    public void TheNamespace_IsReducedToItsHost(string configured, string host) =>
        Assert.Equal(host, ServiceBusClientFactory.NamespaceHost(configured));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not a host")]
    public void AMissingOrBrokenNamespace_IsAClearConfigurationError(string? configured)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ServiceBusClientFactory.NamespaceHost(configured));
        Assert.Contains("ServiceBus:FullyQualifiedNamespace", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAConnectionString_TheClientSignsInWithATokenCredential()
    {
        var credential = new NeverCalledCredential();

        await using var client = ServiceBusClientFactory.Create(new ServiceBusOptions { FullyQualifiedNamespace = "orders-prod.servicebus.windows.net" }, credential);

        Assert.Equal("orders-prod.servicebus.windows.net", client.FullyQualifiedNamespace);
        Assert.Equal("orders", client.Identifier);
        Assert.Equal(ServiceBusTransportType.AmqpTcp, client.TransportType);
        Assert.Equal(0, credential.Calls); // nothing is fetched until the first operation
    }

    [Fact]
    public async Task AConnectionString_IsForTheLocalEmulator_AndWins()
    {
        var options = new ServiceBusOptions
        {
            FullyQualifiedNamespace = "orders-prod.servicebus.windows.net",
            ConnectionString = "Endpoint=sb://localhost;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;",
            UseWebSockets = true,
        };

        await using var client = ServiceBusClientFactory.Create(options);

        Assert.Equal("localhost", client.FullyQualifiedNamespace);
        Assert.Equal(ServiceBusTransportType.AmqpWebSockets, client.TransportType);
    }

    [Fact]
    public async Task TheOrderEventsSender_TargetsTheConfiguredTopic()
    {
        var options = new ServiceBusOptions { FullyQualifiedNamespace = "orders-prod.servicebus.windows.net", OrderEventsTopic = "order-events-dev" };
        await using var client = ServiceBusClientFactory.Create(options, new NeverCalledCredential());

        await using var sender = ServiceBusClientFactory.CreateOrderEventsSender(client, options);

        Assert.Equal("order-events-dev", sender.EntityPath);
    }

    [Fact]
    public void TheDefaults_AreTheSettingsOfLocalSettingsSample()
    {
        var options = new ServiceBusOptions();

        Assert.Equal("order-events", options.OrderEventsTopic);
        Assert.Equal("order-integration-events", options.InboundTopic);
        Assert.Equal("orders", options.InboundSubscription);
        Assert.Equal("/orders", options.EventSource);
        Assert.Equal("ServiceBus", ServiceBusOptions.SectionName);
    }

    private sealed class NeverCalledCredential : TokenCredential
    {
        public int Calls { get; private set; }

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Calls++;
            throw new InvalidOperationException("No token in unit tests.");
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Calls++;
            throw new InvalidOperationException("No token in unit tests.");
        }
    }
}
