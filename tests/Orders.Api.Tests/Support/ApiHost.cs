using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orders.Application.Ports.Outbound;
using Orders.Application.ReadModels;
using Orders.Infrastructure.InMemory;

namespace Orders.Api.Tests.Support;

/// <summary>
/// A minimal host as the local host will be: a WebApplication on the test server mapping OrdersHttpApi.Routes,
/// over the in-memory store, a recording saga scheduler and a hand-projected read model, with development
/// authentication on. Its client checks every response against the OpenAPI document.
/// </summary>
public sealed class ApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ApiHost(WebApplication app, InMemoryOrderStore store, FakeSagaScheduler sagas, InMemoryReadModel readModel, FixedClock clock, ContractCheckingHandler checker)
    {
        _app = app;
        Store = store;
        Sagas = sagas;
        ReadModel = readModel;
        Clock = clock;
        Checker = checker;
        Client = new HttpClient(checker) { BaseAddress = app.GetTestServer().BaseAddress };
        Api = new ApiClient(Client);
    }

    public InMemoryOrderStore Store { get; }

    /// <summary>The stuck-order log the resolutions and the stuck list read (flag orders here to act on them).</summary>
    public static Orders.Infrastructure.Jobs.InMemoryStuckOrderLog StuckOrders { get; } = new();
    public FakeSagaScheduler Sagas { get; }
    public InMemoryReadModel ReadModel { get; }
    public FixedClock Clock { get; }

    /// <summary>
    /// What the read-model projection has not applied yet, as the dashboard's asOf reads it: none by default (the
    /// in-memory read model is projected by the tests themselves, <see cref="InMemoryReadModel.ProjectAsync"/>).
    /// </summary>
    public PendingProjection ReadModelBacklog { get; private init; } = null!;
    public ContractCheckingHandler Checker { get; }
    public HttpClient Client { get; }
    public ApiClient Api { get; }
    public IServiceProvider Services => _app.Services;

    /// <summary>A client without the contract check: for requests outside the document (unknown paths and methods).</summary>
    public HttpClient RawClient => _raw ??= new HttpClient(_app.GetTestServer().CreateHandler()) { BaseAddress = _app.GetTestServer().BaseAddress };

    private HttpClient? _raw;

    /// <param name="configure">API options.</param>
    /// <param name="decorate">Wraps the store the API uses (the in-memory one stays <see cref="Store"/>), e.g. to inject faults.</param>
    public static async Task<ApiHost> StartAsync(Action<OrdersApiOptions>? configure = null, Func<IOrderStore, IOrderStore>? decorate = null,
        ISagaAdmission? admission = null)
    {
        var store = new InMemoryOrderStore();
        var sagas = new FakeSagaScheduler();
        var readModel = new InMemoryReadModel(store);
        var clock = new FixedClock();

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddRouting();
        builder.Services.AddSingleton(decorate?.Invoke(store) ?? store);
        builder.Services.AddSingleton<ISagaScheduler>(sagas);
        if (admission is not null) builder.Services.AddSingleton(admission);
        builder.Services.AddSingleton<ISagaRestarter>(sagas);
        builder.Services.AddSingleton<ISagaProgressReader>(sagas);
        builder.Services.AddSingleton<Orders.Application.Jobs.IStuckOrderLog>(StuckOrders);
        builder.Services.AddSingleton<IInbox>(new Orders.Infrastructure.InMemory.InMemoryInbox());
        builder.Services.AddSingleton<IReadModelQueries>(readModel);
        var backlog = new PendingProjection();
        builder.Services.AddSingleton(new ReadModelPosition(backlog));
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddOrdersUseCases();
        builder.Services.AddOrdersApi(options =>
        {
            options.DevelopmentAuthentication = true;
            options.TrustAppServicePrincipal = true;
            configure?.Invoke(options);
        });

        var app = builder.Build();
        app.UseOrdersProblems();
        app.MapOrdersHttpApi();
        app.MapOrdersFallback();
        await app.StartAsync();
        var checker = new ContractCheckingHandler(await OrdersContract.Instance) { InnerHandler = app.GetTestServer().CreateHandler() };
        return new ApiHost(app, store, sagas, readModel, clock, checker) { ReadModelBacklog = backlog };
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        _raw?.Dispose();
        await _app.DisposeAsync();
    }
}
