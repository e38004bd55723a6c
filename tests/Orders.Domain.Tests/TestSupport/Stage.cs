namespace Orders.Domain.Tests.TestSupport;

/// <summary>
/// A point in an order's life that <see cref="TestOrder.DriveTo"/> reaches through legal commands only. Most are
/// statuses; a few are a status plus one fact that matters to the next command (a pending refund, the COD cash).
/// </summary>
public enum Stage
{
    Created,
    Confirmed,

    /// <summary>Prepaid only.</summary>
    Paid,

    /// <summary>Prepaid only: PAID with a full refund requested and not yet completed.</summary>
    PaidRefundPending,
    Shipped,

    /// <summary>Delivered; for COD the cash has not been recorded yet.</summary>
    Delivered,

    /// <summary>COD only: DELIVERED with the cash collected at the door recorded.</summary>
    DeliveredCashCollected,

    /// <summary>DELIVERED (COD: with cash recorded) and a full refund requested and not yet completed.</summary>
    DeliveredRefundPending,

    /// <summary>DELIVERED, then closed after the return window.</summary>
    Closed,

    /// <summary>Cancelled straight from CREATED.</summary>
    Cancelled,

    /// <summary>Prepaid: refunded in full from PAID. COD: refunded in full after delivery and cash collection.</summary>
    Refunded,

    /// <summary>Multi-seller only: split from CREATED.</summary>
    Split,
}
