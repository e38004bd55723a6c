using Orders.Application.Access;
using Orders.Application.Jobs;
using Orders.Application.Ports.Outbound;
using Orders.Contracts.Integration;
using Orders.Domain.Common;
using Orders.Domain.ValueObjects;

namespace Orders.Application.UseCases.Resolutions;

/// <summary>
/// A payment captured that its order never took before it was cancelled (captured after the cancellation, or kept
/// from before it while the order awaited its confirmation) is returned through the refund path: the capture is recorded as
/// the order's payment with a refund of all of it (one fact, CANCELLED stays CANCELLED), and the refund saga reverses
/// it. The integration handler does this by itself as such a capture arrives (<see cref="ExecuteAsync(LateCapture, RequestContext, CancellationToken)"/>);
/// an operator does it for a capture kept in the inbox before that (<see cref="ExecuteAsync(ReturnLateCaptureCommand, RequestContext, long?, CancellationToken)"/>),
/// which also forgets the kept capture and clears the order's flag. The refund saga is the reaction to the recorded
/// <c>order.refund-requested</c> (<see cref="Reactions.OrderReactions"/>).
/// </summary>
public sealed class ReturnLateCapture(OrderCommandRunner runner, IInbox inbox, IStuckOrderLog stuck)
{
    /// <summary>One refund per captured payment, so a capture delivered twice names the same refund.</summary>
    public static string RefundIdFor(string paymentId) =>
        paymentId.Length <= 180 ? "late-capture-" + paymentId
            : "late-capture-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(paymentId)))[..32];

    public async Task<Result<CommandReply>> ExecuteAsync(LateCapture capture, RequestContext request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(capture);
        var refundId = RefundIdFor(capture.PaymentId);
        return await runner.RunAsync(capture.OrderId, OrderCommand.ReturnLateCapture, request, capture,
            (order, context) => order.ReturnLateCapture(capture.PaymentId, capture.Amount, refundId, capture.Reason, context),
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public async Task<Result<CommandReply>> ExecuteAsync(ReturnLateCaptureCommand command, RequestContext request, long? expectedVersion = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(request);
        if (!OrderAccess.MayIssue(request.Caller, OrderCommand.ReturnLateCapture)) return ApplicationRejections.Forbidden("return late captures");
        var parked = (await inbox.ParkedForAsync(command.OrderId.Value, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(p => p.Type == InboundEventTypes.PaymentCaptured);
        var captured = parked is null ? null : (PaymentCaptured)InboundEventReader.ReadData(parked.Type, parked.DataJson);
        var refundId = captured is null ? null : RefundIdFor(captured.PaymentId);

        var result = await runner.RunAsync(command.OrderId, OrderCommand.ReturnLateCapture, request, command, (order, context) =>
            captured is null
                ? ApplicationRejections.NoLateCapture(command.OrderId.Value)
                : order.ReturnLateCapture(captured.PaymentId, Money.Of(captured.Amount.Minor, Currency.Of(captured.Amount.Currency)), refundId!, command.Reason, context),
            expectedVersion, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess || parked is null) return result;

        // The capture is now acted on: a redelivery of it is a duplicate, and it no longer waits in the inbox.
        await inbox.MarkHandledAsync(parked.EventId, parked.Time, cancellationToken).ConfigureAwait(false);
        await inbox.UnparkAsync(command.OrderId.Value, parked.EventId, cancellationToken).ConfigureAwait(false);
        if ((await stuck.GetAsync(command.OrderId, cancellationToken).ConfigureAwait(false))?.Reason == StuckReasons.AnswerCannotApply)
            await stuck.UnflagAsync(command.OrderId, cancellationToken).ConfigureAwait(false);
        return result;
    }
}
