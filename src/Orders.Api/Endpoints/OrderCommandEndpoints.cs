using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Orders.Api.Http;
using Orders.Api.Problems;
using Orders.Api.Requests;
using Orders.Application;
using Orders.Application.Access;
using Orders.Application.Ports.Outbound;
using Orders.Application.UseCases;
using Orders.Application.UseCases.Commands;
using Orders.Domain.Common;
using Orders.Domain.ValueObjects;

namespace Orders.Api.Endpoints;

/// <summary>
/// The state-changing endpoints. Each parses its request, calls one use case and maps the result; the use case
/// decides who may do what. Commands on an existing order need If-Match and accept an Idempotency-Key.
/// Endpoints only record facts: what follows one (a checkout saga after order.created, a refund saga after
/// order.refund-requested) is the reaction table's to start, from the change log (Orders.Application.Reactions,
/// decision 0026), so a fact committed just before a crash still gets its saga.
/// </summary>
public sealed partial class OrderCommandEndpoints(
    EndpointPipeline pipeline, RequestBodyReader reader, InFlightRequests inFlight, TimeProvider time, ISagaAdmission admission)
{
    /// <summary>A command on an existing order, parsed: for the use case call of one endpoint.</summary>
    public sealed record Call<TBody>(OrderId OrderId, TBody Body, RequestContext Request, long ExpectedVersion, CancellationToken Cancellation);

    public Task CreateAsync(HttpContext http) => pipeline.RunAsync(http, async caller =>
    {
        var key = RequestHeaders.RequiredIdempotencyKey(http.Request);
        var command = (await reader.ReadAsync<CreateOrderRequest>(http.Request)).ToCommand();
        using var lease = Enter(caller, key);
        // Backpressure: refuse (503, Retry-After, nothing written) while the engine carries all the sagas it can. Asked
        // only for a new order: a retry of a create that was made (its answer lost) replays its 201 whatever the load.
        var reply = Unwrap(await Use<CreateOrder>(http).ExecuteAsync(command, Context(http, caller, key), admission.EnsureRoom, http.RequestAborted));
        if (!reply.Replayed) admission.Accepted(reply.Receipt.OrderId);
        http.Response.Headers.Location = OrdersHttpApi.OrderLocation(reply.Receipt.OrderId);
        await Replies.WriteReceiptAsync(http, StatusCodes.Status201Created, reply);
    });

    public Task CancelAsync(HttpContext http) => OnOrderAsync<CancelOrderRequest>(http, c =>
        Use<CancelOrder>(http).ExecuteAsync(new CancelOrderCommand(c.OrderId, c.Body.Reason), c.Request, c.ExpectedVersion, c.Cancellation));

    public Task SplitAsync(HttpContext http) => OnOrderAsync<EmptyRequest>(http, c =>
        Use<SplitOrder>(http).ExecuteAsync(new SplitOrderCommand(c.OrderId), c.Request, c.ExpectedVersion, c.Cancellation), bodyOptional: true);

    public Task CloseAsync(HttpContext http) => OnOrderAsync<EmptyRequest>(http, c =>
        Use<CloseOrder>(http).ExecuteAsync(new CloseOrderCommand(c.OrderId), c.Request, c.ExpectedVersion, c.Cancellation), bodyOptional: true);

    public Task ChangeShippingAddressAsync(HttpContext http) => OnOrderAsync<ShippingAddressRequest>(http, c =>
        Use<ChangeShippingAddress>(http).ExecuteAsync(new ChangeShippingAddressCommand(c.OrderId, c.Body.ToAddress()), c.Request, c.ExpectedVersion, c.Cancellation));

    public Task InitiateRefundAsync(HttpContext http)
    {
        string? refundId = null;
        return OnOrderAsync<InitiateRefundRequest>(http,
            c =>
            {
                refundId = c.Body.RefundId ?? DerivedRefundId(c);
                return Use<InitiateRefund>(http).ExecuteAsync(
                    new InitiateRefundCommand(c.OrderId, refundId, c.Body.Amount.ToMoney(), c.Body.Reason), c.Request, c.ExpectedVersion, c.Cancellation);
            },
            StatusCodes.Status202Accepted,
            (c, _) =>
            {
                http.Response.Headers.Location = OrdersHttpApi.OrderLocation(c.OrderId);
                http.Response.Headers[RequestHeaders.RefundId] = refundId;
                return Task.CompletedTask;
            });
    }

    public Task ConfirmAsync(HttpContext http) => OnOrderAsync<ConfirmOrderRequest>(http, c =>
        Use<ConfirmOrder>(http).ExecuteAsync(new ConfirmOrderCommand(c.OrderId, c.Body.ReservationId, c.Body.PaymentAuthorizationId), c.Request, c.ExpectedVersion, c.Cancellation));

    public Task MarkPaidAsync(HttpContext http) => OnOrderAsync<PaymentRequest>(http, c =>
        Use<MarkOrderPaid>(http).ExecuteAsync(new MarkOrderPaidCommand(c.OrderId, c.Body.PaymentId, c.Body.Amount.ToMoney()), c.Request, c.ExpectedVersion, c.Cancellation));

    public Task ShipAsync(HttpContext http) => OnOrderAsync<ShipOrderRequest>(http, c =>
        Use<RecordShipment>(http).ExecuteAsync(new RecordShipmentCommand(c.OrderId, c.Body.ShipmentId, c.Body.Carrier, c.Body.TrackingNumber), c.Request, c.ExpectedVersion, c.Cancellation));

    public Task DeliverAsync(HttpContext http) => OnOrderAsync<DeliverOrderRequest>(http, c =>
        Use<RecordDelivery>(http).ExecuteAsync(new RecordDeliveryCommand(c.OrderId, c.Body.ShipmentId), c.Request, c.ExpectedVersion, c.Cancellation));

    public Task CashCollectedAsync(HttpContext http) => OnOrderAsync<PaymentRequest>(http, c =>
        Use<RecordCashCollected>(http).ExecuteAsync(new RecordCashCollectedCommand(c.OrderId, c.Body.PaymentId, c.Body.Amount.ToMoney()), c.Request, c.ExpectedVersion, c.Cancellation));

    public Task CompleteRefundAsync(HttpContext http) => OnOrderAsync<EmptyRequest>(http, c =>
        Use<RecordRefund>(http).ExecuteAsync(new RecordRefundCommand(c.OrderId, RouteValues.Required(http, RouteValues.RefundId)), c.Request, c.ExpectedVersion, c.Cancellation),
        bodyOptional: true);

    /// <summary>Route, If-Match, Idempotency-Key, body, in-flight guard, use case, answer.</summary>
    private Task OnOrderAsync<TBody>(
        HttpContext http,
        Func<Call<TBody>, Task<Result<CommandReply>>> execute,
        int status = StatusCodes.Status200OK,
        Func<Call<TBody>, CommandReply, Task>? after = null,
        bool bodyOptional = false,
        bool keyRequired = false) where TBody : class =>
        pipeline.RunAsync(http, async caller =>
        {
            var orderId = RouteValues.Order(http);
            var expectedVersion = RequestHeaders.RequiredIfMatch(http.Request);
            var key = keyRequired ? RequestHeaders.RequiredIdempotencyKey(http.Request) : RequestHeaders.OptionalIdempotencyKey(http.Request);
            var body = await reader.ReadAsync<TBody>(http.Request, bodyOptional);
            using var lease = key is null ? null : Enter(caller, key);
            var call = new Call<TBody>(orderId, body, Context(http, caller, key), expectedVersion, http.RequestAborted);
            var reply = Unwrap(await execute(call));
            if (after is not null) await after(call, reply);
            await Replies.WriteReceiptAsync(http, status, reply);
        });

    private IDisposable Enter(Caller caller, string key) =>
        inFlight.TryEnter(caller, key)
        ?? throw new ProblemException(ProblemTypes.Codes.InFlight, "A request with this Idempotency-Key is still being processed; retry later for its answer.");

    private RequestContext Context(HttpContext http, Caller caller, string? key) =>
        new(caller, time.GetUtcNow(), "http:" + http.TraceIdentifier, key);

    private static T Use<T>(HttpContext http) where T : notnull => http.RequestServices.GetRequiredService<T>();

    private static CommandReply Unwrap(Result<CommandReply> result) =>
        result.IsSuccess ? result.Value! : throw ProblemException.From(result.Rejection!);

    /// <summary>A refund id that a retry with the same Idempotency-Key derives again, so it names the same refund.</summary>
    private static string DerivedRefundId<TBody>(Call<TBody> call)
    {
        var key = call.Request.IdempotencyKey
            ?? throw new ProblemException(ApplicationRejections.Codes.KeyMissing, "Send a refundId or an Idempotency-Key (the refund's id is derived from it).");
        var caller = call.Request.Caller;
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"refund\n{caller.Kind}\n{caller.Id}\n{call.OrderId.Value}\n{key}"));
        return "rf-" + Convert.ToHexStringLower(digest)[..32];
    }
}
