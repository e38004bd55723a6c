using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Orders.EndToEnd.Tests.Support;
using Orders.FunctionHost.Tests.Support;
using Xunit.Abstractions;
using static Orders.EndToEnd.Tests.Support.OrderRequests;

namespace Orders.FunctionHost.Tests;

/// <summary>
/// The order journeys of the local host's end-to-end suite, over real HTTP against the function app under a real
/// Azure Functions host: HTTP triggers, the sagas as orchestrator and activity functions on Durable's Azure Storage
/// backend (Azurite), the read models and the relay driven by the change-feed pump's timer, the simulated domains
/// answering through the app's local-only function. The tests only do what a buyer or an operator does.
/// </summary>
public sealed class FunctionAppJourneyTests(FunctionAppHostFixture fixture, ITestOutputHelper output) : IClassFixture<FunctionAppHostFixture>
{
    private static readonly TimeSpan JourneyDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CatchUpDeadline = TimeSpan.FromSeconds(30);

    private static readonly string[] PrepaidUntilDelivered = ["order.created", "order.confirmed", "order.paid", "order.shipped", "order.delivered"];
    private static readonly string[] CashOnDeliveryUntilDelivered = ["order.created", "order.confirmed", "order.shipped", "order.cod-collected", "order.delivered"];

    private OrdersClient Api => fixture.Api;

    [FunctionHostFact]
    public async Task Prepaid_order_is_delivered_by_the_sagas_and_an_operator_closes_it_once_the_return_window_is_over()
    {
        const string buyer = "buyer-close";
        var id = await Api.CreateOrderAsync(buyer, "close-1", Simple(buyer, Prepaid, returnWindowDays: 0));

        var delivered = await StoreReachesAsync(id, "DELIVERED");
        var close = await Api.SendAsync(HttpMethod.Post, $"/api/orders/{id}/close", OrdersClient.Operator, ifMatch: delivered.ETag, idempotencyKey: "close-1");
        Assert.True(close.Status == HttpStatusCode.OK, $"{close}\n{Api.Context()}");
        Assert.Equal("CLOSED", (string?)close.Json["status"]);
        Assert.Equal(delivered.Version + 1, (long?)close.Json["version"]);
        Assert.Equal($"\"{delivered.Version + 1}\"", close.ETag);

        var order = await SettledAsync(id, buyer, "CLOSED", [.. PrepaidUntilDelivered, "order.closed"]);
        var total = order.Detail["pricing"]!["total"]!;
        Assert.True(JsonNode.DeepEquals(Money(2995), total), $"total {total}");
        Assert.True(JsonNode.DeepEquals(total, order.Detail["payment"]?["amount"]), $"payment {order.Detail["payment"]} for total {total}");
        Assert.Equal(false, (bool?)order.Detail["payment"]?["collectedOnDelivery"]);
        var ledger = await Api.LedgerAsync(id);
        var capture = Assert.Single(ledger, e => (string?)e["kind"] == "capture");
        Assert.Equal(2995, (long?)capture["minor"]);
        await SellerListsShowAsync(order);
    }

    [FunctionHostFact]
    public async Task Cash_on_delivery_order_is_delivered_with_the_cash_collected_at_the_door()
    {
        const string buyer = "buyer-cod";
        var id = await Api.CreateOrderAsync(buyer, "cod-1", Simple(buyer, CashOnDelivery));

        await StoreReachesAsync(id, "DELIVERED");
        var order = await SettledAsync(id, buyer, "DELIVERED", CashOnDeliveryUntilDelivered);
        var payment = order.Detail["payment"];
        Assert.True(payment is JsonObject, $"no payment recorded: {order.Describe()}");
        Assert.Equal(true, (bool?)payment!["collectedOnDelivery"]);
        Assert.True(JsonNode.DeepEquals(order.Detail["pricing"]!["total"], payment["amount"]), $"cash {payment["amount"]} for total {order.Detail["pricing"]!["total"]}");
        var ledger = await Api.LedgerAsync(id);
        var cash = Assert.Single(ledger, e => (string?)e["kind"] == "cash");
        Assert.Equal(2995, (long?)cash["minor"]);
        Assert.Equal((string?)payment["paymentId"], (string?)cash["reference"]);
        Assert.DoesNotContain(ledger, e => (string?)e["kind"] is "authorization" or "capture");
        await SellerListsShowAsync(order);
    }

