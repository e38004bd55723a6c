using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging;
using Orders.Application.Integration;
using Orders.Contracts.Integration;

namespace Orders.Infrastructure.ServiceBus;

/// <summary>How a received message was settled.</summary>
public enum InboundDisposition
{
    /// <summary>Handled or a duplicate: deleted from the subscription.</summary>
    Completed,

    /// <summary>Unreadable or poison: moved to the dead-letter subqueue with a reason and description.</summary>
    DeadLettered,

    /// <summary>To be delivered again (the handler asked for a retry, or failed transiently).</summary>
    Abandoned,
}

/// <summary>
/// The outcome of processing one message. <see cref="Outcome"/> is the handler's verdict, null when the handler was
/// not called (an unreadable message) or threw.
/// </summary>
public sealed record InboundProcessingResult(InboundDisposition Disposition, InboundOutcome? Outcome, string? Reason = null, string? Description = null);

/// <summary>
/// Turns one Service Bus message from the inbound subscription into a call to <see cref="IntegrationEventHandler"/>,
/// and settles the message explicitly on every path — nothing is dropped silently:
/// <list type="bullet">
/// <item>Handled, Duplicate or Parked (kept in the inbox until the fact it waits for is recorded) → complete.</item>
/// <item>Not a readable CloudEvent of a type Orders accepts, or data that breaks its schema →
/// dead-letter <see cref="InvalidMessageReason"/> with every error in the description; the handler is not called.</item>
/// <item>Poison → dead-letter <see cref="PoisonReason"/> with the handler's reason.</item>
/// <item>An exception from the handler (a transient fault: the store or the saga client unreachable) → hold
/// the message for a backoff, then abandon it with the reason in <see cref="RetryReasonProperty"/>; the broker delivers
/// it again and, past the subscription's MaxDeliveryCount, dead-letters it itself with the reason still on it. The
/// exception is logged, not rethrown: the message is already settled, and a rethrow would only make a Functions host
/// try to settle it a second time.</item>
/// </list>
/// A failure of the settlement call itself (a lost lock) propagates; the broker then redelivers when the lock expires,
/// which the handler's inbox makes harmless.
/// </summary>
public sealed partial class InboundMessageProcessor
{
    public const string InvalidMessageReason = "invalid-message";
    public const string PoisonReason = "poison";

    /// <summary>Application property set on an abandoned message: why it is being retried.</summary>
    public const string RetryReasonProperty = "orders-retry-reason";

    /// <summary>Dead-letter descriptions are message headers; keep them far below the 64 KB header limit.</summary>
    public const int MaxDescriptionLength = 4096;

    private readonly IntegrationEventHandler _handler;
    private readonly ILogger<InboundMessageProcessor> _logger;
    private readonly TimeSpan _retryBase;
    private readonly TimeSpan _retryMax;
    private readonly TimeProvider _time;

