using Orders.Application.Idempotency;
using Orders.Application.Ports.Outbound;
using Orders.Domain.OrderAggregate;
using Orders.Domain.ValueObjects;

namespace Orders.Orchestrations.Tests;

/// <summary>
/// Crashes on demand, after the work is done: the activity's effect is real but its completion never reaches the
/// engine, so the engine runs the activity again. Each fault fires once.
/// </summary>
public sealed class FaultInjection
{
    private int _lostSaves;
    private int _lostInitiations;

    /// <summary>The next <paramref name="count"/> successful saves of a status change throw afterwards.</summary>
    public void LoseSaveCompletions(int count) => _lostSaves = count;

    /// <summary>The next payment initiation is sent, then the activity crashes (after <paramref name="meanwhile"/>, if given).</summary>
    public void LosePaymentInitiationCompletion(Func<Task>? meanwhile = null)
    {
        _lostInitiations = 1;
        Meanwhile = meanwhile;
    }

    /// <summary>What happens between the lost initiation's send and its crash.</summary>
    internal Func<Task>? Meanwhile { get; private set; }

    public int FiredSaves { get; private set; }

    /// <summary>Every store call the sagas, activities and handlers made, per order (counted by the harness's store).</summary>
    public StoreCalls Calls { get; } = new();

    public int FiredInitiations { get; private set; }

    internal bool TakeSave()
    {
        if (Interlocked.Decrement(ref _lostSaves) < 0) return false;
        FiredSaves++;
        return true;
    }

    internal bool TakeInitiation()
    {
        if (Interlocked.Decrement(ref _lostInitiations) < 0) return false;
        FiredInitiations++;
        return true;
    }
}

internal sealed class FaultyStore(IOrderStore inner, FaultInjection faults) : IOrderStore
{
    public Task<Order?> LoadAsync(OrderId orderId, CancellationToken cancellationToken = default)
    {
        faults.Calls.Count(orderId, "load");
        return inner.LoadAsync(orderId, cancellationToken);
    }

    public Task<StoredOrderState?> ReadStateAsync(OrderId orderId, CancellationToken cancellationToken = default)
    {
        faults.Calls.Count(orderId, "state");
        return inner.ReadStateAsync(orderId, cancellationToken);
    }

    public async Task<SaveOutcome> SaveAsync(Order order, IdempotencyRecord? idempotency = null, CancellationToken cancellationToken = default)
    {
        var entries = order.UncommittedEntries.Count;
        var changed = entries > 0 && order.Version > 1;
        var outcome = await inner.SaveAsync(order, idempotency, cancellationToken);
        if (outcome == SaveOutcome.Saved && entries > 0) faults.Calls.Count(order.Id, "change");
        if (outcome == SaveOutcome.Saved && changed && faults.TakeSave())
            throw new IOException("the process died after the commit, before the activity reported completion");
        return outcome;
    }

    public Task<IdempotencyRecord?> FindIdempotencyRecordAsync(OrderId orderId, string recordId, CancellationToken cancellationToken = default) =>
        inner.FindIdempotencyRecordAsync(orderId, recordId, cancellationToken);

    public Task<int> PurgeExpiredIdempotencyRecordsAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default) =>
        inner.PurgeExpiredIdempotencyRecordsAsync(now, max, cancellationToken);

    public Task<IReadOnlyList<OrderSummary>> FindByStatusAsync(IReadOnlyCollection<OrderStatus> statuses, int max, CancellationToken cancellationToken = default) =>
        inner.FindByStatusAsync(statuses, max, cancellationToken);
}

internal sealed class FaultyPayments(IPaymentsPort inner, FaultInjection faults) : IPaymentsPort
{
    public async Task InitiateAsync(InitiatePayment request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        faults.Calls.Count(request.OrderId, PaymentAsked);
        await inner.InitiateAsync(request, cancellationToken);
        if (!faults.TakeInitiation()) return;
        if (faults.Meanwhile is { } meanwhile) await meanwhile();
        throw new IOException("the process died after the request was sent");
    }

    public Task VoidAsync(VoidPayment request, CancellationToken cancellationToken = default) => inner.VoidAsync(request, cancellationToken);

    public Task ReverseAsync(ReversePayment request, CancellationToken cancellationToken = default) => inner.ReverseAsync(request, cancellationToken);

    /// <summary>The <see cref="StoreCalls"/> kind counting the payment requests sent for an order.</summary>
    public const string PaymentAsked = "payment-asked";
}

/// <summary>
/// Store calls per order and kind: "load" (rebuilt from its history), "state" (point read), "change" (a save that
/// recorded entries); and the payment requests sent (<see cref="FaultyPayments.PaymentAsked"/>).
/// </summary>
public sealed class StoreCalls
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Order, string Kind), int> _counts = new();

    internal void Count(OrderId orderId, string kind) => _counts.AddOrUpdate((orderId.Value, kind), 1, (_, n) => n + 1);

    public int Of(OrderId orderId, string kind) => _counts.GetValueOrDefault((orderId.Value, kind));
}
