using Microsoft.Extensions.Logging;

namespace Orders.Application.Jobs;

/// <summary>
/// The jobs' structured log events. Alert rules query them by event name and properties (e.g. <c>OrderStuck</c> with
/// <c>OrderId</c>, <c>Status</c>, <c>Reason</c>), so names and property names are a contract: change them with the alerts.
/// </summary>
internal static partial class JobLog
{
    [LoggerMessage(EventId = 7001, EventName = "OrderAutoCancelled", Level = LogLevel.Information,
        Message = "Order {OrderId} auto-cancelled: payment not received by {PaymentDueBy}")]
    public static partial void OrderAutoCancelled(ILogger logger, string orderId, DateTimeOffset paymentDueBy);

    [LoggerMessage(EventId = 7002, EventName = "AutoCancelRefused", Level = LogLevel.Warning,
        Message = "Order {OrderId} was overdue but refused auto-cancel: {Code}")]
    public static partial void AutoCancelRefused(ILogger logger, string orderId, string code);

    [LoggerMessage(EventId = 7003, EventName = "AutoCancelHeld", Level = LogLevel.Debug,
        Message = "Order {OrderId} is past its payment deadline but its payment {PaymentId} was captured at {CapturedAt}: not cancelled; the capture waits for the confirmation")]
    public static partial void AutoCancelHeld(ILogger logger, string orderId, string paymentId, DateTimeOffset capturedAt);

    [LoggerMessage(EventId = 7101, EventName = "OrderStuck", Level = LogLevel.Warning,
        Message = "Order {OrderId} is stuck in {Status} since {Since}: {Reason} ({Detail})")]
    public static partial void OrderStuck(ILogger logger, string orderId, string status, string reason, string detail, DateTimeOffset since);

    [LoggerMessage(EventId = 7102, EventName = "OrderUnstuck", Level = LogLevel.Information,
        Message = "Order {OrderId} is no longer stuck (now {Status})")]
    public static partial void OrderUnstuck(ILogger logger, string orderId, string status);

    [LoggerMessage(EventId = 7201, EventName = "ReconcileRepaired", Level = LogLevel.Information,
        Message = "Reconcile repaired order {OrderId}: {Kind} ({Detail})")]
    public static partial void Repaired(ILogger logger, string? orderId, string kind, string detail);

    [LoggerMessage(EventId = 7202, EventName = "ReconcileFinding", Level = LogLevel.Warning,
        Message = "Reconcile found a problem with {OrderId}: {Kind} ({Detail})")]
    public static partial void Reported(ILogger logger, string? orderId, string kind, string detail);

    [LoggerMessage(EventId = 7401, EventName = "OrderSkipped", Level = LogLevel.Error,
        Message = "Job {Job} skipped order {OrderId}, flagged {Kind}: {Detail}")]
    public static partial void OrderSkipped(ILogger logger, string job, string orderId, string kind, string detail);

    [LoggerMessage(EventId = 7301, EventName = "JobRunFailed", Level = LogLevel.Error,
        Message = "Job {Job} failed; it runs again at its next occurrence")]
    public static partial void RunFailed(ILogger logger, string job, Exception exception);
}
