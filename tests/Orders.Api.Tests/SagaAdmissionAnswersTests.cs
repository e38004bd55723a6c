using Orders.Api.Tests.Support;
using Orders.Application.Ports.Outbound;
using Orders.Domain.ValueObjects;

namespace Orders.Api.Tests;

/// <summary>Backpressure: while the saga engine is full, a create answers 503 with Retry-After and changes nothing.</summary>
public sealed class SagaAdmissionAnswersTests : IAsyncLifetime
{
    private const string Buyer = "buyer:buyer-1";
    private readonly Switch _admission = new();
    private ApiHost _host = null!;

    public async Task InitializeAsync() => _host = await ApiHost.StartAsync(admission: _admission);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ACreateWhileTheSagasAreSaturated_Answers503WithRetryAfter_AndNothingIsStoredOrStarted()
    {
        _admission.Full = true;

        var reply = await _host.Api.SendAsync(HttpMethod.Post, "/api/orders", Buyer, Bodies.CreateOrder(), "key-1");

        ProblemAssert.Is(503, "server.sagas-saturated", reply);
        Assert.Equal("2", reply.Header("Retry-After"));
        Assert.Empty(_host.Sagas.Starts);
        Assert.Empty(await _host.Store.FindByStatusAsync(Enum.GetValues<OrderStatus>(), 10));
    }

    [Fact]
    public async Task TheSameCreate_SucceedsOnceThereIsRoom()
    {
        _admission.Full = true;
        await _host.Api.SendAsync(HttpMethod.Post, "/api/orders", Buyer, Bodies.CreateOrder(), "key-1");
        _admission.Full = false;

        var reply = await _host.Api.SendAsync(HttpMethod.Post, "/api/orders", Buyer, Bodies.CreateOrder(), "key-1");

        Assert.Equal(201, reply.Status);
        Assert.Single(await _host.Store.FindByStatusAsync([OrderStatus.Created], 10));
    }

    [Fact]
    public async Task ARetryOfACreateThatWasMade_ReplaysIts201_WhileNewCreatesAreRefused()
    {
        // The client lost the 201 and retries exactly when the system is loaded: the order exists, so it gets its answer.
        var first = await _host.Api.SendAsync(HttpMethod.Post, "/api/orders", Buyer, Bodies.CreateOrder(), "key-1");
        _admission.Full = true;

        var retry = await _host.Api.SendAsync(HttpMethod.Post, "/api/orders", Buyer, Bodies.CreateOrder(), "key-1");
        var fresh = await _host.Api.SendAsync(HttpMethod.Post, "/api/orders", Buyer, Bodies.CreateOrder(), "key-2");

        Assert.Equal(201, first.Status);
        Assert.Equal(201, retry.Status);
        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
        Assert.Equal(first.Header("Location"), retry.Header("Location"));
        ProblemAssert.Is(503, "server.sagas-saturated", fresh);
        Assert.Single(await _host.Store.FindByStatusAsync([OrderStatus.Created], 10));
    }

    [Fact]
    public async Task ANewCreate_IsCountedAsAwaitingItsSaga_AndAReplayedOneIsNot()
    {
        var first = await _host.Api.SendAsync(HttpMethod.Post, "/api/orders", Buyer, Bodies.CreateOrder(), "key-1");
        var replay = await _host.Api.SendAsync(HttpMethod.Post, "/api/orders", Buyer, Bodies.CreateOrder(), "key-1");

        Assert.Equal(201, first.Status);
        Assert.Equal(201, replay.Status);
        var created = Assert.Single(await _host.Store.FindByStatusAsync([OrderStatus.Created], 10));
        Assert.Equal([created.OrderId], _admission.Accepted);
    }

    private sealed class Switch : ISagaAdmission
    {
        public bool Full { get; set; }

        public List<OrderId> Accepted { get; } = [];

        void ISagaAdmission.Accepted(OrderId orderId) => Accepted.Add(orderId);

        public void EnsureRoom()
        {
            if (Full) throw new SagasSaturatedException(inFlight: 7, limit: 7, retryAfter: TimeSpan.FromSeconds(2));
        }
    }
}
