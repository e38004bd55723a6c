using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Orders.EndToEnd.Tests.Support;
using Orders.HistoryVerifier;
using static Orders.EndToEnd.Tests.Support.OrderRequests;

namespace Orders.EndToEnd.Tests;

/// <summary>
/// GET /api/orders/{id}/history over HTTP against the running local host, checked by the outside verifier
/// (tools/Orders.HistoryVerifier, which shares no code with the service): the stored entries recompute to the
/// answer's digest, a kept digest is proved to be a prefix of a later history, a digest the history does not extend is
/// refused, and an entry edited in the database file is visible on GET, in the history answer, to the verifier, and in
/// the stuck-order (flagged) list after reconcile.
/// </summary>
public sealed class HistoryEndpointTests(JourneyHost fixture) : IClassFixture<JourneyHost>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private OrdersClient Api => fixture.Api;

    [Fact]
    public async Task The_stored_history_recomputes_to_its_digest_and_a_kept_digest_is_proved_a_prefix_of_the_later_history()
    {
        const string buyer = "buyer-history";
        var id = await Api.CreateOrderAsync(buyer, "history-1", Simple(buyer, Prepaid, returnWindowDays: 0));
        var delivered = await ReachesAsync(id, "DELIVERED");

        var history = await HistoryAsync(id, OrdersClient.Buyer(buyer));
        var verdict = HistoryChain.Verify(history.Body);
        Assert.True(verdict.Intact, $"{verdict}\n{history}");
        Assert.Equal(delivered.Version, verdict.EntriesChecked);
        Assert.Equal($"\"{delivered.Version}\"", history.ETag);
        Assert.Equal(true, (bool?)history.Json["intact"]);
        Assert.Null(history.Json["brokenAt"]);
        var contents = history.Json["entries"]!.AsArray().Select(e => JsonNode.Parse((string)e!["content"]!)!).ToArray();
        Assert.Equal(["order.created", "order.confirmed", "order.paid", "order.shipped", "order.delivered"],
            contents.Select(c => (string?)c["event"]!["type"]));

        // A buyer keeps the digest at sequence 2; the order moves on; the proof from it chains to the new head.
        var entry2 = history.Json["entries"]![1]!;
        var kept = new Digest(2, (string)entry2["hash"]!);
        var close = await Api.SendAsync(HttpMethod.Post, $"/api/orders/{id}/close", OrdersClient.Operator, ifMatch: delivered.ETag, idempotencyKey: "history-close");
        Assert.True(close.Status == HttpStatusCode.OK, $"{close}\n{Api.Context()}");
        var proof = await HistoryAsync(id, OrdersClient.Buyer(buyer), $"?sinceSequence={kept.Sequence}&sinceHash={kept.Hash}");
        Assert.Equal([3L, 4L, 5L, 6L], proof.Json["entries"]!.AsArray().Select(e => (long)e!["sequence"]!));
        var proved = HistoryChain.Verify(proof.Body, kept);
        Assert.True(proved.Intact, $"{proved}\n{proof}");
        Assert.Equal(new Digest(6, (string)proof.Json["digest"]!["hash"]!), proved.Head);
        // The whole history verifies to the same head: the proof and the history agree.
        Assert.Equal(proved.Head, HistoryChain.Verify((await HistoryAsync(id, OrdersClient.Operator)).Body).Head);

        // A proof checked against a digest it is not from fails in the verifier, whatever the service says.
        Assert.False(HistoryChain.Verify(proof.Body, kept with { Hash = new string('0', 64) }).Intact);
        Assert.False(HistoryChain.Verify(proof.Body).Intact); // not a whole history: it does not start from genesis

        // A digest the history does not extend is refused with a problem; a malformed one is a bad request.
        var rewritten = await Api.SendAsync(HttpMethod.Get, $"/api/orders/{id}/history?sinceSequence=2&sinceHash={new string('a', 64)}", OrdersClient.Operator);
        Assert.True(rewritten.Status == HttpStatusCode.Conflict, rewritten.ToString());
        Assert.Equal("order.history-not-a-prefix", (string?)rewritten.Json["code"]);
        var beyond = await Api.SendAsync(HttpMethod.Get, $"/api/orders/{id}/history?sinceSequence=7&sinceHash={kept.Hash}", OrdersClient.Operator);
        Assert.True(beyond.Status == HttpStatusCode.Conflict, beyond.ToString());
        var halfDigest = await Api.SendAsync(HttpMethod.Get, $"/api/orders/{id}/history?sinceSequence=2", OrdersClient.Operator);
        Assert.True(halfDigest.Status == HttpStatusCode.BadRequest, halfDigest.ToString());
        var someoneElse = await Api.SendAsync(HttpMethod.Get, $"/api/orders/{id}/history", OrdersClient.Buyer("buyer-other"));
        Assert.True(someoneElse.Status == HttpStatusCode.NotFound, someoneElse.ToString());
    }

    [Fact]
    public async Task The_verifier_program_checks_a_saved_answer_and_its_url_and_names_an_edited_entry()
    {
        const string buyer = "buyer-verifier";
        var id = await Api.CreateOrderAsync(buyer, "verifier-1", Simple(buyer, Prepaid));
        await ReachesAsync(id, "DELIVERED");
        var history = await HistoryAsync(id, OrdersClient.Buyer(buyer));
        using var folder = TempDirectory.Create("orders-verifier");
        var saved = Path.Combine(folder.Path, "history.json");
        await File.WriteAllTextAsync(saved, history.Body);

        var fromFile = await RunVerifierAsync(saved);
        Assert.True(fromFile.ExitCode == 0, fromFile.Output);
        Assert.StartsWith("intact: 5 entries recomputed, head 5:", fromFile.Output, StringComparison.Ordinal);

        var url = new Uri(Api.Host.Http.BaseAddress!, $"api/orders/{id}/history").ToString();
        var fromUrl = await RunVerifierAsync(url, "--header", $"X-Dev-Caller: {OrdersClient.Buyer(buyer)}", "--since", $"1:{(string)history.Json["entries"]![0]!["hash"]!}");
        Assert.True(fromUrl.ExitCode == 0, fromUrl.Output);
        Assert.StartsWith("intact: 4 entries recomputed, head 5:", fromUrl.Output, StringComparison.Ordinal);

        // One character of entry 3's stored content changed in the saved answer: the verifier names entry 3.
        var edited = history.Json.AsObject();
        var third = edited["entries"]![2]!.AsObject();
        third["content"] = ((string)third["content"]!).Replace("\"sequence\":3,", "\"sequence\":3, ", StringComparison.Ordinal);
        await File.WriteAllTextAsync(saved, edited.ToJsonString());
        var broken = await RunVerifierAsync(saved);
        Assert.True(broken.ExitCode == 1, broken.Output);
        Assert.StartsWith("BROKEN at sequence 3:", broken.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_entry_edited_in_the_database_is_visible_on_GET_in_the_history_to_the_verifier_and_in_the_flagged_list()
    {
        const string buyer = "buyer-edited";
        var id = await Api.CreateOrderAsync(buyer, "edited-1", Simple(buyer, Prepaid, returnWindowDays: 0));
        var delivered = await ReachesAsync(id, "DELIVERED");
        var close = await Api.SendAsync(HttpMethod.Post, $"/api/orders/{id}/close", OrdersClient.Operator, ifMatch: delivered.ETag, idempotencyKey: "edited-close");
        Assert.True(close.Status == HttpStatusCode.OK, $"{close}\n{Api.Context()}");
        Assert.Equal(true, (bool?)(await Api.DetailAsync(id))["historyIntact"]);

        // Someone with write access to the data file changes the reason of entry 3 (the payment) in place.
        await EditStoredEntryAsync(id, 3, "payment ", "refund "); // the reason only: the content still reads

        var detail = await Api.DetailAsync(id);
        Assert.Equal(false, (bool?)detail["historyIntact"]);
        var history = await HistoryAsync(id, OrdersClient.Operator);
        Assert.Equal(false, (bool?)history.Json["intact"]);
        Assert.Equal(3, (long?)history.Json["brokenAt"]!["sequence"]);
        var verdict = HistoryChain.Verify(history.Body);
        Assert.False(verdict.Intact);
        Assert.Equal(3, verdict.BrokenAt);

        // The order is CLOSED, so only reconcile's rotation through every order finds it; then it is flagged.
        var report = await Api.RunJobAsync("Reconcile");
        Assert.True((int?)report["verified"] >= 1, report.ToJsonString());
        Assert.Contains(report["reported"]!.AsArray(), f => (string?)f!["orderId"] == id && (string?)f["kind"] == "history-broken");
        var flagged = await Api.SendAsync(HttpMethod.Get, "/local/stuck-orders", null);
        Assert.True(flagged.Status == HttpStatusCode.OK, flagged.ToString());
        var entry = flagged.Json.AsArray().SingleOrDefault(f => (string?)f!["orderId"] == id);
        Assert.True(entry is not null, flagged.ToString());
        Assert.Equal("history-broken", (string?)entry!["reason"]);
        Assert.Contains("at sequence 3", (string?)entry["detail"], StringComparison.Ordinal);
    }

    private async Task<ApiResponse> HistoryAsync(string id, string caller, string query = "")
    {
        var response = await Api.SendAsync(HttpMethod.Get, $"/api/orders/{id}/history{query}", caller);
        Assert.True(response.Status == HttpStatusCode.OK, $"{response}\n{Api.Context()}");
        return response;
    }

    private async Task<StoreState> ReachesAsync(string id, string status)
    {
        var polled = await Eventually.PollAsync(() => Api.StoreStateAsync(id), s => s.Status == status, Deadline);
        Assert.True(polled.Reached, $"{id} is {polled.Last.Status}, not {status}, after {polled.Elapsed}: {polled.Last.SagaSummary()}\n{Api.Context()}");
        return polled.Last;
    }

    /// <summary>Drops the append-only trigger, edits one stored entry in place, puts the trigger back (as BrokenOrderTests).</summary>
    private async Task EditStoredEntryAsync(string id, long sequence, string find, string replaceWith)
    {
        var file = Path.Combine(Api.Host.DataDirectory, "orders.db");
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false, DefaultTimeout = 30 }.ToString());
        await connection.OpenAsync();
        await using var transaction = connection.BeginTransaction();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "DROP TRIGGER order_events_append_only_update";
        await command.ExecuteNonQueryAsync();
        command.CommandText = "UPDATE order_events SET entry = replace(entry, $find, $replace) WHERE order_id = $id AND sequence = $seq AND instr(entry, $find) > 0";
        command.Parameters.AddWithValue("$find", find);
        command.Parameters.AddWithValue("$replace", replaceWith);
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$seq", sequence);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
        command.Parameters.Clear();
        command.CommandText = """
            CREATE TRIGGER order_events_append_only_update BEFORE UPDATE ON order_events
            BEGIN SELECT RAISE(ABORT, 'order_events is append-only'); END;
            """;
        await command.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    /// <summary>Runs the verifier's program (beside this assembly, built with it) as its own process.</summary>
    private static async Task<(int ExitCode, string Output)> RunVerifierAsync(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Orders.HistoryVerifier.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await stdout).Trim() + (await stderr).Trim());
    }
}
