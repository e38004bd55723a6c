using System.Text.Json.Nodes;
using Microsoft.DurableTask;
using Orders.Orchestrations.Activities;
using Orders.Orchestrations.Sagas;
using P = Microsoft.DurableTask.Protobuf;

namespace Orders.Orchestrations.Tests.Replay;

/// <summary>The replay test can fail: saga changes that would break instances in flight are caught.</summary>
public sealed class ReplayCatchesChangesTests
{
    private static RecordedHistory Load(string scenario) => RecordedHistory.Load(Path.Combine(RecordedHistory.Folder, scenario + ".json"));

    [Fact]
    public void ASagaThatAsksForMoneyBeforeTheStock_DivergesFromTheRecordedCheckout()
    {
        var divergences = SagaReplayer.Divergences(Load("checkout-prepaid"), new CheckoutPayingFirst());

        Assert.NotEmpty(divergences);
        var first = divergences[0];
        Assert.Contains("episode 2 ", first, StringComparison.Ordinal);
        Assert.Contains($"recorded [#1 activity {nameof(RequestStock)}]", first, StringComparison.Ordinal);
        Assert.Contains($"replayed [#1 activity {nameof(InitiatePaymentStep)}]", first, StringComparison.Ordinal);
    }

    [Fact]
    public void AStepAddedWithoutANewRevision_DivergesFromAnInstanceThatRanWithoutIt()
    {
        // The instance ran as revision 1 (no promotions step). Had the step shipped without a revision, the current code
        // would meet this history as if it were its own: make the instance claim the current revision to see what happens.
        // (Revision 2 is the one that added the step.)
        var history = Load("checkout-revision-1");

        var divergences = SagaReplayer.Divergences(ClaimingRevision(history, 2), new CheckoutSaga());

        Assert.NotEmpty(divergences);
        Assert.Contains($"activity {nameof(RedeemPromotionsStep)}", divergences[0], StringComparison.Ordinal);
        Assert.Empty(SagaReplayer.Divergences(history, new CheckoutSaga())); // as it really ran, it replays
    }

    [Fact]
    public void FewerStepsWithoutANewRevision_DivergeFromAnInstanceThatRanAsRevision2()
    {
        // Revision 3 loads the facts and asks for the stock in one step (decision 0031). Met by a revision-2 instance
        // as its own, the first step already differs.
        var history = Load("checkout-prepaid");

        var divergences = SagaReplayer.Divergences(ClaimingRevision(history, 3), new CheckoutSaga());

        Assert.NotEmpty(divergences);
        Assert.Contains($"recorded [#0 activity {nameof(LoadOrderFacts)}]", divergences[0], StringComparison.Ordinal);
        Assert.Contains($"replayed [#0 activity {nameof(BeginCheckoutStep)}]", divergences[0], StringComparison.Ordinal);
        Assert.Empty(SagaReplayer.Divergences(history, new CheckoutSaga()));
    }

    /// <summary>The history as if its instance had been started with <paramref name="revision"/> in its input.</summary>
    private static RecordedHistory ClaimingRevision(RecordedHistory history, int revision)
    {
        var started = history.Events.Single(e => e.EventTypeCase == P.HistoryEvent.EventTypeOneofCase.ExecutionStarted).ExecutionStarted;
        var input = JsonNode.Parse(started.Input)!.AsObject();
        input["Version"] = revision;
        return history with { Events = [.. history.Events.Select(e => e.EventTypeCase == P.HistoryEvent.EventTypeOneofCase.ExecutionStarted ? WithInput(e, input) : e)] };
    }

    private static P.HistoryEvent WithInput(P.HistoryEvent started, JsonObject input)
    {
        var copy = started.Clone();
        copy.ExecutionStarted.Input = input.ToJsonString();
        return copy;
    }

    /// <summary>Today's checkout with two steps swapped: the payment is asked for before the stock is reserved.</summary>
    private sealed class CheckoutPayingFirst : TaskOrchestrator<CheckoutInput, SagaOutcome>
    {
        public override async Task<SagaOutcome> RunAsync(TaskOrchestrationContext context, CheckoutInput input)
        {
            var order = await context.CallActivityAsync<OrderFacts?>(nameof(LoadOrderFacts), new LoadOrderRequest(input.OrderId));
            if (order is null) return new SagaOutcome(SagaResult.Missing);
            await context.CallActivityAsync<bool>(nameof(InitiatePaymentStep), new GatewayRequest(input.OrderId, $"{context.InstanceId}:pay"));
            await context.CallActivityAsync<bool>(nameof(RequestStock), new GatewayRequest(input.OrderId, $"{context.InstanceId}:reserve"));
            return new SagaOutcome(SagaResult.Confirmed);
        }
    }
}
