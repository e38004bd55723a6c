using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;
using Orders.Application;
using Orders.Domain.OrderAggregate;
using static Orders.Application.ApplicationRejections.Codes;
using static Orders.Domain.OrderAggregate.OrderRejections.Codes;

namespace Orders.Api.Problems;

/// <summary>
/// The one table from every refusal code to its problem type and HTTP status: the order's rejections, the
/// application's, the transport's own, and the invalid values the domain's constructors refuse. A test proves that
/// every code in <see cref="OrderRejections.AllCodes"/> and <see cref="ApplicationRejections.AllCodes"/> is here.
/// </summary>
public static class ProblemTypes
{
    /// <summary>Codes that only the HTTP adapter gives.</summary>
    public static class Codes
    {
        public const string MalformedJson = "request.malformed-json";
        public const string InvalidBody = "request.invalid-body";
        public const string BodyTooLarge = "request.body-too-large";
        public const string UnsupportedMediaType = "request.unsupported-media-type";
        public const string InvalidQuery = "request.invalid-query";
        public const string IfMatchRequired = "request.if-match-required";
        public const string IfMatchInvalid = "request.if-match-invalid";
        public const string KeyInvalid = "idempotency.key-invalid";
        public const string InFlight = "idempotency.in-flight";
        public const string Unauthenticated = "auth.unauthenticated";
        public const string InvalidPrincipal = "auth.invalid-principal";
        public const string ServerError = "server.error";
        public const string MalformedRequest = "request.malformed";
        public const string UnknownRoute = "request.unknown-route";
        public const string MethodNotAllowed = "request.method-not-allowed";
        public const string StoreUnavailable = "server.store-unavailable";
        public const string ImportEmpty = "import.empty";
        public const string ImportAllLinesRefused = "import.all-lines-refused";
        public const string SagasSaturated = "server.sagas-saturated";
        public const string SagaEngineUnavailable = "server.saga-engine-unavailable";
    }

    private const int Conflict = StatusCodes.Status409Conflict;
    private const int Unprocessable = StatusCodes.Status422UnprocessableEntity;

