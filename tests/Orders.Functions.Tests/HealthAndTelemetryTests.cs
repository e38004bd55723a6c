using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using OpenTelemetry.Trace;
using Orders.Functions.Composition;
using Orders.Functions.Http;
using Orders.Functions.Tests.Support;

namespace Orders.Functions.Tests;

/// <summary>GET /api/health (store, engine, relay lag) and the choice of telemetry exporter from the app settings.</summary>
public sealed class HealthAndTelemetryTests : IAsyncLifetime
{
    private readonly TestApp _app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<(int Status, JsonElement Body)> HealthAsync(Mock<DurableTaskClient> client)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var result = Assert.IsType<JsonResult>(await HealthFunction.GetHealth(TestApp.Request(scope.ServiceProvider, "GET", "/api/health"), client.Object));
        return (result.StatusCode!.Value, JsonSerializer.SerializeToElement(result.Value));
    }

    private static string Check(JsonElement body, string name) => body.GetProperty("checks").GetProperty(name).GetProperty("status").GetString()!;

    [Fact]
    public async Task WithEverythingAnswering_TheAppIsHealthy_AndTheEngineWasAsked()
    {
        var client = TestApp.DurableClient();
        await _app.MeasureBacklogAsync();

        var (status, body) = await HealthAsync(client);

        Assert.Equal(200, status);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal(("Healthy", "Healthy", "Healthy", "Healthy"), (Check(body, "store"), Check(body, "engine"), Check(body, "relay-lag"), Check(body, "admission")));
        client.Verify(c => c.GetInstanceAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()), Times.AtLeastOnce);
    }

    [Fact]
    public async Task AnEngineThatDoesNotAnswer_Is503_NamingTheEngine_WithoutAStackTraceOrItsOwnWords()
    {
        var client = TestApp.DurableClient();
        client.Setup(c => c.GetInstanceAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new TimeoutException("task hub unreachable"));

        var (status, body) = await HealthAsync(client);

        Assert.Equal(503, status);
        Assert.Equal(("Unhealthy", "Healthy"), (Check(body, "engine"), Check(body, "store")));
        var description = body.GetProperty("checks").GetProperty("engine").GetProperty("description").GetString()!;
        // Anyone may read /api/health: the fault's own text (hosts, ports, driver messages) goes to the log only.
        Assert.Equal("The saga engine does not answer.", description);
    }

    [Fact]
    public async Task AnEngineBehind_RefusesCreatesWith503AndRetryAfter_WritesNothing_AndHealthSaysWhy()
    {
        await _app.CreateOrderAsync("key-before");
        _app.TaskHubQueues.Now = new Orders.Application.Ports.Outbound.EngineBacklog(40, TimeSpan.FromSeconds(45));
        await _app.MeasureBacklogAsync();

        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var request = TestApp.Request(scope.ServiceProvider, "POST", "/api/orders", TestApp.CreateBody);
            request.Headers["Idempotency-Key"] = "key-refused";
            await OrderCommandFunctions.CreateOrder(request, TestApp.DurableClient().Object);

            Assert.Equal(503, request.HttpContext.Response.StatusCode);
            Assert.Equal("5", request.HttpContext.Response.Headers.RetryAfter.ToString());
            var problem = JsonDocument.Parse(TestApp.ResponseBody(request)).RootElement;
            Assert.Equal("server.sagas-saturated", problem.GetProperty("code").GetString());
            Assert.Contains("waited 45.0 s", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        Assert.Single(await _app.Store.FindByStatusAsync([Orders.Domain.ValueObjects.OrderStatus.Created], 100));

        var (status, body) = await HealthAsync(TestApp.DurableClient());
        Assert.Equal(200, status);
        Assert.Equal(("Degraded", "Degraded"), (body.GetProperty("status").GetString(), Check(body, "admission")));

        // The engine caught up: admitted again.
        _app.TaskHubQueues.Now = Orders.Application.Ports.Outbound.EngineBacklog.Empty;
        var lane = await _app.Store.ReadAsync(Orders.Application.Reactions.OrderReactions.ConsumerOf(Orders.Application.Reactions.ReactionLane.SagaStarts), 100);
        await _app.Store.CommitAsync(Orders.Application.Reactions.OrderReactions.ConsumerOf(Orders.Application.Reactions.ReactionLane.SagaStarts), lane.Checkpoint);
        await _app.MeasureBacklogAsync();
        await _app.CreateOrderAsync("key-after");
    }

    [Fact]
    public async Task EventsWaitingLongerThanTheTolerance_MakeTheRelayDegraded_Still200()
    {
        await _app.CreateOrderAsync("key-health");
        _app.Clock.Advance(TimeSpan.FromMinutes(10)); // the relay has not run: the order's first event waits

        var (status, body) = await HealthAsync(TestApp.DurableClient());

        Assert.Equal(200, status);
        Assert.Equal(("Degraded", "Degraded"), (body.GetProperty("status").GetString(), Check(body, "relay-lag")));
    }

    [Theory]
    [InlineData("InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://127.0.0.1:9/", null, "azure-monitor")]
    [InlineData(null, "http://127.0.0.1:4317", "otlp")]
    [InlineData(null, null, "none")]
    public void TheExporter_FollowsTheSettings(string? connectionString, string? otlp, string expected)
    {
        var configuration = Settings(connectionString, otlp);
        Assert.Equal(expected, FunctionAppTelemetry.ExporterFor(configuration));

        var services = new ServiceCollection();
        services.AddLogging();
        FunctionAppTelemetry.Add(services, configuration);
        using var provider = services.BuildServiceProvider();
        Assert.Equal(expected != "none", provider.GetService<TracerProvider>() is not null);
    }

    [Theory]
    [InlineData("ClientId=1234;Authorization=AAD", "1234")]
    [InlineData("Authorization=AAD; ClientId = abc ", "abc")]
    [InlineData("ClientId=1234", null)]
    [InlineData(null, null)]
    public void TheManagedIdentity_IsTheOneTheAuthenticationStringNames(string? authentication, string? expected) =>
        Assert.Equal(expected, FunctionAppTelemetry.ManagedIdentityClientId(authentication));

    private static IConfiguration Settings(string? connectionString, string? otlp) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [FunctionAppTelemetry.ConnectionStringSetting] = connectionString,
            [FunctionAppTelemetry.OtlpEndpointSetting] = otlp,
        }).Build();
}