    public InboundMessageProcessor(IntegrationEventHandler handler, ILogger<InboundMessageProcessor> logger, ServiceBusOptions? options = null, TimeProvider? time = null)
    {
        _handler = handler ?? throw new ArgumentNullException(nameof(handler));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        options ??= new ServiceBusOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.InboundRetryBaseDelay, TimeSpan.Zero, "options.InboundRetryBaseDelay");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.InboundRetryMaxDelay, options.InboundRetryBaseDelay, "options.InboundRetryMaxDelay");
        _retryBase = options.InboundRetryBaseDelay;
        _retryMax = options.InboundRetryMaxDelay;
        _time = time ?? TimeProvider.System;
    }

    public async Task<InboundProcessingResult> ProcessAsync(ServiceBusReceivedMessage message, IMessageSettlement settlement, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(settlement);

        var read = InboundEventReader.Read(message.Body.ToMemory());
        if (!read.IsValid)
        {
            var description = Truncate($"{read.Failure}: {string.Join("; ", read.Errors)}");
            LogInvalid(_logger, message.MessageId, read.Id, read.Type, description);
            await settlement.DeadLetterAsync(message, InvalidMessageReason, description, cancellationToken).ConfigureAwait(false);
            return new InboundProcessingResult(InboundDisposition.DeadLettered, null, InvalidMessageReason, description);
        }

        var envelope = read.Envelope!;
        var inbound = new InboundEvent(envelope.Id, envelope.Type, envelope.Time, read.Event!, envelope.TraceParent);
        InboundResult result;
        try
        {
            result = await _handler.HandleAsync(inbound, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: hand the message back now rather than let its lock run out.
            await settlement.AbandonAsync(message, RetryProperties("cancelled while handling"), CancellationToken.None).ConfigureAwait(false);
            throw;
        }
#pragma warning disable CA1031 // Any failure of the handler is a reason to retry the message, never to lose it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            var reason = $"handler failed: {e.GetType().Name}: {e.Message}";
            LogHandlerFailed(_logger, e, inbound.EventId, inbound.Type, message.DeliveryCount);
            await AbandonAfterBackoffAsync(message, settlement, reason, cancellationToken).ConfigureAwait(false);
            return new InboundProcessingResult(InboundDisposition.Abandoned, null, reason);
        }

        switch (result.Outcome)
        {
            case InboundOutcome.Handled:
            case InboundOutcome.Duplicate:
            case InboundOutcome.Parked:
                LogCompleted(_logger, inbound.EventId, inbound.Type, result.Outcome);
                await settlement.CompleteAsync(message, cancellationToken).ConfigureAwait(false);
                return new InboundProcessingResult(InboundDisposition.Completed, result.Outcome);
            case InboundOutcome.Poison:
            {
                var description = Truncate(result.Reason ?? "The handler refused the event without a reason.");
                await settlement.DeadLetterAsync(message, PoisonReason, description, cancellationToken).ConfigureAwait(false);
                return new InboundProcessingResult(InboundDisposition.DeadLettered, result.Outcome, PoisonReason, description);
            }
            default:
            {
                // A verdict this processor does not know: keep the message where a person will see it.
                var description = $"Unknown handler outcome {result.Outcome}: {result.Reason}";
                await settlement.DeadLetterAsync(message, PoisonReason, Truncate(description), cancellationToken).ConfigureAwait(false);
                return new InboundProcessingResult(InboundDisposition.DeadLettered, result.Outcome, PoisonReason, description);
            }
        }
    }

    /// <summary>The hold before abandoning delivery <paramref name="deliveryCount"/> (1 for the first): base × 2^(n−1), capped.</summary>
    public TimeSpan RetryDelay(int deliveryCount)
    {
        if (_retryBase <= TimeSpan.Zero) return TimeSpan.Zero;
        var exponent = Math.Clamp(deliveryCount - 1, 0, 30);
        var ticks = Math.Min((double)_retryBase.Ticks * Math.Pow(2, exponent), _retryMax.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }

    private async Task AbandonAfterBackoffAsync(ServiceBusReceivedMessage message, IMessageSettlement settlement, string reason, CancellationToken cancellationToken)
    {
        var delay = RetryDelay(message.DeliveryCount);
        try
        {
            if (delay > TimeSpan.Zero) await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await settlement.AbandonAsync(message, RetryProperties(reason), CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        await settlement.AbandonAsync(message, RetryProperties(reason), cancellationToken).ConfigureAwait(false);
    }

    private static Dictionary<string, object> RetryProperties(string reason) => new(StringComparer.Ordinal) { [RetryReasonProperty] = Truncate(reason) };

    private static string Truncate(string text) => text.Length <= MaxDescriptionLength ? text : string.Concat(text.AsSpan(0, MaxDescriptionLength - 1), "…");

    [LoggerMessage(Level = LogLevel.Error, Message = "Inbound message {MessageId} (event {EventId}, type {Type}) is not a valid integration event; dead-lettered: {Description}")]
    private static partial void LogInvalid(ILogger logger, string messageId, string? eventId, string? type, string description);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Integration event {EventId} ({Type}): {Outcome}")]
    private static partial void LogCompleted(ILogger logger, string eventId, string type, InboundOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handling integration event {EventId} ({Type}) failed on delivery {DeliveryCount}; it will be retried")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string eventId, string type, int deliveryCount);
}
