using Microsoft.DurableTask;
using Orders.Orchestrations.Sagas;

namespace Orders.Orchestrations.Tests.Replay;

/// <summary>
/// The histories of the sagas' live revisions (<c>Histories/*.json</c>: those recorded before issue 15 changed them, and
/// each later revision's own), replayed against
/// the current code: each must take the same decisions at the same points. A saga change that fails here would break
/// instances in flight when it ships; it needs a new revision instead (decision 0025).
/// </summary>
public sealed class RecordedHistoryReplayTests
{
    public static TheoryData<string> Histories() =>
        [.. Directory.EnumerateFiles(RecordedHistory.Folder, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal)];

    public static ITaskOrchestrator Orchestrator(string name) => name switch
    {
        nameof(CheckoutSaga) => new CheckoutSaga(),
        nameof(FulfillmentSaga) => new FulfillmentSaga(),
        nameof(RefundSaga) => new RefundSaga(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Not a saga."),
    };

    private static RecordedHistory Load(string scenario) => RecordedHistory.Load(Path.Combine(RecordedHistory.Folder, scenario + ".json"));

    [Theory]
    [MemberData(nameof(Histories))]
    public void ARecordedHistory_ReplaysAgainstTheCurrentSaga(string scenario)
    {
        var history = Load(scenario);
        var divergences = SagaReplayer.Divergences(history, Orchestrator(history.Orchestrator));

        Assert.True(divergences.Count == 0, string.Join("\n", divergences));
    }

    [Fact]
    public void EveryPathOfTodaysSagas_HasARecordedHistory()
    {
        string[] expected =
        [
            "checkout-cancelled-while-waiting-r4", "checkout-cod", "checkout-cod-r3", "checkout-cod-r4",
            "checkout-declined-compensated", "checkout-declined-compensated-r3", "checkout-declined-compensated-r4",
            "checkout-out-of-stock", "checkout-out-of-stock-r3", "checkout-out-of-stock-r4",
            "checkout-payment-silent-r3", "checkout-payment-silent-r4", "checkout-prepaid", "checkout-prepaid-r3",
            "checkout-prepaid-r4", "checkout-promotion-redeemed", "checkout-promotion-redeemed-r3",
            "checkout-promotion-redeemed-r4", "checkout-revision-1", "checkout-split", "checkout-split-r3",
            "checkout-split-r4", "checkout-split-while-redeeming-r4", "fulfillment-cod",
            "fulfillment-cod-cancelled-while-prepared-r5", "fulfillment-cod-r2", "fulfillment-cod-r3",
            "fulfillment-cod-r4", "fulfillment-cod-r5", "fulfillment-held-for-refund-r3",
            "fulfillment-held-for-refund-r4", "fulfillment-held-for-refund-r5", "fulfillment-prepaid",
            "fulfillment-prepaid-r2", "fulfillment-prepaid-r3", "fulfillment-prepaid-r4", "fulfillment-prepaid-r5",
            "fulfillment-refunded-while-prepared-r4", "fulfillment-refunded-while-prepared-r5",
            "fulfillment-replacement-ignores-stray-outcome-r5", "refund-before-shipment", "refund-before-shipment-r2",
        ];

        Assert.Equal(expected, ((IEnumerable<object[]>)Histories()).Select(row => (string)row[0]));
    }
}
