using Microsoft.DurableTask;
using Orders.Application.Telemetry;
using Microsoft.Extensions.Logging;
using Orders.Orchestrations.Activities;

namespace Orders.Orchestrations.Sagas;

/// <summary>Deterministic building blocks the three sagas share.</summary>
internal static class SagaSteps
{
    /// <summary>
    /// Waits for <paramref name="eventName"/> until a durable timer at now + <paramref name="timeout"/>; null on timeout.
    /// The loser is cancelled so no timer or wait is left pending in the history.
    /// </summary>
    public static async Task<T?> WaitAsync<T>(TaskOrchestrationContext context, string eventName, TimeSpan timeout) where T : class
    {
        try
        {
            // The SDK races the wait with a durable timer and cancels the loser.
            return await context.WaitForExternalEvent<T>(eventName, timeout);
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/> through <paramref name="activity"/> and waits for <paramref name="eventName"/>
    /// until now + <paramref name="timeout"/>; while no answer comes, sends the same request again (same idempotency
    /// key: the other domain acts once and answers again) after <see cref="SagaOptions.ResendAfter"/>, then twice as
    /// long each time, at most <see cref="SagaOptions.MaxResends"/> times. Null when the deadline passes unanswered.
    /// An answer raised while the saga is between two waits is kept by the engine for the next wait.
    /// </summary>
    public static async Task<T?> AskAsync<T>(TaskOrchestrationContext context, string activity, GatewayRequest request, string eventName,
        TimeSpan timeout, SagaOptions options, TaskOptions retry) where T : class
    {
        var asked = context.CurrentUtcDateTime;
        await context.CallActivityAsync<bool>(activity, request, retry);
        return await AwaitAskedAsync<T>(context, activity, request, eventName, timeout, options, retry, asked);
    }

    /// <summary>
    /// The wait of <see cref="AskAsync{T}"/> for a request another step already sent at <paramref name="asked"/> (a
    /// checkout's first step asks for the stock itself): re-sent through <paramref name="activity"/> the same way.
    /// </summary>
    public static async Task<T?> AwaitAskedAsync<T>(TaskOrchestrationContext context, string activity, GatewayRequest request, string eventName,
        TimeSpan timeout, SagaOptions options, TaskOptions retry, DateTime asked) where T : class
    {
        var answer = await WaitResendingAsync<T>(context, (activity, request), eventName, timeout, options, retry);
        // Recorded once, when the step really completes (never while replaying), on the orchestration's own clock.
        if (!context.IsReplaying)
            OrdersTelemetry.SagaStepDuration.Record((context.CurrentUtcDateTime - asked).TotalSeconds,
                new("saga", context.Name.Name), new("step", activity), new("outcome", answer is null ? "timed-out" : "answered"));
        return answer;
    }

    /// <summary>The wait of <see cref="AskAsync{T}"/>, for a request already sent.</summary>
    private static async Task<T?> WaitResendingAsync<T>(TaskOrchestrationContext context, (string Activity, GatewayRequest Request) resend, string eventName,
        TimeSpan timeout, SagaOptions options, TaskOptions retry) where T : class
    {
        var deadline = context.CurrentUtcDateTime + timeout;
        var interval = options.ResendAfter > TimeSpan.Zero ? options.ResendAfter : timeout;
        for (var resends = 0; ; resends++)
        {
            var remaining = deadline - context.CurrentUtcDateTime;
            if (remaining < TimeSpan.Zero) remaining = TimeSpan.Zero;
            var slice = resends < options.MaxResends && interval < remaining ? interval : remaining;
            var answer = await WaitAsync<T>(context, eventName, slice);
            if (answer is not null || slice >= remaining) return answer;
            context.SetCustomStatus(new SagaStatus("re-sending", $"{resend.Activity}: no answer after {slice.TotalSeconds:0}s (re-send {resends + 1} of {options.MaxResends})"));
            context.CreateReplaySafeLogger("Orders.Orchestrations.Sagas.Resend").LogWarning(
                "{InstanceId} re-sending {Activity}: no answer after {Seconds:0}s (re-send {Resend} of {MaxResends})",
                context.InstanceId, resend.Activity, slice.TotalSeconds, resends + 1, options.MaxResends);
            await context.CallActivityAsync<bool>(resend.Activity, resend.Request, retry);
            interval += interval;
        }
    }

    /// <summary>
    /// Waits (re-sending <paramref name="resend"/> as <see cref="AskAsync{T}"/> does, when given), and each time the
    /// answer does not come, escalates (an alarm and a notification) and waits again, up to
    /// <see cref="SagaOptions.MaxEscalations"/> times. Null when it never came: the caller ends the saga as escalated.
    /// </summary>
    public static async Task<T?> WaitOrEscalateAsync<T>(TaskOrchestrationContext context, string saga, string orderId, string eventName,
        TimeSpan timeout, SagaOptions options, string problem, (string Activity, GatewayRequest Request)? resend = null) where T : class
    {
        for (var attempt = 1; ; attempt++)
        {
            // With the request to hand, a lost answer is asked for again (same key) while waiting, before any escalation.
            var answer = resend is { } again
                ? await WaitResendingAsync<T>(context, again, eventName, timeout, options, options.Retry())
                : await WaitAsync<T>(context, eventName, timeout);
            if (answer is not null) return answer;
            await context.CallActivityAsync<bool>(nameof(EscalateStep), new EscalateRequest(orderId, saga, problem, attempt), options.Retry());
            if (attempt > options.MaxEscalations) return null;
            context.SetCustomStatus(new SagaStatus("escalated", $"{problem} (escalation {attempt})"));
        }
    }

    /// <summary>An idempotency key for a request this saga makes: the same on every replay and retry.</summary>
    public static string Key(TaskOrchestrationContext context, string step) => $"{context.InstanceId}:{step}";
}

/// <summary>
/// The buyer's notices of a saga revision that sends them with the step recording the fact (checkout 3, fulfillment 2,
/// refund 2): the buyer, when the saga's facts know it, saves the step a read of the order.
/// </summary>
internal sealed record BuyerNoticeFor(string? BuyerId)
{
    public BuyerNotice Of(string template, string? detail = null) => new(template, detail, BuyerId);
}
