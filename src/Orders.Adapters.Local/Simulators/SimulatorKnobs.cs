using System.Collections.Concurrent;
using Orders.Domain.ValueObjects;

namespace Orders.Infrastructure.Simulators;

/// <summary>What a simulated domain can be told to do wrong.</summary>
public enum SimulatedFailure
{
    OutOfStock,
    SilentInventory,
    DeclineCard,
    SilentPayment,
    NoCapture,
    SilentShipmentCreation,
    SilentDispatch,
    LoseParcel,
    SilentDelivery,
    FailRefund,
    SilentRefund,

    /// <summary>The promotions domain refuses the order's codes (also: a code starting with <c>sim-refuse-promotion</c>).</summary>
    RefusePromotion,

    /// <summary>The promotions domain never answers a redemption.</summary>
    SilentPromotions,

    /// <summary>
    /// Every answer is delivered two or three times (same event id), the copies shuffled by their own delays: the
    /// inbox and the sagas must act on each answer once.
    /// </summary>
    DuplicateAnswers,
}

/// <summary>
/// Failure knobs for the simulators: for one order (tests), for every order (configuration), or by a marker in an
/// item's SKU (<c>sim-decline-card</c>, <c>sim-out-of-stock</c>, <c>sim-lose-parcel</c>, …: the failure's name in
/// kebab case after <c>sim-</c>), so each path can be tried by hand through the public API.
/// </summary>
public sealed class SimulatorKnobs
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<SimulatedFailure, bool>> _perOrder = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<SimulatedFailure, bool> _global = new();
    private readonly ConcurrentDictionary<string, string[]> _skus = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string OrderId, DateTimeOffset At)> _remembered = new();
    private readonly Lock _pruning = new();
    private int _count;

    /// <summary>How long an order's SKUs are remembered (null: for ever); see <see cref="SimulatorLedger.Retention"/>.</summary>
    public TimeSpan? Retention { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>How long a simulated domain takes to answer.</summary>
    public TimeSpan AnswerDelay { get; set; } = TimeSpan.Zero;

    public void Fail(OrderId orderId, SimulatedFailure failure)
    {
        ArgumentNullException.ThrowIfNull(orderId);
        _perOrder.GetOrAdd(orderId.Value, _ => new())[failure] = true;
    }

    public void FailAll(SimulatedFailure failure) => _global[failure] = true;

    /// <summary>Stops failing <paramref name="failure"/> for one order (a domain that recovered: an operator's retry then succeeds).</summary>
    public void Heal(OrderId orderId, SimulatedFailure failure)
    {
        ArgumentNullException.ThrowIfNull(orderId);
        if (_perOrder.TryGetValue(orderId.Value, out var set)) set.TryRemove(failure, out _);
    }

    /// <summary>Remembers an order's SKUs (the first request that carries them), so every simulated domain sees its markers.</summary>
    public void RememberSkus(OrderId orderId, IEnumerable<string> skus)
    {
        ArgumentNullException.ThrowIfNull(orderId);
        if (!_skus.TryAdd(orderId.Value, [.. skus])) return;
        var now = Clock.GetUtcNow();
        _remembered.Enqueue((orderId.Value, now));
        if (Retention is not { } keep || Interlocked.Increment(ref _count) % 256 != 0) return;
        lock (_pruning)
        {
            while (_remembered.TryPeek(out var oldest) && oldest.At < now - keep && _remembered.TryDequeue(out oldest))
            {
                _skus.TryRemove(oldest.OrderId, out _);
                _perOrder.TryRemove(oldest.OrderId, out _);
            }
        }
    }

    public bool Fails(OrderId orderId, SimulatedFailure failure)
    {
        ArgumentNullException.ThrowIfNull(orderId);
        if (_global.ContainsKey(failure)) return true;
        if (_perOrder.TryGetValue(orderId.Value, out var set) && set.ContainsKey(failure)) return true;
        var marker = "sim-" + Kebab(failure.ToString());
        return _skus.TryGetValue(orderId.Value, out var skus) && skus.Any(s => s.StartsWith(marker, StringComparison.Ordinal));
    }

    public static string Kebab(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));
}
