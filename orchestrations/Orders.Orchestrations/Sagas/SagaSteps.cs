using Microsoft.DurableTask;
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
    /// Waits, and each time the answer does not come, escalates (an alarm and a notification) and waits again, up to
    /// <see cref="SagaOptions.MaxEscalations"/> times. Null when it never came: the caller ends the saga as escalated.
    /// </summary>
    public static async Task<T?> WaitOrEscalateAsync<T>(TaskOrchestrationContext context, string saga, string orderId, string eventName,
        TimeSpan timeout, SagaOptions options, string problem) where T : class
    {
        for (var attempt = 1; ; attempt++)
        {
            var answer = await WaitAsync<T>(context, eventName, timeout);
            if (answer is not null) return answer;
            await context.CallActivityAsync<bool>(nameof(EscalateStep), new EscalateRequest(orderId, saga, problem, attempt), options.Retry());
            if (attempt > options.MaxEscalations) return null;
            context.SetCustomStatus(new SagaStatus("escalated", $"{problem} (escalation {attempt})"));
        }
    }

    /// <summary>An idempotency key for a request this saga makes: the same on every replay and retry.</summary>
    public static string Key(TaskOrchestrationContext context, string step) => $"{context.InstanceId}:{step}";
}
