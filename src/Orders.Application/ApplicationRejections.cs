using Orders.Domain.Common;

namespace Orders.Application;

/// <summary>Refusals that come from the application rather than the order's own rules.</summary>
public static class ApplicationRejections
{
    public static class Codes
    {
        public const string NotFound = "order.not-found";
        public const string Forbidden = "order.forbidden";
        public const string AlreadyExists = "order.already-exists";
        public const string ConcurrencyConflict = "order.concurrency-conflict";
        public const string VersionMismatch = "order.version-mismatch";
        public const string KeyReused = "idempotency.key-reused";
        public const string KeyMissing = "idempotency.key-missing";
        public const string HistoryBroken = "order.history-broken";
        public const string SagaRunning = "resolution.saga-running";
        public const string SagaNotAwaited = "resolution.saga-not-awaited";
        public const string NotStuck = "resolution.not-stuck";
        public const string NoLateCapture = "resolution.no-late-capture";
        public const string HistoryNotAPrefix = "order.history-not-a-prefix";
    }

    public static IReadOnlyList<string> AllCodes { get; } =
        [Codes.NotFound, Codes.Forbidden, Codes.AlreadyExists, Codes.ConcurrencyConflict, Codes.VersionMismatch, Codes.KeyReused, Codes.KeyMissing, Codes.HistoryBroken,
         Codes.SagaRunning, Codes.SagaNotAwaited, Codes.NotStuck, Codes.NoLateCapture, Codes.HistoryNotAPrefix];

    // Not found, not "forbidden": a caller must not learn that someone else's order exists.
    public static Rejection NotFound(string orderId) => new(Codes.NotFound, $"Order {orderId} was not found.");

    public static Rejection Forbidden(string action) => new(Codes.Forbidden, $"You may not {action}.");

    public static Rejection AlreadyExists(string orderId) =>
        new(Codes.AlreadyExists, $"Order {orderId} already exists (its idempotency key has expired; use a new key).");

    public static Rejection ConcurrencyConflict(string orderId) =>
        new(Codes.ConcurrencyConflict, $"Order {orderId} kept changing while this command was applied; retry.");

    public static Rejection VersionMismatch(string orderId, long expected, long actual) =>
        new(Codes.VersionMismatch, $"Order {orderId} is at version {actual}, not {expected}.");

    /// <summary>Nothing is added to a history that does not verify: the next entry would vouch for a lie.</summary>
    public static Rejection HistoryBroken(string orderId, string problem) =>
        new(Codes.HistoryBroken, $"Order {orderId}'s stored history is broken ({problem}); it takes no commands until a person has looked at it.");

    public static Rejection SagaRunning(string instanceId) =>
        new(Codes.SagaRunning, $"Saga {instanceId} is still running: it will re-send its request by itself; retry once it has escalated.");

    public static Rejection SagaNotAwaited(string instanceId, string status) =>
        new(Codes.SagaNotAwaited, $"The order is {status} and does not wait on {instanceId}: retrying it would change nothing.");

    public static Rejection NotStuck(string orderId) => new(Codes.NotStuck, $"Order {orderId} is not flagged as stuck.");

    public static Rejection NoLateCapture(string orderId) =>
        new(Codes.NoLateCapture, $"No captured payment that the cancelled order never took is kept for order {orderId}.");

    /// <summary>A kept digest that today's history does not extend: it was truncated or rewritten (or the digest is not its).</summary>
    public static Rejection HistoryNotAPrefix(string orderId, string problem) =>
        new(Codes.HistoryNotAPrefix, $"Order {orderId}'s stored history does not extend the kept digest: {problem}.");

    public static Rejection KeyReused() =>
        new(Codes.KeyReused, "This idempotency key was already used with a different request.");
}
