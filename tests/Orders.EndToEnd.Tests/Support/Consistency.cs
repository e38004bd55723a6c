using System.Globalization;
using System.Text.Json.Nodes;

namespace Orders.EndToEnd.Tests.Support;

/// <summary>
/// What the running host says about one order, from every side: the order store (/status), the read models (the
/// detail view with its history, the buyer's list) and the published events file.
/// </summary>
public sealed record OrderEvidence(string OrderId, StoreState Store, JsonObject Detail, JsonObject? BuyerListItem, IReadOnlyList<PublishedEvent> Published)
{
    public IReadOnlyList<JsonObject> History => [.. (Detail["history"]?.AsArray() ?? []).Select(h => h!.AsObject())];

    public IReadOnlyList<string> HistoryTypes => [.. History.Select(h => (string?)h["type"] ?? "?")];

    public long DetailVersion => (long?)Detail["version"] ?? -1;

    public string? DetailStatus => (string?)Detail["status"];

    /// <summary>The read models and the relay have everything the store has.</summary>
    public bool CaughtUp =>
        DetailVersion == Store.Version
        && DetailStatus == Store.Status
        && History.Count == Store.Version
        && (long?)BuyerListItem?["version"] == Store.Version
        && (string?)BuyerListItem?["status"] == Store.Status
        && Enumerable.Range(1, (int)Store.Version).All(s => Published.Any(e => e.Sequence == s));

    /// <summary>"#1 order.created → Created, #2 order.confirmed → Confirmed, …" for messages.</summary>
    public string Trail() => Consistency.Trail(Detail);

    public string Describe() =>
        $"order {OrderId}: store {Store.Status} v{Store.Version} (sagas: {Store.SagaSummary()}); read model {DetailStatus} v{DetailVersion}; " +
        $"history [{Trail()}]; buyer list {(BuyerListItem is null ? "(absent)" : $"{BuyerListItem["status"]} v{BuyerListItem["version"]}")}; " +
        $"published sequences [{string.Join(",", Published.Select(e => e.Sequence).Order())}]";
}

public static class Consistency
{
    /// <summary>"#1 order.created → Created, #2 order.confirmed → Confirmed, …" from a detail view's history.</summary>
    public static string Trail(JsonObject detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        return string.Join(", ", (detail["history"]?.AsArray() ?? []).Select(h => $"#{h?["sequence"]} {h?["type"]} → {h?["to"]}"));
    }

    public static async Task<OrderEvidence> GatherAsync(OrdersClient api, string orderId, string buyerId)
    {
        ArgumentNullException.ThrowIfNull(api);
        var store = await api.StoreStateAsync(orderId);
        var detail = await api.DetailAsync(orderId);
        var list = await api.ListAllAsync($"/api/buyers/{buyerId}/orders");
        var item = list.FirstOrDefault(i => (string?)i["orderId"] == orderId);
        var published = PublishedEventsFile.Read(api.Host.DataDirectory).ByOrder()[orderId].ToArray();
        return new OrderEvidence(orderId, store, detail, item, published);
    }

    /// <summary>Polls until the read models and the relay have caught up with the store (or the deadline passes).</summary>
    public static Task<Polled<OrderEvidence>> CaughtUpAsync(OrdersClient api, string orderId, string buyerId, TimeSpan within) =>
        Eventually.PollAsync(() => GatherAsync(api, orderId, buyerId), e => e.CaughtUp, within);

    /// <summary>
    /// Everything that is wrong with one order's evidence: the read model's history must be the store's (sequences
    /// 1..version, no gap, no duplicate, hash chain intact, version = number of entries), the buyer's list must show
    /// it as the store has it, and every fact must have been published (at least once, the same each time) and nothing
    /// else. <paramref name="expectedTypes"/>, when given, is the exact history.
    /// </summary>
    public static IReadOnlyList<string> Problems(OrderEvidence evidence, IReadOnlyList<string>? expectedTypes = null)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var problems = new List<string>();
        var store = evidence.Store;
        var history = evidence.History;
        var sequences = history.Select(h => (long?)h["sequence"] ?? -1).ToArray();

