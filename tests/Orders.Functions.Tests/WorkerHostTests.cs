using Orders.Application.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Orders.Api.Endpoints;
using Orders.Application.Ports.Outbound;
using Orders.Functions.Composition;
using Orders.Functions.Durable;
using Orders.Functions.Jobs;
using Orders.Functions.Settings;
using Orders.Functions.Tests.Support;
using Orders.Infrastructure.Cosmos;

namespace Orders.Functions.Tests;

/// <summary>
/// The worker host exactly as Program.cs builds it (the Functions application builder, ASP.NET Core integration, the
/// Durable extension's own registrations and ours), with the sample settings given as the host gives app settings.
/// Built, not started: starting would dial the Functions host's gRPC endpoint, which only Core Tools or Azure provide.
/// </summary>
public sealed class WorkerHostTests
{
    private static string[] SampleArguments(params string[] without) =>
        [.. Repo.SampleValues().Where(p => !without.Contains(p.Key)).Select(p => $"--{p.Key.Replace("__", ":", StringComparison.Ordinal)}={p.Value}")];

    [Fact]
    public async Task TheHostBuilds_AndResolvesWhatTheFunctionsUse()
    {
        using var host = FunctionAppHost.CreateBuilder(SampleArguments()).Build();
        await using var scope = host.Services.CreateAsyncScope();

        var bounded = Assert.IsType<Orders.Application.Ports.Outbound.TimeBoundOrderStore>(scope.ServiceProvider.GetRequiredService<IOrderStore>());
        Assert.IsType<CosmosOrderStore>(bounded.Inner);
        Assert.IsType<InvocationSagaClient>(scope.ServiceProvider.GetRequiredService<ISagaScheduler>());
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<OrderCommandEndpoints>());
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<ChangeFeedPump>());
    }

    [Fact]
    public void AHostWithoutItsSettings_DoesNotBuild_AndSaysWhich()
    {
        var error = Assert.Throws<FunctionAppSettingsException>(() => FunctionAppHost.CreateBuilder(SampleArguments("CosmosDb__Endpoint", "Auth__Mode")));

        Assert.Contains("CosmosDb__Endpoint is missing.", error.Message, StringComparison.Ordinal);
        Assert.Contains("Auth__Mode is missing.", error.Message, StringComparison.Ordinal);
    }
}