    [FunctionHostFact]
    public async Task Refund_in_full_after_delivery_reverses_the_payment_and_the_refund_saga_closes_the_order()
    {
        const string buyer = "buyer-refund";
        var id = await Api.CreateOrderAsync(buyer, "refund-order-1", Simple(buyer, Prepaid)); // the default 14-day return window

        var delivered = await StoreReachesAsync(id, "DELIVERED");
        var total = (await Api.DetailAsync(id))["pricing"]!["total"]!.DeepClone();
        var request = new JsonObject { ["amount"] = total.DeepClone(), ["reason"] = "arrived broken" };
        var refund = await Api.SendAsync(HttpMethod.Post, $"/api/orders/{id}/refunds", OrdersClient.Buyer(buyer), request,
            ifMatch: delivered.ETag, idempotencyKey: "refund-1");
        Assert.True(refund.Status == HttpStatusCode.Accepted, $"{refund}\n{Api.Context()}");
        var refundId = refund.Header("Refund-Id");
        Assert.False(string.IsNullOrEmpty(refundId), $"no Refund-Id header: {refund}");
        Assert.Equal($"/api/orders/{id}", refund.Header("Location"));

        await StoreReachesAsync(id, "CLOSED");
        var order = await SettledAsync(id, buyer, "CLOSED",
            [.. PrepaidUntilDelivered, "order.refund-requested", "order.refunded", "order.closed"]);
        Assert.True(JsonNode.DeepEquals(total, order.Detail["amountRefunded"]), $"amountRefunded {order.Detail["amountRefunded"]}, total {total}");
        var refunds = order.Detail["refunds"]!.AsArray();
        var only = Assert.Single(refunds);
        Assert.Equal(refundId, (string?)only!["refundId"]);
        Assert.Equal(true, (bool?)only["isCompleted"]);
        Assert.True(JsonNode.DeepEquals(total, only["amount"]), $"refund {only}");
        var ledger = await Api.LedgerAsync(id);
        var reversal = Assert.Single(ledger, e => (string?)e["kind"] == "reversal");
        Assert.Equal(refundId, (string?)reversal["reference"]);
        Assert.Equal((long?)total["minor"], (long?)reversal["minor"]);
    }

