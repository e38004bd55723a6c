using Orders.Domain.Common;
using Orders.Domain.ValueObjects;

namespace Orders.Domain.OrderAggregate;

/// <summary>
/// Every refusal the order can give, each with a stable code. Codes are public contract: the API maps each to one
/// problem type (https://orders.example/problems/{code}) and HTTP status (src/Orders.Api/Problems/ProblemTypes.cs).
/// </summary>
public static class OrderRejections
{
    public static IReadOnlyList<string> AllCodes { get; } =
    [
        Codes.Invalid, Codes.NotConfirmable, Codes.AlreadyConfirmed, Codes.NotCancellable, Codes.NotPayable,
        Codes.AlreadyPaid, Codes.PaymentMismatch, Codes.NotShippable, Codes.AlreadyShipped, Codes.NotDeliverable,
        Codes.ShipmentMismatch, Codes.NotCashOnDelivery, Codes.NotRefundable, Codes.RefundExceedsPaid,
        Codes.ReturnWindowClosed, Codes.RefundInTransit, Codes.RefundConflict, Codes.RefundUnknown, Codes.RefundPending,
        Codes.NotClosable, Codes.ReturnWindowOpen, Codes.CashNotCollected, Codes.NotSplittable, Codes.SingleSeller,
        Codes.NotModifiable, Codes.FieldImmutable, Codes.CurrencyMismatch, Codes.ParcelNotInTransit,
        Codes.ParcelAlreadyResolved, Codes.NothingToRefund, Codes.CaptureNotLate,
    ];

    public static class Codes
    {
        public const string Invalid = "order.invalid";
        public const string NotConfirmable = "order.not-confirmable";
        public const string AlreadyConfirmed = "order.already-confirmed";
        public const string NotCancellable = "order.not-cancellable";
        public const string NotPayable = "order.not-payable";
        public const string AlreadyPaid = "order.already-paid";
        public const string PaymentMismatch = "order.payment-mismatch";
        public const string NotShippable = "order.not-shippable";
        public const string AlreadyShipped = "order.already-shipped";
        public const string NotDeliverable = "order.not-deliverable";
        public const string ShipmentMismatch = "order.shipment-mismatch";
        public const string NotCashOnDelivery = "order.not-cash-on-delivery";
        public const string NotRefundable = "order.not-refundable";
        public const string RefundExceedsPaid = "order.refund-exceeds-paid";
        public const string ReturnWindowClosed = "order.return-window-closed";
        public const string RefundInTransit = "order.refund-in-transit";
        public const string RefundConflict = "order.refund-conflict";
        public const string RefundUnknown = "order.refund-unknown";
        public const string RefundPending = "order.refund-pending";
        public const string NotClosable = "order.not-closable";
        public const string ReturnWindowOpen = "order.return-window-open";
        public const string CashNotCollected = "order.cash-not-collected";
        public const string NotSplittable = "order.not-splittable";
        public const string SingleSeller = "order.single-seller";
        public const string NotModifiable = "order.not-modifiable";
        public const string FieldImmutable = "order.field-immutable";
        public const string CurrencyMismatch = "order.currency-mismatch";
        public const string ParcelNotInTransit = "order.parcel-not-in-transit";
        public const string ParcelAlreadyResolved = "order.parcel-already-resolved";
        public const string NothingToRefund = "order.nothing-to-refund";
        public const string CaptureNotLate = "order.capture-not-late";
    }

    public static Rejection Invalid(IReadOnlyList<string> errors) =>
        new(Codes.Invalid, "The order is not valid.") { Errors = errors };

    public static Rejection InStatus(string code, string action, OrderStatus status) =>
        new(code, $"An order that is {OrderStatusNames.Of(status)} cannot be {action}.");

    public static Rejection Of(string code, string message) => new(code, message);
}
