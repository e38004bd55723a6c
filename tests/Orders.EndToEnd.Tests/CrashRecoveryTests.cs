using System.Diagnostics;
using System.Text.Json.Nodes;
using Orders.EndToEnd.Tests.Support;
using Xunit.Abstractions;
using static Orders.EndToEnd.Tests.Support.OrderRequests;

namespace Orders.EndToEnd.Tests;

/// <summary>
/// SIGKILL in the middle of running sagas, then a restart on the same data directory: the start-up recovery must
/// bring every order to where it was going (DELIVERED), the read models must hold every fact exactly once, the
/// outbound events file every fact at least once and nothing else, and the reconcile job must find nothing left.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Buyer = "buyer-crash";
    private static readonly TimeSpan KillDeadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RecoveryDeadline = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan CatchUpDeadline = TimeSpan.FromSeconds(10);

    private static readonly string[] PrepaidUntilDelivered = ["order.created", "order.confirmed", "order.paid", "order.shipped", "order.delivered"];
    private static readonly string[] CashOnDeliveryUntilDelivered = ["order.created", "order.confirmed", "order.shipped", "order.cod-collected", "order.delivered"];

    private readonly TempDirectory _data = TempDirectory.Create("orders-e2e-crash");
    private readonly List<LocalHostProcess> _hosts = [];

    private sealed record PlacedOrder(string Id, string Type);

    [Fact]
    public async Task Killed_during_checkout_every_order_is_delivered_after_the_restart_and_no_event_is_lost_or_duplicated()
    {
        // Ten orders at once, the first cash on delivery; the kill comes when a cash-on-delivery order is CONFIRMED
        // (fulfillment waiting for the carrier) while the others are still CREATED (checkout waiting for stock or
        // payment): one answer (1 s) after the creates, one answer before a prepaid order could be confirmed.
        var plan = Enumerable.Range(1, 10).Select(i => (Key: $"checkout-{i}", Type: i % 3 == 1 ? CashOnDelivery : Prepaid)).ToArray();
        await CrashAndRecoverAsync(plan, TimeSpan.Zero, "CREATED and CONFIRMED",
            states => states.Any(s => s.Status == "CREATED") && states.Any(s => s.Status == "CONFIRMED"));
    }

    [Fact]
    public async Task Killed_while_orders_are_created_confirmed_and_paid_every_order_is_delivered_after_the_restart_and_no_event_is_lost_or_duplicated()
    {
        // Ten orders 400 ms apart: by the time the first is PAID the last are still CREATED; the kill comes when the
        // orders are spread over CREATED, CONFIRMED and PAID (and whatever else they reached by then).
        var plan = Enumerable.Range(1, 10).Select(i => (Key: $"stages-{i}", Type: i % 3 == 0 ? CashOnDelivery : Prepaid)).ToArray();
        await CrashAndRecoverAsync(plan, TimeSpan.FromMilliseconds(400), "CREATED, CONFIRMED and PAID",
            states => states.Any(s => s.Status == "CREATED") && states.Any(s => s.Status == "CONFIRMED") && states.Any(s => s.Status == "PAID"));
    }

    [Fact]
    public async Task Killed_while_parcels_are_in_transit_every_order_is_delivered_after_the_restart_and_no_event_is_lost_or_duplicated()
    {
        // Cash-on-delivery orders at once (no payment step, so nothing waits on a payment answer): the kill comes when
        // parcels are SHIPPED, the fulfillment saga waiting for the carrier's delivery.
        var plan = Enumerable.Range(1, 5).Select(i => (Key: $"transit-{i}", Type: CashOnDelivery)).ToArray();
        await CrashAndRecoverAsync(plan, TimeSpan.Zero, "SHIPPED", states => states.Any(s => s.Status == "SHIPPED"));
    }

    private async Task CrashAndRecoverAsync((string Key, string Type)[] plan, TimeSpan gap, string stages, Func<StoreState[], bool> killWhen)
    {
        // ---- before the crash: slow simulators (1 s per answer), so the sagas are mid-flight for seconds ----
        var first = await StartAsync("host-before-crash", ["--Simulators:AnswerDelay=00:00:01"]);
        var api = new OrdersClient(first);
        var orders = new List<PlacedOrder>();
        var sinceFirstCreate = Stopwatch.StartNew();
        foreach (var (key, type) in plan)
        {
            if (orders.Count > 0 && gap > TimeSpan.Zero) await Task.Delay(gap);
            orders.Add(new PlacedOrder(await api.CreateOrderAsync(Buyer, key, Simple(Buyer, type, sku: "sku-" + key)), type));
        }
        var sinceLastCreate = Stopwatch.StartNew();

        var beforeKill = await Eventually.PollAsync(() => StoreStatesAsync(api, orders), killWhen, KillDeadline, TimeSpan.FromMilliseconds(50));
        await first.KillAsync();
        var killedAfter = sinceLastCreate.Elapsed;
        Assert.True(first.HasExited, "the host survived SIGKILL");
        Assert.True(beforeKill.Reached,
            $"the orders were never spread over {stages} within {KillDeadline.TotalSeconds:0}s, so the crash could not be staged: " +
            $"{Describe(orders, beforeKill.Last)}\n{api.Context()}");
        var atKill = orders.Zip(beforeKill.Last).ToDictionary(p => p.First.Id, p => p.Second);
        var publishedBefore = PublishedEventsFile.Read(_data.Path);
        output.WriteLine($"SIGKILL {sinceFirstCreate.Elapsed.TotalSeconds:0.00}s after the first create, {killedAfter.TotalSeconds:0.00}s after the last; just before it: {Describe(orders, beforeKill.Last)}");
        output.WriteLine($"published-events.jsonl at the kill: {publishedBefore.Events.Count} events, {publishedBefore.CorruptLines.Count} corrupt lines");

        // ---- restart on the same data directory: fast simulators, reconcile with no settle time ----
        var second = await StartAsync("host-after-restart", ["--Simulators:AnswerDelay=00:00:00.100", "--Jobs:SettleTime=00:00:00"]);
        api = new OrdersClient(second);
        var problems = new List<string>();

        // 1. Every order reaches DELIVERED (a terminal status other than that ends the wait for that order).
        var recovered = await Eventually.PollAsync(() => StoreStatesAsync(api, orders),
            states => states.All(s => s.DeliveredAndPaid || s.Status is "CLOSED" or "CANCELLED" or "SPLIT"), RecoveryDeadline);
        output.WriteLine($"after the restart ({recovered.Elapsed.TotalSeconds:0.0}s of polling): {Describe(orders, recovered.Last)}");
        foreach (var recovery in second.Lines("recovery").Concat(second.Lines("Reconcile"))) output.WriteLine("  host: " + recovery);

        // 2. The read models and the relay catch up, and agree with the store and with each other, for every order.
        foreach (var order in orders)
        {
            var caughtUp = await Consistency.CaughtUpAsync(api, order.Id, Buyer, CatchUpDeadline);
            var evidence = caughtUp.Last;
            var delivered = evidence.Store.Status == "DELIVERED";
            if (!delivered)
                problems.Add($"order {order.Id} ({order.Type}) is {evidence.Store.Status}, not DELIVERED, {RecoveryDeadline.TotalSeconds:0}s after the restart " +
                    $"(at the kill: {atKill[order.Id].Status}, sagas {atKill[order.Id].SagaSummary()}): {evidence.Describe()}");
            var expected = !delivered ? null : order.Type == Prepaid ? PrepaidUntilDelivered : CashOnDeliveryUntilDelivered;
            problems.AddRange(Consistency.Problems(evidence, expected).Select(p =>
                $"order {order.Id} ({order.Type}, {atKill[order.Id].Status} at the kill{(caughtUp.Reached ? "" : ", read models still behind")}): {p}"));
        }

        // 3. The events file: only whole events of these orders; duplicates (at-least-once across the crash) are counted.
        var published = PublishedEventsFile.Read(_data.Path);
        problems.AddRange(published.CorruptLines.Select(l => $"published-events.jsonl has a line that is not an event: {l}"));
        var known = orders.Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(published.Events.Where(e => !known.Contains(e.OrderId)).Select(e => $"published event {e.Id} (line {e.Line}) is of no order placed here"));
        var duplicates = published.Events.GroupBy(e => e.Id).Where(g => g.Count() > 1).ToArray();
        output.WriteLine($"published-events.jsonl: {published.Events.Count} events, {published.Events.Select(e => e.Id).Distinct().Count()} distinct; " +
            $"{duplicates.Length} published more than once ({duplicates.Sum(g => g.Count() - 1)} extra copies)" +
            (duplicates.Length == 0 ? "" : ": " + string.Join(", ", duplicates.Select(g => $"{g.Key}×{g.Count()}"))));

        // 4. Reconcile finds nothing to repair and nothing to report.
        var report = await api.RunJobAsync("Reconcile");
        output.WriteLine("reconcile: " + report.ToJsonString());
        if ((bool?)report["nothingToRepair"] != true) problems.Add($"reconcile did not report nothingToRepair: {report.ToJsonString()}");
        if (report["repaired"] is not JsonArray { Count: 0 }) problems.Add($"reconcile repaired something: {report["repaired"]?.ToJsonString()}");
        if (report["reported"] is not JsonArray { Count: 0 }) problems.Add($"reconcile reported something left for a person: {report["reported"]?.ToJsonString()}");

        Assert.True(problems.Count == 0,
            $"{problems.Count} problem(s) after SIGKILL with the orders in {stages} and a restart:\n  - " + string.Join("\n  - ", problems) +
            $"\n--- host before the crash (pid {first.ProcessId}), last lines ---\n{first.Tail(25)}\n{api.Context(60)}");
    }

    private async Task<LocalHostProcess> StartAsync(string name, string[] settings)
    {
        // No job on its own schedule: the start-up recovery is the only repair, and the reconcile the test runs sees what is left.
        var host = await LocalHostProcess.StartAsync(name, _data.Path,
        [
            .. settings,
            $"--Jobs:AutoCancelUnpaid:Schedule={JourneyHost.Never}",
            $"--Jobs:DetectStuck:Schedule={JourneyHost.Never}",
            $"--Jobs:Reconcile:Schedule={JourneyHost.Never}",
            $"--Jobs:AutoClose:Schedule={JourneyHost.Never}",
        ]);
        _hosts.Add(host);
        return host;
    }

    private static async Task<StoreState[]> StoreStatesAsync(OrdersClient api, IEnumerable<PlacedOrder> orders) =>
        await Task.WhenAll(orders.Select(o => api.StoreStateAsync(o.Id)));

    private static string Describe(IEnumerable<PlacedOrder> orders, IEnumerable<StoreState> states) =>
        string.Join("; ", orders.Zip(states).Select(p => $"{p.First.Id[^6..]} {p.First.Type} {p.Second.Status} [{p.Second.SagaSummary()}]"));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts) await host.DisposeAsync();
        _data.Dispose();
    }
}
