using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;

namespace Orders.Application.Jobs;

/// <summary>
/// How far each enforcement job goes per run and what it judges by. Bound from the "Jobs" configuration section
/// (<c>Jobs__BatchSize</c>, <c>Jobs__ServiceLevels__Created</c>, ...); the defaults are the production values.
/// </summary>
public sealed record JobOptions
{
    /// <summary>Orders a job acts on per run (cancels, evaluates, reconciles). What is left waits for the next run.</summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>
    /// How far into each status's oldest-first list a job looks. Auto-cancel reads up to this many summaries per status
    /// because most CONFIRMED orders are cash-on-delivery orders waiting to ship, which it skips (the store cannot
    /// filter by type); detect-stuck and reconcile walk through the oldest <c>ScanLimit</c> orders of each status, a
    /// batch per run, then start over (reading up to <c>ScanLimit + BatchSize + 1</c> summaries per status per run).
    /// </summary>
    public int ScanLimit { get; init; } = 1000;

    /// <summary>
    /// How far back detect-stuck asks the engine for failed refund sagas (by their creation): the ones of cancelled
    /// orders, which its walks do not visit. Longer than a refund saga lives; one that failed before was flagged then.
    /// </summary>
    public TimeSpan FailedRefundLookback { get; init; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long after a change the system is left to finish its own work (the projector catching up, a saga being
    /// started) before a missing view or saga counts as a problem. Keeps normal in-flight work out of the reports.
    /// </summary>
    public TimeSpan SettleTime { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How old the oldest unpublished event may be before reconcile reports the outbox relay as lagging.</summary>
    public TimeSpan RelayLagTolerance { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How many unpublished events the relay check counts at most (it reads them to count them).</summary>
    public int RelayPeekLimit { get; init; } = 1000;

    /// <summary>
    /// Orders whose stored history reconcile re-verifies per run beyond those it reconciles, walking every order
    /// (closed, cancelled and split ones too) in order-id order and starting over at the end: with N orders, each
    /// is re-verified at least every N / HistoryVerifyBatchSize runs.
    /// </summary>
    public int HistoryVerifyBatchSize { get; init; } = 200;

    public ServiceLevels ServiceLevels { get; init; } = new();

    /// <summary>Throws for options no job can run with (the hosts call it once at start-up through the jobs' constructors).</summary>
    public JobOptions Validated()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BatchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ScanLimit);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(RelayPeekLimit);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(HistoryVerifyBatchSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(SettleTime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(FailedRefundLookback, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(RelayLagTolerance, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(ServiceLevels);
        return this;
    }
}

/// <summary>How long an order may wait in each state, for whatever moves it on, before it counts as stuck.</summary>
public sealed record ServiceLevels
{
    /// <summary>CREATED, waiting for checkout (after its payment deadline auto-cancel should have ended it).</summary>
    public TimeSpan Created { get; init; } = TimeSpan.FromHours(1);

    /// <summary>CONFIRMED prepaid, authorised and waiting for the capture.</summary>
    public TimeSpan AwaitingCapture { get; init; } = TimeSpan.FromHours(24);

    /// <summary>PAID prepaid or CONFIRMED cash on delivery, waiting to ship.</summary>
    public TimeSpan AwaitingShipment { get; init; } = TimeSpan.FromHours(48);

    /// <summary>SHIPPED, waiting for the carrier's delivery.</summary>
    public TimeSpan AwaitingDelivery { get; init; } = TimeSpan.FromDays(14);

    /// <summary>DELIVERED: the order's own return window plus this, waiting to be closed.</summary>
    public TimeSpan AfterReturnWindow { get; init; } = TimeSpan.FromDays(1);

    /// <summary>REFUNDED, waiting for the refund saga to close it.</summary>
    public TimeSpan AwaitingClose { get; init; } = TimeSpan.FromDays(1);

    /// <summary>The service level of the order's current state, or null for a terminal one.</summary>
    public TimeSpan? For(Order order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return order.Status switch
        {
            OrderStatus.Created => Created,
            OrderStatus.Confirmed => order.Type == OrderType.CashOnDelivery ? AwaitingShipment : AwaitingCapture,
            OrderStatus.Paid => AwaitingShipment,
            OrderStatus.Shipped => AwaitingDelivery,
            OrderStatus.Delivered => order.ReturnWindow + AfterReturnWindow,
            OrderStatus.Refunded => AwaitingClose,
            _ => null,
        };
    }
}
