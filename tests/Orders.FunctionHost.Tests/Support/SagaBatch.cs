using System.Text.Json.Nodes;
using Orders.EndToEnd.Tests.Support;
using static Orders.EndToEnd.Tests.Support.OrderRequests;

namespace Orders.FunctionHost.Tests.Support;

/// <summary>
/// A batch of orders put through checkout and fulfillment while hosts die under them, and what is checked at the
/// end: every order DELIVERED, none cancelled, the read models and the relay caught up, and in the simulated
/// domains' ledger (kept in the data folder, so it outlives the hosts) each effect exactly once.
/// </summary>
public sealed class SagaBatch(string buyer, IReadOnlyList<(string Id, string Type)> orders)
{
    private static readonly string[] PrepaidUntilDelivered = ["order.created", "order.confirmed", "order.paid", "order.shipped", "order.delivered"];
    private static readonly string[] CashOnDeliveryUntilDelivered = ["order.created", "order.confirmed", "order.shipped", "order.cod-collected", "order.delivered"];

    public IReadOnlyList<(string Id, string Type)> Orders => orders;

    /// <summary>Creates <paramref name="count"/> orders (every third cash on delivery), spread over <paramref name="apis"/> in turn.</summary>
    public static async Task<SagaBatch> CreateAsync(string buyer, string prefix, int count, params OrdersClient[] apis)
    {
        var created = new List<(string, string)>();
        for (var i = 1; i <= count; i++)
        {
            var type = i % 3 == 0 ? CashOnDelivery : Prepaid;
            var api = apis[(i - 1) % apis.Length];
            created.Add((await api.CreateOrderAsync(buyer, $"{prefix}-{i}", Simple(buyer, type, sku: $"sku-{prefix}-{i}")), type));
        }
        return new SagaBatch(buyer, created);
    }

    public async Task<StoreState[]> StatesAsync(OrdersClient api) => await Task.WhenAll(orders.Select(o => api.StoreStateAsync(o.Id)));

    public static bool AllSettled(IEnumerable<StoreState> states) => states.All(s => s.Status is "DELIVERED" or "CANCELLED" or "CLOSED");

    public string Describe(IEnumerable<StoreState> states) =>
        string.Join("; ", orders.Zip(states).Select(p => $"{p.First.Id[^6..]} {p.First.Type} {p.Second.Status}"));

    public static string Counts(IEnumerable<StoreState> states) =>
        string.Join(", ", states.GroupBy(s => s.Status).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}"));

    /// <summary>Everything wrong with the batch once settled (empty when every order is delivered and nothing doubled).</summary>
    public async Task<List<string>> ProblemsAsync(OrdersClient api, IReadOnlyList<StoreState> settled)
    {
        var problems = new List<string>();
        foreach (var ((id, type), state) in orders.Zip(settled))
        {
            if (state.Status != "DELIVERED") problems.Add($"order {id} ({type}) is {state.Status}, not DELIVERED (sagas: {state.SagaSummary()})");
            var caughtUp = await Consistency.CaughtUpAsync(api, id, buyer, TimeSpan.FromSeconds(30));
            problems.AddRange(Consistency.Problems(caughtUp.Last, state.Status == "DELIVERED" ? (type == Prepaid ? PrepaidUntilDelivered : CashOnDeliveryUntilDelivered) : null)
                .Select(p => $"order {id} ({type}): {p}"));
            problems.AddRange(LedgerProblems(await api.LedgerAsync(id), type).Select(p => $"order {id} ({type}) ledger: {p}"));
        }
        return problems;
    }

    /// <summary>A delivered order's effects in the other domains: each exactly once, nothing given back.</summary>
    public static IEnumerable<string> LedgerProblems(IReadOnlyList<JsonObject> ledger, string type)
    {
        string[] once = type == Prepaid ? ["reservation", "authorization", "capture", "parcel"] : ["reservation", "parcel-cod", "cash"];
        string[] never = type == Prepaid ? ["release", "void", "parcel-cancelled", "cash", "parcel-cod"] : ["release", "void", "parcel-cancelled", "authorization", "capture", "parcel"];
        var kinds = ledger.Select(e => (string?)e["kind"] ?? "").ToList();
        foreach (var kind in once)
        {
            var n = kinds.Count(k => k == kind);
            if (n != 1) yield return $"{n} × {kind} (expected exactly 1): [{string.Join(", ", kinds)}]";
        }
        foreach (var kind in never.Where(kinds.Contains)) yield return $"{kind} recorded for a delivered order: [{string.Join(", ", kinds)}]";
    }
}