    [FunctionHostFact]
    public async Task Buyer_cancels_an_order_whose_payment_never_answers_and_the_stock_reservation_is_released()
    {
        const string buyer = "buyer-cancel";
        // The SKU marker makes the payments simulator stay silent for this order; the knob says the same by order id.
        var id = await Api.CreateOrderAsync(buyer, "cancel-1", Simple(buyer, Prepaid, sku: "sim-silent-payment-1"));
        await Api.FailAsync(id, "SilentPayment");

        var reserved = await Eventually.PollAsync(() => Api.LedgerAsync(id), l => l.Any(e => (string?)e["kind"] == "reservation"), JourneyDeadline);
        Assert.True(reserved.Reached, $"no stock was reserved for {id}: ledger {Show(reserved.Last)}\n{Api.Context()}");
        var reservation = (string?)reserved.Last.First(e => (string?)e["kind"] == "reservation")["reference"];
        var held = await Api.StoreStateAsync(id);
        Assert.True(held.Status == "CREATED", $"the payment should be held, so the order stays CREATED: {held.Json}");

        var cancel = await Api.SendAsync(HttpMethod.Post, $"/api/orders/{id}/cancel", OrdersClient.Buyer(buyer),
            new JsonObject { ["reason"] = "changed my mind" }, ifMatch: held.ETag, idempotencyKey: "cancel-1");
        Assert.True(cancel.Status == HttpStatusCode.OK, $"{cancel}\n{Api.Context()}");
        Assert.Equal("CANCELLED", (string?)cancel.Json["status"]);
        Assert.Equal(held.Version + 1, (long?)cancel.Json["version"]);

        // What the order holds is given back: the reservation is released (a release names the reservation, or "(any)"
        // when the order never recorded one: it was still CREATED), and the checkout saga ends (its payment wait times
        // out after Sagas:PaymentTimeout and it gives back what it holds with its own keys, decision 0041).
        var stopwatch = Stopwatch.StartNew();
        var released = await Eventually.PollAsync(() => Api.LedgerAsync(id), l => Releases(l, reservation).Any(), JourneyDeadline);
        Assert.True(released.Reached, $"reservation {reservation} of the cancelled order {id} was not released: ledger {Show(released.Last)}\n{Api.Context()}");
        var releasedAfter = stopwatch.Elapsed;
        var ended = await Eventually.PollAsync(() => Api.StoreStateAsync(id),
            s => s.SagaSummary().Length > 0 && !s.SagaSummary().Contains("=Running", StringComparison.Ordinal), FunctionAppHostFixture.PaymentTimeout + JourneyDeadline);
        Assert.True(ended.Reached, $"the checkout saga of the cancelled order {id} is still running: {ended.Last.SagaSummary()}\n{Api.Context()}");
        output.WriteLine($"Cancelled order {id}: reservation {reservation} released {releasedAfter.TotalSeconds:0.0}s after the cancel; " +
            $"checkout saga ended {stopwatch.Elapsed.TotalSeconds:0.0}s after it (Sagas:PaymentTimeout={FunctionAppHostFixture.PaymentTimeout.TotalSeconds:0}s): {ended.Last.SagaSummary()}");
        var ledger = await Api.LedgerAsync(id);
        // One request per key: the cancellation's and the checkout's own (see the local host's journey test).
        Assert.True(ledger.Count(e => (string?)e["kind"] == "release") is 1 or 2, $"the stock should be released by the cancellation and at most once more by the checkout: {Show(ledger)}");
        Assert.True(ledger.Count(e => (string?)e["kind"] == "void") <= 2, $"the payment should be voided at most once by each: {Show(ledger)}");
        Assert.DoesNotContain(ledger, e => (string?)e["kind"] is "authorization" or "capture");
        Assert.Equal("CANCELLED", ended.Last.Status);

        await SettledAsync(id, buyer, "CANCELLED", ["order.created", "order.cancelled"]);
    }