        if (evidence.DetailStatus != store.Status) problems.Add($"the read model says {evidence.DetailStatus}, the store {store.Status}");
        if (evidence.DetailVersion != store.Version) problems.Add($"the read model is at version {evidence.DetailVersion}, the store at {store.Version}");
        if (evidence.DetailVersion != history.Count) problems.Add($"the detail's version {evidence.DetailVersion} is not its number of history entries ({history.Count})");
        var expectedSequences = Enumerable.Range(1, (int)Math.Max(store.Version, 0)).Select(i => (long)i).ToArray();
        if (!sequences.SequenceEqual(expectedSequences))
        {
            var missing = expectedSequences.Except(sequences).ToArray();
            var duplicated = sequences.GroupBy(s => s).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
            var extra = sequences.Except(expectedSequences).ToArray();
            problems.Add($"history sequences are [{string.Join(",", sequences)}], expected 1..{store.Version}" +
                $" (missing [{string.Join(",", missing)}], duplicated [{string.Join(",", duplicated)}], unknown [{string.Join(",", extra)}])");
        }
        if ((bool?)evidence.Detail["historyIntact"] != true) problems.Add("historyIntact is not true: the hash chain does not verify");
        if (expectedTypes is not null && !SameFacts(evidence.HistoryTypes, expectedTypes))
            problems.Add($"history types are [{string.Join(", ", evidence.HistoryTypes)}], expected [{string.Join(", ", expectedTypes)}]");

        if (evidence.BuyerListItem is null) problems.Add("the buyer's list does not contain the order");
        else
        {
            if ((string?)evidence.BuyerListItem["status"] != store.Status) problems.Add($"the buyer's list says {evidence.BuyerListItem["status"]}, the store {store.Status}");
            if ((long?)evidence.BuyerListItem["version"] != store.Version) problems.Add($"the buyer's list is at version {evidence.BuyerListItem["version"]}, the store at {store.Version}");
        }

        var published = evidence.Published.GroupBy(e => e.Sequence).ToDictionary(g => g.Key, g => g.ToArray());
        var unpublished = expectedSequences.Where(s => !published.ContainsKey(s)).ToArray();
        if (unpublished.Length > 0) problems.Add($"never published: sequences [{string.Join(",", unpublished)}]");
        var unknown = published.Keys.Where(s => s < 1 || s > store.Version).Order().ToArray();
        if (unknown.Length > 0) problems.Add($"published but not in the history: sequences [{string.Join(",", unknown)}]");
        foreach (var entry in history)
        {
            var sequence = (long?)entry["sequence"] ?? -1;
            if (!published.TryGetValue(sequence, out var copies)) continue;
            var to = (string?)entry["to"];
            var at = DateTimeOffset.Parse((string)entry["at"]!, CultureInfo.InvariantCulture);
            foreach (var copy in copies)
            {
                if (copy.ToStatus is not null && !string.Equals(copy.ToStatus, to, StringComparison.OrdinalIgnoreCase))
                    problems.Add($"published #{sequence} (line {copy.Line}) goes to {copy.ToStatus}; the history's entry goes to {to}");
                if (copy.Time != at)
                    problems.Add($"published #{sequence} (line {copy.Line}) has time {copy.Time:O}; the history's entry {at:O}");
            }
            if (copies.Select(c => c.Type).Distinct().Count() > 1)
                problems.Add($"the copies of published #{sequence} differ in type: {string.Join(", ", copies.Select(c => c.Type))}");
        }
        return problems;
    }

    /// <summary>
    /// The history has the expected facts in the expected order, except that a cash-on-delivery order's cash report
    /// may be recorded before or after its delivery (the courier's report and the carrier's event race; both orders
    /// are valid in the domain).
    /// </summary>
    private static bool SameFacts(IReadOnlyList<string> actual, IReadOnlyList<string> expected)
    {
        if (actual.SequenceEqual(expected)) return true;
        var swapped = expected.ToArray();
        var cash = Array.IndexOf(swapped, "order.cod-collected");
        var delivered = Array.IndexOf(swapped, "order.delivered");
        if (cash < 0 || delivered < 0) return false;
        (swapped[cash], swapped[delivered]) = (swapped[delivered], swapped[cash]);
        return actual.SequenceEqual(swapped);
    }
}
