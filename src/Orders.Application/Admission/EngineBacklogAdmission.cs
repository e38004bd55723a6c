using System.Globalization;
using Microsoft.Extensions.Logging;
using Orders.Domain.ValueObjects;

using Orders.Application.Ports.Outbound;

namespace Orders.Application.Admission;

/// <summary>
/// Admission for an engine whose load this process cannot count (the function app's: Durable Functions on Azure
/// Storage, shared by every instance of the app). A create is refused with 503 and <c>Retry-After</c> while the
/// engine is behind. Without it a burst is accepted at the HTTP layer's pace and starved at the engine's: a checkout
/// that has not started cannot ask for payment, and auto-cancel ends it at its payment deadline as unpaid (seen on
/// the function app over Azurite, decision 0040).
/// <para>
/// What waits for the engine, in two places: the changes the saga-starts lane has not read (an accepted create's
/// checkout starts only when the lane reaches it: <see cref="_lane"/>), then the due messages in the engine's queues
/// (<see cref="_engine"/>). Both are measured every <see cref="EngineBacklogLimits.Interval"/> by
/// <see cref="RefreshAsync"/> (the host's loop). Creates are refused while the oldest of that work has waited longer
/// than <see cref="EngineBacklogLimits.MaxEngineLag"/>, or while <see cref="EngineBacklogLimits.MaxWaiting"/> items or
/// more wait. Measurements alone would react late to a burst: between two of them hundreds of creates can be
/// accepted, and the oldest one's wait grows with the clock, not with how many were accepted behind it. So the
/// creates this process accepted (<see cref="Accepted"/>) and the lane has not read yet are counted live, with the
/// wait of the oldest of them: that count is exact for one instance and a lower bound with several.
/// </para>
/// <para>
/// <see cref="EnsureRoom"/> runs on every create and never waits. Fails open: with no measurement newer than
/// <see cref="EngineBacklogLimits.StaleAfter"/> (the backlog cannot be read) creates are admitted and the health report
/// says the backlog is not measured. An order accepted then is recorded and its checkout starts when the engine runs
/// again; refusing every create because a probe failed would turn a monitoring fault into an outage.
/// </para>
/// </summary>
public sealed partial class EngineBacklogAdmission : ISagaAdmission, IAdmissionReport
{
    private readonly IEngineBacklogProbe _lane;
    private readonly IEngineBacklogProbe _engine;
    private readonly TimeProvider _time;
    private readonly ILogger<EngineBacklogAdmission> _logger;
    private readonly Lock _gate = new();
    // When each create this process accepted was accepted, oldest first, until the lane is known to have read it.
    private readonly Queue<DateTimeOffset> _accepted = new();
    private volatile Measurement? _last;
    private string? _lastFailure;
    private string? _lastLoggedFailure;
    private bool _closed;

    /// <param name="lane">The saga-starts lane's unread changes (<see cref="ChangeLogBacklogProbe"/>).</param>
    /// <param name="engine">The engine's queued work (on Azure Storage, the task hub's queues).</param>
    public EngineBacklogAdmission(IEngineBacklogProbe lane, IEngineBacklogProbe engine, EngineBacklogLimits limits, TimeProvider time,
        ILogger<EngineBacklogAdmission> logger)
    {
        _lane = lane ?? throw new ArgumentNullException(nameof(lane));
        _engine = engine ?? throw new ArgumentNullException(nameof(engine));
        Limits = (limits ?? throw new ArgumentNullException(nameof(limits))).Validated();
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    public EngineBacklogLimits Limits { get; }

    public void EnsureRoom()
    {
        if (Reason(Current()) is not { } reason) return;
        throw new SagasSaturatedException($"The saga engine is behind: {reason}.", Limits.RetryAfter);
    }

    public void Accepted(OrderId orderId)
    {
        ArgumentNullException.ThrowIfNull(orderId);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            // Bounded: past the limit the count already refuses, and the oldest entry is the one that matters for the wait.
            if (_accepted.Count > Limits.MaxWaiting && Limits.MaxWaiting > 0) return;
            _accepted.Enqueue(now);
        }
    }

