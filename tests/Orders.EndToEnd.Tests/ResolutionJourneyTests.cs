using System.Net;
using System.Text.Json.Nodes;
using Orders.EndToEnd.Tests.Support;
using Xunit.Abstractions;
using static Orders.EndToEnd.Tests.Support.OrderRequests;

namespace Orders.EndToEnd.Tests;

/// <summary>
/// The operator's resolutions (decision 0016) over real HTTP against a running local host: the simulators make an
/// order get stuck (a lost parcel, a refused refund, a payment that never answers), detect-stuck flags it, and an
/// operator resolves it through the public API; the sagas do the rest. Each check reads the order back.
/// </summary>
public sealed class ResolutionJourneyTests(JourneyHost fixture, ITestOutputHelper output) : IClassFixture<JourneyHost>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private OrdersClient Api => fixture.Api;

    [Fact]
    public async Task A_lost_parcel_refunded_by_an_operator_goes_from_SHIPPED_to_REFUNDED_and_closes_with_the_payment_reversed()
    {
        const string buyer = "buyer-lost-refund";
        var id = await Api.CreateOrderAsync(buyer, "lost-refund-1", Simple(buyer, Prepaid, sku: "sim-lose-parcel-1"));
        var stuck = await FlaggedAsync(id, "saga-ended");
        var shipmentId = (string)stuck["resolutions"]!.AsArray().First(r => (string?)r!["action"] == "refund-lost-parcel")!["shipmentId"]!;
        var shipped = await Api.StoreStateAsync(id);
        Assert.Equal("SHIPPED", shipped.Status);
        var body = new JsonObject { ["shipmentId"] = shipmentId, ["resolution"] = "refund", ["reason"] = "carrier confirmed the loss" };

        // Operators only, an ordinary command: Idempotency-Key and If-Match are required.
        var byBuyer = await Api.SendAsync(HttpMethod.Post, $"/api/orders/{id}/resolutions/lost-parcel", OrdersClient.Buyer(buyer), body, shipped.ETag, "k-buyer");
        Assert.Equal(HttpStatusCode.Forbidden, byBuyer.Status);
        var noKey = await Api.SendAsync(HttpMethod.Post, $"/api/orders/{id}/resolutions/lost-parcel", OrdersClient.Operator, body, shipped.ETag);
        Assert.True(noKey.Status == HttpStatusCode.BadRequest && (string?)noKey.Json["code"] == "idempotency.key-missing", noKey.ToString());
        var noIfMatch = await Api.SendAsync(HttpMethod.Post, $"/api/orders/{id}/resolutions/lost-parcel", OrdersClient.Operator, body, idempotencyKey: "k-lost");
        Assert.Equal((HttpStatusCode)428, noIfMatch.Status);
        var badResolution = await Api.SendAsync(HttpMethod.Post, $"/api/orders/{id}/resolutions/lost-parcel", OrdersClient.Operator,
            new JsonObject { ["shipmentId"] = shipmentId, ["resolution"] = "Refund", ["reason"] = "x" }, shipped.ETag, "k-bad");
        Assert.True(badResolution.Status == HttpStatusCode.BadRequest && (string?)badResolution.Json["code"] == "request.invalid-body", badResolution.ToString());
        Assert.Equal(shipped.Version, (await Api.StoreStateAsync(id)).Version); // refusals changed nothing

        var resolved = await Api.SendAsync(HttpMethod.Post, $"/api/orders/{id}/resolutions/lost-parcel", OrdersClient.Operator, body, shipped.ETag, "k-lost");
        Assert.True(resolved.Status == HttpStatusCode.Accepted, $"{resolved}\n{Api.Context()}");
        var again = await Api.SendAsync(HttpMethod.Post, $"/api/orders/{id}/resolutions/lost-parcel", OrdersClient.Operator, body, shipped.ETag, "k-lost");
        Assert.True(again.Status == HttpStatusCode.Accepted && again.Header("Idempotent-Replayed") == "true" && again.Body == resolved.Body, again.ToString());

        var closed = await ReachesAsync(id, "CLOSED");
        var detail = await Api.DetailAsync(id);
        var trail = Consistency.Trail(detail);
        var history = detail["history"]!.AsArray().Select(h => h!.AsObject()).ToArray();
        var lost = history.Single(h => (string?)h["actor"]!["kind"] == "Operator");
        Assert.Equal("order.refund-requested", (string?)lost["type"]);
        Assert.Equal("ops-1", (string?)lost["actor"]!["id"]);
        Assert.Contains("carrier confirmed the loss", (string?)lost["reason"], StringComparison.Ordinal);
        Assert.Contains(history, h => (string?)h["from"] == "SHIPPED" && (string?)h["to"] == "REFUNDED");
        Assert.True((bool?)detail["historyIntact"], trail);
        Assert.True(JsonNode.DeepEquals(detail["pricing"]!["total"], detail["amountRefunded"]), $"refunded {detail["amountRefunded"]}: {trail}");
        Assert.Equal(true, (bool?)detail["shipment"]!["isLost"]);
        var ledger = await Api.LedgerAsync(id);
        var reversal = Assert.Single(ledger, e => (string?)e["kind"] == "reversal");
        Assert.Equal("lost-" + shipmentId, (string?)reversal["reference"]);
        output.WriteLine($"lost parcel {shipmentId} of {id} refunded: [{trail}] at version {closed.Version}");

        // Once it moved on, detect-stuck clears the flag.
        await Api.RunJobAsync("DetectStuck");
        Assert.DoesNotContain(await StuckListAsync(), s => (string?)s["orderId"] == id);
    }

    [Fact]
    public async Task A_lost_parcel_replaced_by_an_operator_ships_a_new_parcel_for_the_same_order_which_is_delivered()
    {
        const string buyer = "buyer-lost-replace";
        var id = await Api.CreateOrderAsync(buyer, "lost-replace-1", Simple(buyer, Prepaid, sku: "sim-lose-parcel-2"));
        var stuck = await FlaggedAsync(id, "saga-ended");
        var shipmentId = (string)stuck["resolutions"]!.AsArray().First(r => (string?)r!["action"] == "replace-lost-parcel")!["shipmentId"]!;

        var resolved = await Api.SendAsync(HttpMethod.Post, $"/api/orders/{id}/resolutions/lost-parcel", OrdersClient.Operator,
            new JsonObject { ["shipmentId"] = shipmentId, ["resolution"] = "replace", ["reason"] = "send another kettle" }, $"\"{(long)stuck["version"]!}\"", "k-replace");
        Assert.True(resolved.Status == HttpStatusCode.Accepted, $"{resolved}\n{Api.Context()}");

        await ReachesAsync(id, "DELIVERED");
        var detail = await Api.DetailAsync(id);
        var replacement = (string?)detail["shipment"]!["shipmentId"];
        Assert.NotEqual(shipmentId, replacement);
        Assert.Equal(shipmentId, (string?)Assert.Single(detail["lostShipments"]!.AsArray())!["shipmentId"]);
        var history = detail["history"]!.AsArray().Select(h => h!.AsObject()).ToArray();
        var resolution = history.Single(h => (string?)h["type"] == "order.operator-resolution");
        Assert.Equal("Operator", (string?)resolution["actor"]!["kind"]);
        Assert.Equal(2, history.Count(h => (string?)h["type"] == "order.shipped"));
        Assert.True((bool?)detail["historyIntact"]);
        var parcels = (await Api.LedgerAsync(id)).Where(e => (string?)e["kind"] == "parcel").Select(e => (string?)e["reference"]).ToArray();
        Assert.Equal(new string?[] { shipmentId, replacement }, parcels);
        Assert.DoesNotContain(await Api.LedgerAsync(id), e => (string?)e["kind"] == "reversal");
    }

    [Fact]
    public async Task A_refund_the_payments_domain_refused_is_retried_then_settled_manually_and_the_refund_saga_closes_the_order()
    {
        const string buyer = "buyer-refund-refused";
        var id = await Api.CreateOrderAsync(buyer, "refused-1", Simple(buyer, Prepaid, returnWindowDays: 14));
        await Api.FailAsync(id, "FailRefund");
        var delivered = await ReachesAsync(id, "DELIVERED");
        var total = (await Api.DetailAsync(id))["pricing"]!["total"]!.DeepClone();
        var refund = await Api.SendAsync(HttpMethod.Post, $"/api/orders/{id}/refunds", OrdersClient.Buyer(buyer),
            new JsonObject { ["amount"] = total, ["reason"] = "arrived broken" }, delivered.ETag, "refund-1");
        Assert.True(refund.Status == HttpStatusCode.Accepted, refund.ToString());
        var refundId = refund.Header("Refund-Id")!;
        var stuck = await FlaggedAsync(id, "saga-ended");
        Assert.Contains(stuck["resolutions"]!.AsArray(), r => (string?)r!["action"] == "settle-refund" && (string?)r["refundId"] == refundId);

        var retry = await Api.SendAsync(HttpMethod.Post, $"/api/orders/{id}/refunds/{refundId}/retry", OrdersClient.Operator,
            new JsonObject { ["reason"] = "the issuer was down" }, $"\"{(long)stuck["version"]!}\"", "k-retry");
        Assert.True(retry.Status == HttpStatusCode.Accepted, $"{retry}\n{Api.Context()}");
        // The saga runs again, re-sends the reversal, is refused again (the simulator still refuses) and escalates again.
        var escalatedAgain = await Eventually.PollAsync(() => Api.StoreStateAsync(id),
            s => s.SagaSummary().Contains("Completed", StringComparison.Ordinal) && s.Json["sagas"]!.AsArray().Any(g => (string?)g!["saga"] == "RefundSaga" && (string?)g["runtimeStatus"] == "Completed"), Deadline);
        Assert.True(escalatedAgain.Reached, escalatedAgain.Last.SagaSummary());

        var current = await Api.StoreStateAsync(id);
        var settle = await Api.SendAsync(HttpMethod.Post, $"/api/orders/{id}/refunds/{refundId}/settle", OrdersClient.Operator,
            new JsonObject { ["reference"] = "bank-transfer-77", ["reason"] = "issuer refuses reversals for this card" }, current.ETag, "k-settle");
        Assert.True(settle.Status == HttpStatusCode.OK, $"{settle}\n{Api.Context()}");
        Assert.Equal("REFUNDED", (string?)settle.Json["status"]);

        await ReachesAsync(id, "CLOSED");
        var detail = await Api.DetailAsync(id);
        var operatorEntries = detail["history"]!.AsArray().Where(h => (string?)h!["actor"]!["kind"] == "Operator").Select(h => (string?)h!["type"]).ToArray();
        Assert.Equal(new string?[] { "order.operator-resolution", "order.refunded" }, operatorEntries);
        Assert.DoesNotContain(await Api.LedgerAsync(id), e => (string?)e["kind"] == "reversal"); // the money went back outside, recorded
        Assert.True((bool?)detail["historyIntact"]);
    }

    [Fact]
    public async Task A_stuck_checkout_is_cancelled_by_an_operator_and_its_stock_released_while_a_running_saga_cannot_be_retried()
    {
        const string buyer = "buyer-stuck-checkout";
        var id = await Api.CreateOrderAsync(buyer, "stuck-checkout-1", Simple(buyer, Prepaid, sku: "sim-silent-payment-9"));
        var reserved = await Eventually.PollAsync(() => Api.LedgerAsync(id), l => l.Any(e => (string?)e["kind"] == "reservation"), Deadline);
        Assert.True(reserved.Reached);
        var held = await Api.StoreStateAsync(id);

        var retry = await Api.SendAsync(HttpMethod.Post, $"/api/orders/{id}/resolutions/retry-saga", OrdersClient.Operator,
            new JsonObject { ["saga"] = "checkout", ["reason"] = "payments slow" }, held.ETag, "k-retry-running");
        Assert.True(retry.Status == HttpStatusCode.Conflict && (string?)retry.Json["code"] == "resolution.saga-running", retry.ToString());
        var acknowledge = await Api.SendAsync(HttpMethod.Post, $"/api/orders/{id}/resolutions/acknowledge", OrdersClient.Operator,
            new JsonObject { ["note"] = "looking" }, held.ETag, "k-ack-unflagged");
        Assert.True(acknowledge.Status == HttpStatusCode.Conflict && (string?)acknowledge.Json["code"] == "resolution.not-stuck", acknowledge.ToString());

        var cancel = await Api.SendAsync(HttpMethod.Post, $"/api/orders/{id}/resolutions/cancel-checkout", OrdersClient.Operator,
            new JsonObject { ["reason"] = "payment provider never answered" }, held.ETag, "k-cancel");
        Assert.True(cancel.Status == HttpStatusCode.OK, $"{cancel}\n{Api.Context()}");
        Assert.Equal("CANCELLED", (string?)cancel.Json["status"]);

        var released = await Eventually.PollAsync(() => Api.LedgerAsync(id), l => l.Any(e => (string?)e["kind"] == "release"), Deadline);
        Assert.True(released.Reached, $"no release: {string.Join(", ", released.Last.Select(e => e.ToJsonString()))}");
        var detail = await Api.DetailAsync(id);
        var cancelled = detail["history"]!.AsArray().Last()!;
        Assert.Equal("order.cancelled", (string?)cancelled["type"]);
        Assert.Equal("Operator", (string?)cancelled["actor"]!["kind"]);
        Assert.Contains("payment provider never answered", (string?)cancelled["reason"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_operator_acknowledges_a_stuck_flag_and_the_stuck_list_shows_who_and_why()
    {
        const string buyer = "buyer-ack";
        var id = await Api.CreateOrderAsync(buyer, "ack-1", Simple(buyer, Prepaid, sku: "sim-lose-parcel-3"));
        var stuck = await FlaggedAsync(id, "saga-ended");

        var ack = await Api.SendAsync(HttpMethod.Post, $"/api/orders/{id}/resolutions/acknowledge", OrdersClient.Operator,
            new JsonObject { ["note"] = "waiting for the carrier's investigation" }, $"\"{(long)stuck["version"]!}\"", "k-ack");
        Assert.True(ack.Status == HttpStatusCode.OK, $"{ack}\n{Api.Context()}");

        var listed = (await StuckListAsync()).Single(s => (string?)s["orderId"] == id);
        Assert.Equal("waiting for the carrier's investigation", (string?)listed["acknowledged"]!["note"]);
        Assert.Equal("ops-1", (string?)listed["acknowledged"]!["by"]!["id"]);
        Assert.Equal((long)stuck["version"]! + 1, (long)listed["version"]!);
        var last = (await Api.DetailAsync(id))["history"]!.AsArray().Last()!;
        Assert.Equal("order.operator-resolution", (string?)last["type"]);
        Assert.Equal("SHIPPED", (string?)last["to"]);
        var buyerList = await Api.SendAsync(HttpMethod.Get, "/api/operations/stuck-orders", OrdersClient.Buyer(buyer));
        Assert.Equal(HttpStatusCode.Forbidden, buyerList.Status);
    }

    private async Task<IReadOnlyList<JsonObject>> StuckListAsync()
    {
        var response = await Api.SendAsync(HttpMethod.Get, "/api/operations/stuck-orders?pageSize=100", OrdersClient.Operator);
        Assert.True(response.Status == HttpStatusCode.OK, $"{response}\n{Api.Context()}");
        return [.. response.Json["orders"]!.AsArray().Select(o => o!.AsObject())];
    }

    /// <summary>Runs detect-stuck until the order is on the stuck list with <paramref name="reason"/>; returns its entry.</summary>
    private async Task<JsonObject> FlaggedAsync(string orderId, string reason)
    {
        var polled = await Eventually.PollAsync(async () =>
        {
            await Api.RunJobAsync("DetectStuck");
            return (await StuckListAsync()).FirstOrDefault(s => (string?)s["orderId"] == orderId);
        }, s => (string?)s?["reason"] == reason, Deadline, TimeSpan.FromMilliseconds(250));
        Assert.True(polled.Reached, $"order {orderId} was not flagged {reason}: {polled.Last?.ToJsonString() ?? "not listed"}; " +
            $"sagas {(await Api.StoreStateAsync(orderId)).SagaSummary()}\n{Api.Context()}");
        return polled.Last!;
    }

    private async Task<StoreState> ReachesAsync(string orderId, string status)
    {
        var polled = await Eventually.PollAsync(() => Api.StoreStateAsync(orderId), s => s.Status == status, Deadline);
        Assert.True(polled.Reached, $"order {orderId} did not reach {status}: it is {polled.Last.Status} (sagas {polled.Last.SagaSummary()}); " +
            $"history [{Consistency.Trail(await Api.DetailAsync(orderId))}]\n{Api.Context()}");
        return polled.Last;
    }
}