    private static readonly FrozenDictionary<string, ProblemType> Table = new ProblemType[]
    {
        // The transport.
        new(Codes.MalformedJson, 400, "The body is not well-formed JSON"),
        new(Codes.InvalidBody, 400, "The body does not match the request schema"),
        // 400 as the API's brief asks (413 Content Too Large would be the more specific status).
        new(Codes.BodyTooLarge, 400, "The body is too large"),
        new(Codes.UnsupportedMediaType, 415, "The body must be application/json in UTF-8"),
        new(Codes.InvalidQuery, 400, "A query parameter is invalid"),
        new(Codes.IfMatchRequired, 428, "If-Match is required"),
        new(Codes.IfMatchInvalid, 400, "If-Match must be one strong ETag such as \"3\""),
        new(Codes.KeyInvalid, 400, "The Idempotency-Key is invalid"),
        new(Codes.InFlight, Conflict, "A request with this Idempotency-Key is still being processed"),
        new(Codes.Unauthenticated, 401, "Authentication is required"),
        new(Codes.InvalidPrincipal, 401, "The caller's identity is not usable"),
        new(Codes.ServerError, 500, "An unexpected error occurred"),
        new(Codes.MalformedRequest, 400, "The HTTP request is malformed"),
        new(Codes.UnknownRoute, 404, "No such resource"),
        new(Codes.MethodNotAllowed, 405, "This resource does not support the method"),
        new(Codes.StoreUnavailable, 503, "The store is unavailable; retry later"),
        new(Codes.ImportEmpty, 400, "The import holds no orders"),
        new(Codes.ImportAllLinesRefused, Unprocessable, "Every line of the import was refused"),
        new(Codes.SagasSaturated, 503, "Too many orders are in checkout; retry later"),
        new(Codes.SagaEngineUnavailable, 503, "The saga engine is unavailable; retry later"),

        // The application.
        new(NotFound, 404, "Order not found"),
        new(Forbidden, 403, "Not allowed"),
        new(AlreadyExists, Conflict, "Order already exists"),
        new(ConcurrencyConflict, Conflict, "The order changed concurrently; retry"),
        new(VersionMismatch, 412, "The order is not at the version in If-Match"),
        new(KeyReused, Unprocessable, "Idempotency-Key reused with a different request"),
        new(KeyMissing, 400, "Idempotency-Key is required"),
        new(HistoryBroken, Conflict, "The order's stored history is broken"),
        new(SagaRunning, Conflict, "The saga is still running"),
        new(SagaNotAwaited, Conflict, "The order does not wait on this saga"),
        new(NotStuck, Conflict, "The order is not flagged as stuck"),
        new(NoLateCapture, Conflict, "No late capture is kept for this order"),
        new(HistoryNotAPrefix, Conflict, "The order's history does not extend the kept digest"),

        // The order: refusals by its state are conflicts; requests that do not fit the order are unprocessable.
        new(Invalid, Unprocessable, "The order is not valid"),
        new(NotConfirmable, Conflict, "The order cannot be confirmed"),
        new(AlreadyConfirmed, Conflict, "The order was already confirmed"),
        new(NotCancellable, Conflict, "The order cannot be cancelled"),
        new(NotPayable, Conflict, "The order cannot be paid"),
        new(AlreadyPaid, Conflict, "The order was already paid"),
        new(PaymentMismatch, Unprocessable, "The payment does not match the order"),
        new(NotShippable, Conflict, "The order cannot be shipped"),
        new(AlreadyShipped, Conflict, "The order was already shipped"),
        new(NotDeliverable, Conflict, "The order cannot be delivered"),
        new(ShipmentMismatch, Unprocessable, "The shipment is not the order's"),
        new(NotCashOnDelivery, Conflict, "The order is not cash on delivery"),
        new(NotRefundable, Conflict, "The order cannot be refunded"),
        new(RefundExceedsPaid, Unprocessable, "The refund exceeds what was paid"),
        new(ReturnWindowClosed, Conflict, "The return window has closed"),
        new(RefundInTransit, Conflict, "The order is in transit"),
        new(RefundConflict, Conflict, "The refund was requested with other terms"),
        new(RefundUnknown, 404, "No such refund on this order"),
        new(RefundPending, Conflict, "A refund is still pending"),
        new(NotClosable, Conflict, "The order cannot be closed"),
        new(ReturnWindowOpen, Conflict, "The return window is still open"),
        new(CashNotCollected, Conflict, "The cash has not been collected"),
        new(NotSplittable, Conflict, "The order cannot be split"),
        new(SingleSeller, Conflict, "The order has a single seller"),
        new(NotModifiable, Conflict, "The order can no longer be changed"),
        new(FieldImmutable, Unprocessable, "This part of the order cannot change"),
        new(CurrencyMismatch, Unprocessable, "The currency does not match the order's"),
        new(ParcelNotInTransit, Conflict, "No parcel is in transit"),
        new(ParcelAlreadyResolved, Conflict, "The lost parcel was already resolved"),
        new(NothingToRefund, Conflict, "Nothing is left to refund"),
        new(CaptureNotLate, Conflict, "The order is not cancelled"),

        // Values the domain's constructors refuse (DomainException codes) that clients commonly meet. Any other
        // DomainException code ({field}.empty, {field}.too-long, {field}.invalid, …) is an invalid value as well:
        // see ForInvalidValue.
        new("currency.unknown", 400, "Unknown currency"),
        new("money.negative", 400, "An amount must not be negative"),
        new("money.overflow", 400, "An amount is too large"),
        new("money.currency-mismatch", 400, "Amounts in different currencies"),
        new("item.snapshot-tampered", 400, "An item's snapshot does not match its hash"),
        new("item.quantity-invalid", 400, "An item's quantity is out of range"),
        new("item.line-invalid", 400, "An item's line number is invalid"),
        new("item.attributes-too-many", 400, "An item has too many attributes"),
        new("snapshot-hash.invalid", 400, "A snapshot hash is malformed"),
        new("countryCode.invalid", 400, "The country code is invalid"),
        new("promotion.value-invalid", 400, "A promotion's value is invalid"),
    }.ToFrozenDictionary(p => p.Code, StringComparer.Ordinal);

    public static IReadOnlyCollection<ProblemType> All => Table.Values;

    public static bool TryGet(string code, out ProblemType type) => Table.TryGetValue(code, out type!);

    /// <summary>The problem type of a code in the table. A rejection code missing from it (a test prevents that) is 422.</summary>
    public static ProblemType For(string code) =>
        Table.TryGetValue(code, out var type) ? type : new ProblemType(code, Unprocessable, "The request was refused");

    /// <summary>The problem type of a value a domain constructor refused: its own code, always 400.</summary>
    public static ProblemType ForInvalidValue(string code) =>
        Table.TryGetValue(code, out var type) && type.Status == 400 ? type : new ProblemType(code, 400, "Invalid value");
}
