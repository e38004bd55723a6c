namespace Orders.Application.UseCases;

/// <summary>How long idempotency records are kept, and how often a command is re-applied after a conflict.</summary>
public sealed record CommandOptions
{
    public TimeSpan IdempotencyRetention { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Attempts (load, apply, save) before a command gives up with order.concurrency-conflict.</summary>
    public int MaxAttempts { get; init; } = 10;
}