    /// <summary>Measures the backlog once (the host calls it every <see cref="EngineBacklogLimits.Interval"/>). Never throws but for cancellation.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        var startedAt = _time.GetUtcNow();
        EngineBacklog lane, engine;
        Task<EngineBacklog>? laneRead = null, engineRead = null;
        try
        {
            laneRead = _lane.MeasureAsync(cancellationToken);
            engineRead = _engine.MeasureAsync(cancellationToken);
            await Task.WhenAll(laneRead, engineRead).ConfigureAwait(false);
            (lane, engine) = (laneRead.Result, engineRead.Result);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The fault's own text (a dependency's message: hosts, SDK retry advice) goes to the log only; the health
            // report names the part that could not be read (known defect 10's rule).
            var failure = $"{e.GetType().Name}: {e.Message}";
            if (failure != _lastLoggedFailure) ProbeFailed(_logger, failure);
            _lastLoggedFailure = failure;
            // A probe that threw before returning its task failed; one never started (the lane threw first) did not.
            var what = (laneRead is null || laneRead.IsFaulted || laneRead.IsCanceled,
                        laneRead is not null && (engineRead is null || engineRead.IsFaulted || engineRead.IsCanceled)) switch
            {
                (true, true) => "neither the saga-starts lane's unread changes nor the engine's queued work could be read",
                (true, false) => "the saga-starts lane's unread changes could not be read",
                _ => "the engine's queued work could not be read",
            };
            _lastFailure = $"{what}: {KindOf(e)}";
            return;
        }
        _lastFailure = null;
        _lastLoggedFailure = null;
        var at = _time.GetUtcNow();
        // Every change stored before the oldest unread one has been read (before the read began, when none is unread),
        // and an accepted create's change was stored before it was counted: those creates are the lane's past.
        var readUpTo = lane.Waiting > 0 ? at - lane.OldestWait : startedAt;
        lock (_gate)
            while (_accepted.Count > 0 && _accepted.Peek() < readUpTo) _accepted.Dequeue();
        var measurement = new Measurement(lane, engine, at);
        _last = measurement;
        var reason = Reason(measurement);
        if (reason is not null && !_closed) Closed(_logger, reason);
        else if (reason is null && _closed) Reopened(_logger, Describe(Now(measurement)));
        _closed = reason is not null;
    }

    public AdmissionReport Report()
    {
        var current = Current();
        if (current is null)
            return new AdmissionReport(AdmissionState.Unmeasured,
                $"The engine's backlog has not been measured for {Limits.StaleAfter.TotalSeconds:0} s{(_lastFailure is { } failure ? $" ({failure})" : "")}; creates are admitted.");
        return Reason(current) is { } reason
            ? new AdmissionReport(AdmissionState.Closed, $"Creates are refused: {reason}.")
            : new AdmissionReport(AdmissionState.Open, $"Creates are admitted: {Describe(Now(current))}.");
    }

    /// <summary>The last measurement if it is recent enough to act on.</summary>
    private Measurement? Current()
    {
        var last = _last;
        return last is not null && _time.GetUtcNow() - last.At <= Limits.StaleAfter ? last : null;
    }

    /// <summary>
    /// The backlog now: the lane's unread changes (at least the creates accepted here since it last read), then the
    /// engine's queued work; the longest wait among the measured ones and the oldest create counted here.
    /// </summary>
    private EngineBacklog Now(Measurement measurement)
    {
        int accepted;
        DateTimeOffset? oldestAccepted;
        lock (_gate)
        {
            accepted = _accepted.Count;
            oldestAccepted = accepted > 0 ? _accepted.Peek() : null;
        }
        var wait = measurement.Lane.OldestWait > measurement.Engine.OldestWait ? measurement.Lane.OldestWait : measurement.Engine.OldestWait;
        if (oldestAccepted is { } oldest && _time.GetUtcNow() - oldest is var waited && waited > wait) wait = waited;
        return new EngineBacklog(Math.Max(measurement.Lane.Waiting, accepted) + measurement.Engine.Waiting, wait);
    }

    private string? Reason(Measurement? measurement)
    {
        if (measurement is null) return null;
        var backlog = Now(measurement);
        if (backlog.OldestWait > Limits.MaxEngineLag)
            return string.Create(CultureInfo.InvariantCulture,
                $"the oldest work waiting for it has waited {backlog.OldestWait.TotalSeconds:0.0} s (at most {Limits.MaxEngineLag.TotalSeconds:0.###} s admits creates), {backlog.Waiting} items waiting");
        if (Limits.MaxWaiting > 0 && backlog.Waiting >= Limits.MaxWaiting)
            return string.Create(CultureInfo.InvariantCulture,
                $"{backlog.Waiting} items are waiting for it (fewer than {Limits.MaxWaiting} admit creates), the oldest for {backlog.OldestWait.TotalSeconds:0.0} s");
        return null;
    }

    private static string Describe(EngineBacklog backlog) =>
        string.Create(CultureInfo.InvariantCulture, $"{backlog.Waiting} items waiting for the saga engine, the oldest for {backlog.OldestWait.TotalSeconds:0.0} s");

    private sealed record Measurement(EngineBacklog Lane, EngineBacklog Engine, DateTimeOffset At);

    /// <summary>
    /// What kind of fault it was, in words that carry none of the dependency's own text: the health report is read by
    /// callers, and in the function app a background service's log does not reach the Functions host's log unless a
    /// telemetry exporter is configured (the host drops worker logs without an invocation id), so the report is where
    /// an operator looks first.
    /// </summary>
    internal static string KindOf(Exception e)
    {
        // The Azure SDK wraps its retries' faults ("Retry failed after 2 tries"): the first one says what happened.
        while (e is AggregateException { InnerExceptions.Count: > 0 } many) e = many.InnerExceptions[0];
        return e switch
        {
            StoreUnavailableException store => store.PublicReason,
            OperationCanceledException or TimeoutException => "it timed out",
            HttpRequestException => "it could not be reached",
            _ => $"it failed ({e.GetType().Name})",
        };
    }

    [LoggerMessage(EventId = 7501, EventName = "AdmissionClosed", Level = LogLevel.Warning,
        Message = "Creates are refused with 503 until the saga engine catches up: {Reason}")]
    private static partial void Closed(ILogger logger, string reason);

    [LoggerMessage(EventId = 7502, EventName = "AdmissionReopened", Level = LogLevel.Information,
        Message = "Creates are admitted again: {Backlog}")]
    private static partial void Reopened(ILogger logger, string backlog);

    [LoggerMessage(EventId = 7503, EventName = "EngineBacklogUnreadable", Level = LogLevel.Warning,
        Message = "The saga engine's backlog cannot be read; creates are admitted unmeasured: {Failure}")]
    private static partial void ProbeFailed(ILogger logger, string failure);
}

