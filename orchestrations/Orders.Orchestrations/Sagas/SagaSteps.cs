using System.Runtime.CompilerServices;
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
    /// <para>
    /// The same actions as the SDK's <c>WaitForExternalEvent(name, timeout)</c> (one durable timer, then the wait), so
    /// histories recorded with either replay alike. The SDK cancels the timer of an answered wait at once; here (for
    /// waits up to <see cref="LongestTimerKeptOpen"/>) it is cancelled when the saga ends (<see cref="RunToEndAsync{T}"/>), which Durable needs before it completes an instance.
    /// Cancelling never removed a timer from the history (Durable delivers it when due, and a fired timer nobody
    /// awaits is ignored either way); it makes the timer's task throw a TaskCanceledException twice inside the SDK,
    /// and at once that was on every replay of every answered wait: 3–5 % of the local host's CPU under load; now it
    /// is once per wait, in the last episode (decision 0031). A wait that times out is cancelled at once, so a late
    /// answer is kept for the next wait of the same name (a re-send's), not consumed.
    /// </para>
    /// </summary>
    public static async Task<T?> WaitAsync<T>(TaskOrchestrationContext context, string eventName, TimeSpan timeout) where T : class
    {
        // A timer longer than Durable's longest (MaximumTimerInterval, 3 days by default; neither host lowers it) is a
        // chain of shorter timers the SDK re-arms for as long as its task is open: left open after the answer, a
        // re-armed timer would be a new action in the middle of the saga. Such a wait cancels its timer at once, as
        // the SDK does (and as every recorded history with such a wait did).
        using var cancelAtOnce = new CancellationTokenSource();
        var keptOpen = timeout <= LongestTimerKeptOpen;
        var timer = context.CreateTimer(timeout, keptOpen ? OpenTimers.Of(context).Add() : cancelAtOnce.Token);
        using var waiting = new CancellationTokenSource();
        var answer = context.WaitForExternalEvent<T>(eventName, waiting.Token);
        if (await Task.WhenAny(timer, answer) == answer)
        {
            if (!keptOpen) cancelAtOnce.Cancel();
            return await answer;
        }
        waiting.Cancel();
        return null;
    }

    /// <summary>The longest wait whose timer is left open after its answer (<see cref="WaitAsync{T}"/>): well below Durable's 3 days.</summary>
    internal static readonly TimeSpan LongestTimerKeptOpen = TimeSpan.FromDays(1);

    /// <summary>
    /// Runs a saga's body, then cancels the timers its answered waits left open (<see cref="WaitAsync{T}"/>): Durable
    /// completes an instance only when none is open. Also when the body throws.
    /// </summary>
    public static async Task<T> RunToEndAsync<T>(TaskOrchestrationContext context, Func<Task<T>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return await body();
        }
        finally
        {
            OpenTimers.Close(context);
        }
    }

    /// <summary>The timers of one execution of a saga (one orchestration context) still open.</summary>
    private sealed class OpenTimers
    {
        private static readonly ConditionalWeakTable<TaskOrchestrationContext, OpenTimers> All = new();
        private readonly List<CancellationTokenSource> _open = [];

        public static OpenTimers Of(TaskOrchestrationContext context) => All.GetValue(context, _ => new OpenTimers());

        public static void Close(TaskOrchestrationContext context)
        {
            if (!All.TryGetValue(context, out var timers)) return;
            All.Remove(context);
            foreach (var open in timers._open)
            {
                open.Cancel(); // a timer that already fired is complete: nothing happens
                open.Dispose();
            }
        }

        public CancellationToken Add()
        {
            var open = new CancellationTokenSource();
            _open.Add(open);
            return open.Token;
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
    /// An answer <paramref name="isOurs"/> refuses (a late or repeated answer about another thing, such as a lost
    /// parcel's while its replacement travels) is ignored and the wait starts again.
    /// </summary>
    public static async Task<T?> WaitOrEscalateAsync<T>(TaskOrchestrationContext context, string saga, string orderId, string eventName,
        TimeSpan timeout, SagaOptions options, string problem, (string Activity, GatewayRequest Request)? resend = null, Func<T, bool>? isOurs = null)
        where T : class
    {
        for (var attempt = 1; ;)
        {
            // With the request to hand, a lost answer is asked for again (same key) while waiting, before any escalation.
            var answer = resend is { } again
                ? await WaitResendingAsync<T>(context, again, eventName, timeout, options, options.Retry())
                : await WaitAsync<T>(context, eventName, timeout);
            if (answer is not null && isOurs is not null && !isOurs(answer))
            {
                context.CreateReplaySafeLogger("Orders.Orchestrations.Sagas.Stray").LogWarning(
                    "{InstanceId} ignored a {EventName} answer about something else: {Answer}", context.InstanceId, eventName, answer);
                continue;
            }
            if (answer is not null) return answer;
            await context.CallActivityAsync<bool>(nameof(EscalateStep), new EscalateRequest(orderId, saga, problem, attempt), options.Retry());
            if (attempt > options.MaxEscalations) return null;
            context.SetCustomStatus(new SagaStatus("escalated", $"{problem} (escalation {attempt})"));
            attempt++;
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
