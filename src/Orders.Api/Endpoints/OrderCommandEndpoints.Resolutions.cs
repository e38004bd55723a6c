using Microsoft.AspNetCore.Http;
using Orders.Api.Http;
using Orders.Api.Problems;
using Orders.Api.Requests;
using Orders.Application.UseCases.Resolutions;

namespace Orders.Api.Endpoints;

/// <summary>
/// The operator's resolutions (decision 0016): ordinary commands on an order (If-Match and a required
/// Idempotency-Key), each recorded in the history with the operator and their reason, none bypassing the sagas.
/// </summary>
public sealed partial class OrderCommandEndpoints
{
    private static readonly string[] Sagas = ["checkout", "fulfillment", "refund"];
    private static readonly string[] LostParcelResolutions = [ResolveLostParcel.ByRefund, ResolveLostParcel.ByReplacement];

    public Task RetrySagaAsync(HttpContext http) => OnOrderAsync<RetrySagaRequest>(http, c =>
    {
        OneOf(c.Body.Saga, Sagas, "saga");
        if (c.Body.Saga == "refund" && string.IsNullOrWhiteSpace(c.Body.RefundId))
            throw new ProblemException(ProblemTypes.Codes.InvalidBody, "refundId is required to retry a refund saga.");
        return Use<RetrySaga>(http).ExecuteAsync(new RetrySagaCommand(c.OrderId, c.Body.Saga, c.Body.RefundId, c.Body.Reason), c.Request, c.ExpectedVersion, c.Cancellation);
    }, StatusCodes.Status202Accepted, keyRequired: true);

    public Task ResolveLostParcelAsync(HttpContext http) => OnOrderAsync<LostParcelRequest>(http, c =>
    {
        OneOf(c.Body.Resolution, LostParcelResolutions, "resolution");
        return Use<ResolveLostParcel>(http).ExecuteAsync(new ResolveLostParcelCommand(c.OrderId, c.Body.ShipmentId, c.Body.Resolution, c.Body.Reason),
            c.Request, c.ExpectedVersion, c.Cancellation);
    }, StatusCodes.Status202Accepted, keyRequired: true);

    public Task RetryRefundAsync(HttpContext http) => OnOrderAsync<RetryRefundRequest>(http, c =>
        Use<RetrySaga>(http).ExecuteAsync(new RetrySagaCommand(c.OrderId, "refund", RouteValues.Required(http, RouteValues.RefundId), c.Body.Reason),
            c.Request, c.ExpectedVersion, c.Cancellation), StatusCodes.Status202Accepted, keyRequired: true);

    public Task SettleRefundAsync(HttpContext http) => OnOrderAsync<SettleRefundRequest>(http, c =>
        Use<SettleRefund>(http).ExecuteAsync(new SettleRefundCommand(c.OrderId, RouteValues.Required(http, RouteValues.RefundId), c.Body.Reference, c.Body.Reason),
            c.Request, c.ExpectedVersion, c.Cancellation), keyRequired: true);

    public Task CancelStuckCheckoutAsync(HttpContext http) => OnOrderAsync<ResolutionReasonRequest>(http, c =>
        Use<CancelStuckCheckout>(http).ExecuteAsync(new CancelStuckCheckoutCommand(c.OrderId, c.Body.Reason), c.Request, c.ExpectedVersion, c.Cancellation),
        keyRequired: true);

    public Task AcknowledgeStuckAsync(HttpContext http) => OnOrderAsync<AcknowledgeStuckRequest>(http, c =>
        Use<AcknowledgeStuck>(http).ExecuteAsync(new AcknowledgeStuckCommand(c.OrderId, c.Body.Note), c.Request, c.ExpectedVersion, c.Cancellation),
        keyRequired: true);

    public Task ReturnLateCaptureAsync(HttpContext http) => OnOrderAsync<ResolutionReasonRequest>(http, c =>
        Use<ReturnLateCapture>(http).ExecuteAsync(new ReturnLateCaptureCommand(c.OrderId, c.Body.Reason), c.Request, c.ExpectedVersion, c.Cancellation),
        StatusCodes.Status202Accepted, keyRequired: true);

    private static void OneOf(string value, string[] allowed, string field)
    {
        if (!allowed.Contains(value, StringComparer.Ordinal))
            throw new ProblemException(ProblemTypes.Codes.InvalidBody, $"{field} must be one of {string.Join(", ", allowed)}, spelled exactly so.");
    }
}