    [FunctionHostFact]
    public async Task Two_seller_order_is_split_into_one_order_per_seller_whose_totals_sum_to_the_parent_and_each_child_is_delivered()
    {
        const string buyer = "buyer-split";
        var body = Create(buyer, Prepaid, [Item(1, "sku-tea", "seller-a", 1250, 2), Item(2, "sku-cup", "seller-b", 800, 1, "Cup")]);
        var parent = await Api.CreateOrderAsync(buyer, "split-1", body);

        // The checkout saga splits a multi-seller order into one order per seller and starts a checkout for each.
        var split = await StoreReachesAsync(parent, "SPLIT");
        Assert.Equal(2, split.Version);
        // The split endpoint on the split order is a replay: the same children, no new fact.
        var again = await Api.SendAsync(HttpMethod.Post, $"/api/orders/{parent}/split", OrdersClient.Buyer(buyer), ifMatch: split.ETag, idempotencyKey: "split-1");
        Assert.True(again.Status == HttpStatusCode.OK, $"{again}\n{Api.Context()}");
        Assert.Equal("SPLIT", (string?)again.Json["status"]);
        Assert.Equal(split.Version, (long?)again.Json["version"]);
        var children = again.Json["childOrderIds"]!.AsArray().Select(c => (string)c!).ToArray();
        Assert.Equal([$"{parent}-s1", $"{parent}-s2"], children);

        var parentOrder = await SettledAsync(parent, buyer, "SPLIT", ["order.created", "order.split"]);
        var parentTotal = parentOrder.Detail["pricing"]!["total"]!;
        Assert.True(JsonNode.DeepEquals(Money(2 * 1250 + 800 + 495), parentTotal), $"parent total {parentTotal}");
        var splitInto = parentOrder.Detail["splitInto"]!.AsArray().Select(c => c!.AsObject()).ToArray();
        Assert.Equal(children, splitInto.Select(c => (string?)c["orderId"]));
        Assert.Equal(["seller-a", "seller-b"], splitInto.Select(c => (string?)c["sellerId"]));
        Assert.True(splitInto.All(c => (string?)c["total"]!["currency"] == "EUR"), $"splitInto {parentOrder.Detail["splitInto"]}");
        Assert.Equal((long?)parentTotal["minor"], splitInto.Sum(c => (long?)c["total"]!["minor"]));

        foreach (var (child, summary) in children.Zip(splitInto))
        {
            var detail = await Api.DetailAsync(child);
            Assert.Equal(parent, (string?)detail["splitFrom"]);
            Assert.Equal(buyer, (string?)detail["buyerId"]);
            Assert.Equal(Prepaid, (string?)detail["type"]);
            Assert.True(detail["items"]!.AsArray().All(i => (string?)i!["sellerId"] == (string?)summary["sellerId"]), $"child {child} items {detail["items"]}");
            Assert.True(JsonNode.DeepEquals(summary["total"], detail["pricing"]!["total"]), $"child {child} total {detail["pricing"]!["total"]}, split summary {summary}");
        }

        // Each child goes through its own checkout and fulfillment, with nobody's help (no reconcile run).
        foreach (var child in children)
        {
            await StoreReachesAsync(child, "DELIVERED");
            var order = await SettledAsync(child, buyer, "DELIVERED", PrepaidUntilDelivered);
            Assert.True(JsonNode.DeepEquals(order.Detail["pricing"]!["total"], order.Detail["payment"]?["amount"]), $"child {child} payment {order.Detail["payment"]}");
            await SellerListsShowAsync(order);
        }

        // The parent never takes money and holds no stock.
        var parentLedger = await Eventually.PollAsync(() => Api.LedgerAsync(parent), AllReservationsReleased, JourneyDeadline);
        Assert.True(parentLedger.Reached, $"the split parent {parent} still holds stock: {Show(parentLedger.Last)}\n{Api.Context()}");
        Assert.DoesNotContain(parentLedger.Last, e => (string?)e["kind"] is "authorization" or "capture");
    }

    [FunctionHostFact]
    public async Task Lost_parcel_is_escalated_by_the_fulfillment_saga_and_flagged_by_the_detect_stuck_timer()
    {
        const string buyer = "buyer-lost";
        // The SKU marker makes the simulated carrier report the parcel lost after dispatch.
        var id = await Api.CreateOrderAsync(buyer, "lost-1", Simple(buyer, Prepaid, sku: "sim-lose-parcel-1"));

        var shipped = await StoreReachesAsync(id, "SHIPPED");
        var ended = await Eventually.PollAsync(() => Api.StoreStateAsync(id),
            s => s.SagaSummary().Contains("FulfillmentSaga=Completed", StringComparison.Ordinal), JourneyDeadline);
        Assert.True(ended.Reached, $"the fulfillment saga of {id} did not end after the parcel was lost: {ended.Last.SagaSummary()}\n{Api.Context()}");
        Assert.Equal("SHIPPED", ended.Last.Status);

        // The detect-stuck timer function, run now through the host's admin API (its schedule is never).
        await fixture.App!.RunFunctionAsync("DetectStuckOrders");
        var flagged = await Eventually.PollAsync(() => Task.FromResult(fixture.App!.Lines(id).Where(l => l.Contains("is stuck in SHIPPED", StringComparison.Ordinal)).ToArray()),
            lines => lines.Length > 0, JourneyDeadline);
        Assert.True(flagged.Reached, $"DetectStuckOrders did not flag {id}:\n{Api.Context(80)}");
        output.WriteLine($"{id}: {flagged.Last[0].Trim()}");
        Assert.Contains("saga", flagged.Last[0], StringComparison.OrdinalIgnoreCase);
        await SettledAsync(id, buyer, "SHIPPED", ["order.created", "order.confirmed", "order.paid", "order.shipped"]);
        Assert.Equal(shipped.Version, (await Api.StoreStateAsync(id)).Version);
    }

