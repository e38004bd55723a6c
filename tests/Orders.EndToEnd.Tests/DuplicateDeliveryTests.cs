using System.Net;
using System.Text.Json.Nodes;
using Orders.EndToEnd.Tests.Support;
using Xunit.Abstractions;
using static Orders.EndToEnd.Tests.Support.OrderRequests;

namespace Orders.EndToEnd.Tests;

/// <summary>
/// Duplicate and shuffled delivery of every inbound integration event (issue 12): with the simulators' DuplicateAnswers
/// knob every answer (stock reserved, payment authorised and captured, parcel dispatched and delivered, cash collected,
/// payment reversed) arrives two or three times, the copies shuffled by their own delays. Orders and read models
/// converge to the same end as with single delivery, each fact is recorded once, each effect happens once.
/// </summary>
public sealed class DuplicateDeliveryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string[] PrepaidUntilDelivered = ["order.created", "order.confirmed", "order.paid", "order.shipped", "order.delivered"];
    private static readonly string[] CashOnDeliveryUntilDelivered = ["order.created", "order.confirmed", "order.shipped", "order.cod-collected", "order.delivered"];

    private readonly TempDirectory _data = TempDirectory.Create("orders-e2e-duplicates");
    private LocalHostProcess _host = null!;

    [Fact]
    public async Task EveryAnswerDeliveredTwoOrThreeTimesShuffled_TheOrdersConverge_WithEachFactAndEffectOnce()
    {
        var api = new OrdersClient(_host);
        const string buyer = "buyer-dup";
        var prepaid = await api.CreateOrderAsync(buyer, "dup-prepaid", Simple(buyer, Prepaid, sku: "sku-dup-1"));
        var cod = await api.CreateOrderAsync(buyer, "dup-cod", Simple(buyer, CashOnDelivery, sku: "sku-dup-2"));
        var refunded = await api.CreateOrderAsync(buyer, "dup-refund", Simple(buyer, Prepaid, sku: "sku-dup-3"));

        var delivered = await Eventually.PollAsync(() => Task.WhenAll(new[] { prepaid, cod, refunded }.Select(api.StoreStateAsync)),
            s => s.All(x => x.DeliveredAndPaid), TimeSpan.FromSeconds(45), TimeSpan.FromMilliseconds(200));
        Assert.True(delivered.Reached, string.Join("; ", delivered.Last.Select(s => $"{s.Status} [{s.SagaSummary()}]")) + "\n" + api.Context());

        var total = (await api.DetailAsync(refunded))["pricing"]!["total"]!.DeepClone();
        var refund = await api.SendAsync(HttpMethod.Post, $"/api/orders/{refunded}/refunds", OrdersClient.Buyer(buyer),
            new JsonObject { ["amount"] = total, ["reason"] = "broken" }, ifMatch: delivered.Last[2].ETag, idempotencyKey: "dup-refund-1");
        Assert.True(refund.Status == HttpStatusCode.Accepted, refund.ToString());
        var closed = await Eventually.PollAsync(() => api.StoreStateAsync(refunded), s => s.Status == "CLOSED", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));
        Assert.True(closed.Reached, $"{closed.Last.Status} [{closed.Last.SagaSummary()}]\n{api.Context()}");

        var problems = new List<string>();
        foreach (var (id, expected) in new[]
                 {
                     (prepaid, PrepaidUntilDelivered), (cod, CashOnDeliveryUntilDelivered),
                     (refunded, [.. PrepaidUntilDelivered, "order.refund-requested", "order.refunded", "order.closed"]),
                 })
        {
            var caughtUp = await Consistency.CaughtUpAsync(api, id, buyer, TimeSpan.FromSeconds(15));
            problems.AddRange(Consistency.Problems(caughtUp.Last, expected).Select(p => $"order {id}: {p}"));
            var ledger = await api.LedgerAsync(id);
            foreach (var kind in ledger.GroupBy(e => (string?)e["kind"]).Where(g => g.Count() > 1))
                problems.Add($"order {id}: the simulators' ledger has {kind.Count()} '{kind.Key}' effects");
        }

        // Answers that change the order (captures, cash) pass the inbox: their extra copies are logged as Duplicate; answers
        // a saga waits for reach it every time and are ignored by it after the first (the ledger shows no second effect).
        var duplicates = _host.Lines(": Duplicate").Count;
        output.WriteLine($"answers refused as duplicates by the inbox or the sagas: {duplicates}");
        Assert.True(duplicates >= 3, $"expected the copies to be seen as duplicates, saw {duplicates}:\n{api.Context(80)}");
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n" + api.Context());
    }

    public async Task InitializeAsync() =>
        _host = await LocalHostProcess.StartAsync("duplicates", _data.Path,
        [
            "--Simulators:FailAll:0=DuplicateAnswers", "--Simulators:AnswerDelay=00:00:00.150",
            $"--Jobs:AutoCancelUnpaid:Schedule={JourneyHost.Never}",
            $"--Jobs:DetectStuck:Schedule={JourneyHost.Never}",
            $"--Jobs:Reconcile:Schedule={JourneyHost.Never}",
            $"--Jobs:AutoClose:Schedule={JourneyHost.Never}",
        ]);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }
}
