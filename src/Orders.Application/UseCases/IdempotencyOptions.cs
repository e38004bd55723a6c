namespace Orders.Application.UseCases;

/// <summary>How long idempotency records are kept, and how often a command is re-applied after a conflict.</summary>
public sealed record CommandOptions
{
    public TimeSpan IdempotencyRetention { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Attempts (load, apply, save) before a command gives up with order.concurrency-conflict.</summary>
    public int MaxAttempts { get; init; } = 10;

    /// <summary>The return window a new order gets when its request names none (a term of the contract, frozen at creation).</summary>
    public TimeSpan DefaultReturnWindow { get; init; } = Domain.OrderAggregate.NewOrder.DefaultReturnWindow;

    /// <summary>How long a new order may stay unpaid when its request names no window (auto-cancel acts after it).</summary>
    public TimeSpan DefaultPaymentWindow { get; init; } = Domain.OrderAggregate.NewOrder.DefaultPaymentWindow;
}