    [FunctionHostFact]
    public async Task Every_event_the_relay_published_is_a_schema_valid_CloudEvent()
    {
        const string buyer = "buyer-schemas";
        var id = await Api.CreateOrderAsync(buyer, "schemas-1", Simple(buyer, CashOnDelivery));
        await StoreReachesAsync(id, "DELIVERED");
        await SettledAsync(id, buyer, "DELIVERED", CashOnDeliveryUntilDelivered);

        var lines = PublishedLines(Api.Host.DataDirectory);
        Assert.True(lines.Count >= 5, $"only {lines.Count} published events");
        var problems = new List<string>();
        foreach (var (line, number) in lines.Select((l, i) => (l, i + 1)))
        {
            using var document = System.Text.Json.JsonDocument.Parse(line);
            var root = document.RootElement;
            problems.AddRange(Orders.Contracts.Integration.EventSchemas.ValidateEnvelope(root).Select(e => $"line {number} envelope: {e}"));
            var type = root.GetProperty("type").GetString()!;
            problems.AddRange(Orders.Contracts.Integration.EventSchemas.Validate(type, root.GetProperty("data")).Select(e => $"line {number} ({type}): {e}"));
        }
        output.WriteLine($"{lines.Count} published events checked against their schemas");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>
    /// Read-model lag under the real host, committed change → buyer's list (the read model the change-feed pump's timer
    /// projects), for every change of a batch of orders through checkout and fulfillment. A change's commit time is its
    /// history entry's <c>at</c> (stamped just before the commit, on this machine's clock); it is seen when the list,
    /// polled every 100 ms, first shows the order at that version or later. Figures are printed (decision record 0009
    /// weighs them against the pump's cadence); the test asserts only that every change reached the read model.
    /// </summary>
    [FunctionHostFact]
    public async Task Read_model_lag_from_commit_to_the_buyers_list_is_measured_for_every_change()
    {
        const string buyer = "buyer-lag";
        const int orders = 30;
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<(string Order, long Version), DateTimeOffset>();
        var ids = new List<string>();
        using var stop = new CancellationTokenSource();
        var poller = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var list = await Api.ListAllAsync($"/api/buyers/{buyer}/orders");
                var now = DateTimeOffset.UtcNow;
                foreach (var item in list)
                {
                    var id = (string)item["orderId"]!;
                    for (var v = 1L; v <= (long)item["version"]!; v++) seen.TryAdd((id, v), now);
                }
                await Task.Delay(100);
            }
        });
        for (var i = 1; i <= orders; i++)
        {
            ids.Add(await Api.CreateOrderAsync(buyer, $"lag-{i}", Simple(buyer, i % 3 == 0 ? CashOnDelivery : Prepaid)));
            await Task.Delay(300);
        }
        // The sagas' own speed is not what is measured (the journeys check it): every change committed by the time they
        // are done, or by the deadline on a busy machine, is a sample.
        var delivered = await Eventually.PollAsync(() => Task.WhenAll(ids.Select(Api.StoreStateAsync)),
            s => s.All(x => x.Status == "DELIVERED"), TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(1));
        output.WriteLine($"orders when sampled: {SagaBatch.Counts(delivered.Last)}");
        var details = await Task.WhenAll(ids.Select(Api.DetailAsync));
        var changes = details.SelectMany(d => d["history"]!.AsArray().Select(h => (Order: (string)d["orderId"]!, Version: (long)h!["sequence"]!, At: DateTimeOffset.Parse((string)h["at"]!, System.Globalization.CultureInfo.InvariantCulture)))).ToList();
        await Eventually.PollAsync(() => Task.FromResult(changes.Count(c => !seen.ContainsKey((c.Order, c.Version)))), missing => missing == 0, CatchUpDeadline);
        await stop.CancelAsync();
        await poller;

        var missing = changes.Where(c => !seen.ContainsKey((c.Order, c.Version))).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} change(s) never reached the buyer's list: {string.Join(", ", missing.Take(10))}");
        var lags = changes.Select(c => (seen[(c.Order, c.Version)] - c.At).TotalMilliseconds).Order().ToArray();
        double Percentile(double p) => lags[Math.Min(lags.Length - 1, (int)Math.Ceiling(p * lags.Length) - 1)];
        output.WriteLine($"read-model lag (commit → buyer's list) under the real host, pump timer every 1 s, list polled every 100 ms: " +
            $"n={lags.Length} changes of {orders} orders; p50 {Percentile(0.50):0} ms, p90 {Percentile(0.90):0} ms, p99 {Percentile(0.99):0} ms, max {lags[^1]:0} ms, min {lags[0]:0} ms");
    }

    private static List<string> PublishedLines(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, PublishedEventsFile.FileName);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        return [.. text.Split('\n')[..^1].Where(l => l.Length > 0)]; // the last piece may be a line still being written
    }

    /// <summary>Polls the store until the order is in <paramref name="status"/>; fails with its history and the host's output otherwise.</summary>
    private async Task<StoreState> StoreReachesAsync(string orderId, string status)
    {
        // A terminal status other than the one expected will not change: stop waiting.
        var polled = await Eventually.PollAsync(() => Api.StoreStateAsync(orderId),
            s => s.Status == status || s.Status is "CLOSED" or "CANCELLED" or "SPLIT", JourneyDeadline);
        if (polled.Last.Status != status)
        {
            Assert.Fail($"order {orderId} did not reach {status} within {JourneyDeadline.TotalSeconds:0}s: it is {polled.Last.Status} " +
                $"(sagas: {polled.Last.SagaSummary()}); history [{Consistency.Trail(await Api.DetailAsync(orderId))}]; " +
                $"ledger {Show(await Api.LedgerAsync(orderId))}\n{Api.Context()}");
        }
        output.WriteLine($"{orderId} reached {status} (v{polled.Last.Version}) after {polled.Elapsed.TotalSeconds:0.0}s of polling");
        return polled.Last;
    }

    /// <summary>Waits for the read models and the relay to catch up, then checks the order from every side.</summary>
    private async Task<OrderEvidence> SettledAsync(string orderId, string buyerId, string status, IReadOnlyList<string> types)
    {
        var polled = await Consistency.CaughtUpAsync(Api, orderId, buyerId, CatchUpDeadline);
        var evidence = polled.Last;
        Assert.True(evidence.Store.Status == status, $"expected {status}: {evidence.Describe()}\n{Api.Context()}");
        var problems = Consistency.Problems(evidence, types);
        Assert.True(problems.Count == 0,
            $"order {orderId} ({(polled.Reached ? "caught up" : $"read models still behind after {CatchUpDeadline.TotalSeconds:0}s")}):\n  - " +
            string.Join("\n  - ", problems) + $"\n{evidence.Describe()}\n{Api.Context()}");
        return evidence;
    }

    /// <summary>Each seller's list shows the order as it is.</summary>
    private async Task SellerListsShowAsync(OrderEvidence order)
    {
        foreach (var seller in order.Detail["sellers"]!.AsArray().Select(s => (string)s!))
        {
            var list = await Api.ListAllAsync($"/api/sellers/{seller}/orders");
            var item = list.FirstOrDefault(i => (string?)i["orderId"] == order.OrderId);
            Assert.True(item is not null, $"seller {seller}'s list lacks {order.OrderId}");
            Assert.Equal(order.Store.Status, (string?)item!["status"]);
            Assert.Equal(order.Store.Version, (long?)item["version"]);
        }
    }

    /// <summary>Releases of <paramref name="reservation"/>, or of whatever the order holds ("(any)").</summary>
    private static IEnumerable<JsonObject> Releases(IReadOnlyList<JsonObject> ledger, string? reservation) =>
        ledger.Where(e => (string?)e["kind"] == "release" && ((string?)e["reference"] == reservation || (string?)e["reference"] == "(any)"));

    private static bool AllReservationsReleased(IReadOnlyList<JsonObject> ledger) =>
        ledger.Where(e => (string?)e["kind"] == "reservation")
            .All(r => Releases(ledger, (string?)r["reference"]).Any());

    private static string Show(IEnumerable<JsonObject> ledger) =>
        "[" + string.Join(", ", ledger.Select(e => $"{e["kind"]} {e["reference"]} {e["minor"]}")) + "]";
}