/// <summary>The thresholds of <see cref="EngineBacklogAdmission"/> (function app settings <c>Orders__Admission__*</c>).</summary>
public sealed record EngineBacklogLimits
{
    /// <summary>Creates are refused while the oldest work waiting for the engine has waited longer than this.</summary>
    public TimeSpan MaxEngineLag { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Creates are refused while this many items or more wait for the engine; 0: no count limit.</summary>
    public long MaxWaiting { get; init; } = 1_000;

    /// <summary>How often the backlog is measured.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A measurement older than this is not acted on (creates are admitted; the health report says so).</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a refused caller is told to wait.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(5);

    public EngineBacklogLimits Validated()
    {
        if (MaxEngineLag <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(MaxEngineLag), MaxEngineLag, "The engine lag limit must be positive.");
        if (MaxWaiting < 0) throw new ArgumentOutOfRangeException(nameof(MaxWaiting), MaxWaiting, "The waiting-items limit must be 0 (none) or more.");
        if (Interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Interval), Interval, "The interval must be positive.");
        if (StaleAfter < Interval) throw new ArgumentOutOfRangeException(nameof(StaleAfter), StaleAfter, "A measurement must stay usable for at least one interval.");
        if (RetryAfter <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RetryAfter), RetryAfter, "Retry-After must be positive.");
        return this;
    }
}

/// <summary>An admission that can say whether creates are admitted now, and why (the health report's <c>admission</c> check).</summary>
public interface IAdmissionReport
{
    AdmissionReport Report();
}

public enum AdmissionState
{
    Open,
    Closed,
    Unmeasured,
}

public sealed record AdmissionReport(AdmissionState State, string Description);
