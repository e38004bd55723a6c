using Orders.Application.Admission;
using System.Text;
using Azure.Messaging.ServiceBus;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Moq;
using Orders.Api.Auth;
using Orders.Application.Jobs;
using Orders.Application.Ports.Outbound;
using Orders.Application.ReadModels;
using Orders.Application.Reactions;
using Microsoft.Extensions.Logging.Abstractions;
using Orders.Functions.Composition;
using Orders.Functions.Settings;
using Orders.Infrastructure.InMemory;
using Orders.Infrastructure.Jobs;
using Orders.Infrastructure.ReadModels;
using Orders.Infrastructure.ServiceBus.Gateway;

namespace Orders.Functions.Tests.Support;

/// <summary>
/// The function app's real composition (from local.settings.sample.json) with test doubles where it would reach Azure:
/// the in-memory order store (and change log), read models, inbox and stuck-order log instead of Cosmos DB, and the
/// real Service Bus gateway over a Moq'd sender that records each request (<see cref="Requests"/>); and a fake clock.
/// Saga ports, use cases and the HTTP adapter are the production ones; the Durable client is a Moq'd one handed to
/// each invocation, as the [DurableClient] binding would.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    public TestApp(Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOrdersFunctionApp(Repo.SampleConfiguration());
        services.AddSingleton<IOrderStore>(Store);
        services.AddSingleton<IOrderChangeLog>(Store);
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton<IReadModelStore>(ReadModels);
        services.AddSingleton<IReadModelQueries>(ReadModels);
        services.AddSingleton<IInbox>(new InMemoryInbox());
        services.AddSingleton<IStuckOrderLog>(new InMemoryStuckOrderLog());
        RequestsSender.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .Callback((ServiceBusMessage message, CancellationToken _) => Requests.Add(message))
            .Returns(Task.CompletedTask);
        services.AddSingleton(sp => new ServiceBusGatewayRequests(RequestsSender.Object, sp.GetRequiredService<FunctionAppSettings>().Requests, Clock));
        // Admission as composed, but the task hub's queues are a settable figure (the lane's probe reads the change log).
        services.AddSingleton(sp => new EngineBacklogAdmission(
            new ChangeLogBacklogProbe(Store, OrderReactions.ConsumerOf(ReactionLane.SagaStarts), Clock), TaskHubQueues,
            sp.GetRequiredService<FunctionAppSettings>().Admission.Limits, Clock, NullLogger<EngineBacklogAdmission>.Instance));
        configure?.Invoke(services);
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    public InMemoryOrderStore Store { get; } = new();

    /// <summary>What the task hub's queues hold, as admission's probe reads it.</summary>
    public SettableBacklog TaskHubQueues { get; } = new();

    /// <summary>One measurement of the backlog, as the worker's loop takes it every two seconds.</summary>
    public Task MeasureBacklogAsync() => Services.GetRequiredService<EngineBacklogAdmission>().RefreshAsync();

    public InMemoryReadModelStore ReadModels { get; } = new();

    /// <summary>The Moq'd sender of the requests topic; <see cref="Requests"/> holds what it was asked to send.</summary>
    public Mock<ServiceBusSender> RequestsSender { get; } = new();

    public List<ServiceBusMessage> Requests { get; } = [];

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));

    public IServiceProvider Services => _provider;

    /// <summary>A Durable client that records what is scheduled and raised.</summary>
    public static Mock<DurableTaskClient> DurableClient()
    {
        var client = new Mock<DurableTaskClient>("test-hub");
        client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((TaskName _, object? _, StartOrchestrationOptions? options, CancellationToken _) => options?.InstanceId ?? "generated");
        client.Setup(c => c.GetInstanceAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((OrchestrationMetadata?)null);
        client.Setup(c => c.GetAllInstancesAsync(It.IsAny<OrchestrationQuery?>()))
            .Returns(Pageable.Create((string? _, CancellationToken _) => Task.FromResult(new Microsoft.DurableTask.Page<OrchestrationMetadata>([], null))));
        return client;
    }

    /// <summary>A FunctionContext whose InstanceServices is <paramref name="scope"/>, as the worker gives each invocation.</summary>
    public static FunctionContext Invocation(IServiceProvider scope)
    {
        var context = new Mock<FunctionContext>();
        context.SetupGet(c => c.InstanceServices).Returns(scope);
        context.SetupGet(c => c.InvocationId).Returns("invocation-1");
        context.SetupGet(c => c.CancellationToken).Returns(CancellationToken.None);
        return context.Object;
    }

    /// <summary>An HTTP request as the ASP.NET Core integration hands it over: RequestServices is the invocation's scope.</summary>
    public static HttpRequest Request(IServiceProvider scope, string method, string path, string? body = null, string caller = "buyer-1", string role = "Orders.Buyer")
    {
        var http = new DefaultHttpContext { RequestServices = scope };
        http.Request.Method = method;
        http.Request.Path = path;
        http.Request.Headers[AppServicePrincipalCallerResolver.HeaderName] = AppServicePrincipalCallerResolver.Encode(caller, role);
        if (body is not null)
        {
            http.Request.ContentType = "application/json";
            http.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        }
        http.Response.Body = new MemoryStream();
        return http.Request;
    }

    public static string ResponseBody(HttpRequest request) =>
        Encoding.UTF8.GetString(((MemoryStream)request.HttpContext.Response.Body).ToArray());

    public const string CreateBody = """
        {"buyerId":"buyer-1","type":"Prepaid",
         "items":[{"line":1,"sku":"sku-1","productId":"prod-sku-1","sellerId":"seller-a","title":"Item sku-1",
                   "unitPrice":{"minor":1000,"currency":"USD"},"quantity":2}],
         "shippingFee":{"minor":500,"currency":"USD"},
         "shippingAddress":{"recipient":"Ada Lovelace","line1":"1 Analytical Way","city":"London","postalCode":"N1 1AA","countryCode":"GB"}}
        """;

    /// <summary>Creates an order through the CreateOrder function (as a client would) and returns its id.</summary>
    public async Task<string> CreateOrderAsync(string idempotencyKey, DurableTaskClient? client = null)
    {
        await using var scope = Services.CreateAsyncScope();
        var req = Request(scope.ServiceProvider, "POST", "/api/orders", CreateBody);
        req.Headers["Idempotency-Key"] = idempotencyKey;
        await Orders.Functions.Http.OrderCommandFunctions.CreateOrder(req, client ?? DurableClient().Object);
        if (req.HttpContext.Response.StatusCode != 201) throw new InvalidOperationException($"CreateOrder answered {req.HttpContext.Response.StatusCode}: {ResponseBody(req)}");
        var location = req.HttpContext.Response.Headers.Location.ToString();
        return location[(location.LastIndexOf('/') + 1)..];
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();

    public sealed class SettableBacklog : IEngineBacklogProbe
    {
        public EngineBacklog Now { get; set; } = EngineBacklog.Empty;

        public Task<EngineBacklog> MeasureAsync(CancellationToken cancellationToken = default) => Task.FromResult(Now);
    }
}
